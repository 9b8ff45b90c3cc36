// How an engine error becomes an HTTP answer the docker CLI understands. The CLI decides what to print
// from the status code (404 -> "No such ...", 409 -> conflict) and shows `message` after
// "Error response from daemon: ".
import { isAppError, messageOf, type ErrorCode } from '../../core/errors.js';
import { isNoSpace, NO_SPACE_SUGGESTIONS, noSpaceMessage } from '../../core/no-space.js';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 409,
  UNAVAILABLE: 503,
  COMMAND_FAILED: 500,
  INTERNAL: 500,
};

export interface ErrorAnswer {
  status: number;
  /** Docker's error body; `suggestions` is boxlab's own (the docker CLI ignores it, boxlab's CLI prints it) */
  body: { message: string; suggestions?: string[] };
}

export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

export function errorAnswer(err: unknown): ErrorAnswer {
  if (isAppError(err)) {
    const body = err.suggestions.length > 0 ? { message: err.message, suggestions: err.suggestions } : { message: err.message };
    return { status: statusForCode(err.code), body };
  }
  // a full disk anywhere (load, pull, build, volumes): say so and how to make room, not a bare ENOSPC
  if (isNoSpace(err)) {
    const file = (err as NodeJS.ErrnoException).path;
    return { status: 500, body: { message: noSpaceMessage(file ?? "the engine's files"), suggestions: NO_SPACE_SUGGESTIONS } };
  }
  return { status: 500, body: { message: messageOf(err) } };
}

/** what the status line says after the code, for hand-written responses on hijacked sockets */
export function reasonPhrase(status: number): string {
  const phrases: Record<number, string> = {
    200: 'OK', 101: 'UPGRADED', 201: 'Created', 204: 'No Content', 304: 'Not Modified', 400: 'Bad Request',
    404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error', 503: 'Service Unavailable',
  };
  return phrases[status] ?? 'Status';
}
