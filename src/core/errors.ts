// AppError: the one error type boxlab raises on purpose. Its code decides how each surface reports it
// (the Docker API maps it to an HTTP status the docker CLI understands; the CLI prints message + hints).

export const ERROR_CODES = [
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INVALID_ARGUMENT',
  'FAILED_PRECONDITION',
  'UNAVAILABLE',
  'COMMAND_FAILED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorOptions {
  /** what the user can do about it, one short line each */
  suggestions?: string[];
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly suggestions: string[];

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.suggestions = options.suggestions ?? [];
  }
}

export const notFound = (message: string, options?: AppErrorOptions) => new AppError('NOT_FOUND', message, options);
export const alreadyExists = (message: string, options?: AppErrorOptions) =>
  new AppError('ALREADY_EXISTS', message, options);
export const invalidArgument = (message: string, options?: AppErrorOptions) =>
  new AppError('INVALID_ARGUMENT', message, options);
export const failedPrecondition = (message: string, options?: AppErrorOptions) =>
  new AppError('FAILED_PRECONDITION', message, options);
export const unavailable = (message: string, options?: AppErrorOptions) =>
  new AppError('UNAVAILABLE', message, options);
export const internal = (message: string, options?: AppErrorOptions) => new AppError('INTERNAL', message, options);

export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

/** The message of anything thrown, for logs and wrapped errors. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
