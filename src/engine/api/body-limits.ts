// How much of a request body the engine reads into memory. Every API body boxlab buffers is JSON (a
// create config, an exec config, credentials); large payloads (image load, archive upload, build
// context) are streamed and never buffered here. A limit per kind of route keeps one client from
// filling the engine's memory, and the engine refuses at once when the declared Content-Length is
// already over it, instead of reading a gigabyte to say no.
import { invalidArgument } from '../../core/errors.js';

/** JSON bodies of ordinary requests (dockerd reads them whole too; real ones are a few KiB) */
export const JSON_BODY_LIMIT = 4 * 1024 * 1024;
/** the JSON of a hijacked request (exec start sends {"Detach":false,"Tty":true}); stdin follows it */
export const HIJACK_BODY_LIMIT = 64 * 1024;

export function bodyTooLarge(size: number | string, limit: number): Error {
  return invalidArgument(`request body is too large: ${size} bytes, the limit for this request is ${limit} bytes`, {
    suggestions: ['send the JSON the Engine API expects for this endpoint; large data goes to the streaming endpoints (docker load, docker cp)'],
  });
}

/** the declared Content-Length when it is over the limit (refuse before reading), else undefined */
export function declaredTooLarge(contentLength: string | undefined, limit: number): Error | undefined {
  if (contentLength === undefined || !/^\d+$/.test(contentLength)) return undefined;
  return Number(contentLength) > limit ? bodyTooLarge(contentLength, limit) : undefined;
}
