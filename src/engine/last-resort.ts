// The engine process's last resort for a failure no request caught. A request's failure is the
// request's: the API server's dispatch turns an error thrown or a promise rejected in a handler into that
// request's answer (api-server.ts), and a stream's error reaches its request through the pipeline that
// reads it (images/tar-entries.ts). What escapes that is a bug, and it is handled here:
//   - a rejected promise nobody awaited (a background task, a forgotten `void`): Node would end the
//     process (since Node 15). It is logged with its stack and the engine keeps serving: nothing was
//     left half-done by the rejection itself, and dropping every client for one lost task is worse.
//   - an uncaught exception (an 'error' event nobody listens to, a throw in a callback): the process may
//     be in any state (Node's documentation says not to resume), so it is logged and the engine exits
//     with 70 (EX_SOFTWARE). Containers keep running under their shims; the next start adopts them.
import type { Logger } from '../core/logger.js';

export const EXIT_SOFTWARE = 70;

type ProcessEvents = Pick<NodeJS.Process, 'on' | 'off'> & { exit(code: number): void };

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** installs the handlers; returns the function that removes them */
export function installLastResort(log: Logger, proc: ProcessEvents = process): () => void {
  const onRejection = (reason: unknown) => {
    log.error(`a promise was rejected and nobody handled it (a bug: the engine keeps serving): ${describe(reason)}`);
  };
  const onException = (err: unknown) => {
    log.error(`uncaught exception (a bug: the engine stops, containers keep running): ${describe(err)}`);
    proc.exit(EXIT_SOFTWARE);
  };
  proc.on('unhandledRejection', onRejection);
  proc.on('uncaughtException', onException);
  return () => {
    proc.off('unhandledRejection', onRejection);
    proc.off('uncaughtException', onException);
  };
}
