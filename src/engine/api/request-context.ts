// What a route handler gets: the matched parameters, the parsed query, the request body, and a Reply.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { invalidArgument } from '../../core/errors.js';
import { bodyTooLarge, JSON_BODY_LIMIT } from './body-limits.js';
import type { Query } from './query.js';
import type { Reply } from './reply.js';

export interface RequestContext {
  method: string;
  /** path without the version prefix */
  path: string;
  /** the API version the client asked for (1.41 when it sent none) */
  version: string;
  params: Record<string, string>;
  query: Query;
  headers: IncomingMessage['headers'];
  /** the request body as a stream (image load, archive upload) */
  body: Readable;
  readBody(): Promise<Buffer>;
  /** the body parsed as JSON; undefined when empty; INVALID_ARGUMENT `invalid JSON: ...` when malformed */
  readJson<T>(): Promise<T | undefined>;
  reply: Reply;
}

/** reads a whole body into memory: chunks are kept in a list and joined once (never re-copied per chunk) */
export async function collect(stream: Readable, limit = JSON_BODY_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw bodyTooLarge(`more than ${limit}`, limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

export function parseJsonBody<T>(raw: Buffer): T | undefined {
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw invalidArgument(`invalid JSON: ${(err as Error).message}`, { cause: err });
  }
}
