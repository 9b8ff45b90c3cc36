// A port the user named is already taken (EADDRINUSE from listen): one clear error with the way out,
// instead of Node's "listen EADDRINUSE". Ports boxlab picks itself (qemu's forwarded ssh) are retried
// where they are picked; this is for the ones a user typed, like `boxlab serve --port 8080`.
import { AppError } from '../core/errors.js';

export function portInUseError(err: unknown, host: string, port: number): AppError | undefined {
  if ((err as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE' || port === 0) return undefined;
  return new AppError('FAILED_PRECONDITION', `port ${port} on ${host} is already in use`, {
    cause: err,
    suggestions: [`pick another one: --port ${port + 1}, or --port 0 for any free port`, `see which program holds it: ss -ltnp 'sport = :${port}'`],
  });
}
