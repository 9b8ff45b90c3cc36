// LocalGuest: a Guest that is this very host. For CI and development only: there is NO VM boundary,
// a lab's scripts run as the current user (root in CI) on the real machine. Every construction warns
// loudly unless the caller has already told the user.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { BOXLAB_ROOT } from '../../images/image-sources.js';
import { guestArgv, GUEST_TIMEOUT_EXIT_CODE, type Guest, type GuestCommand, type GuestExecOptions, type GuestExecResult } from '../../guest.js';

export const LOCAL_GUEST_WARNING =
  'warning: provider "local" runs lab scripts directly on this host as ' +
  `${process.getuid?.() === 0 ? 'root' : 'the current user'}; there is no VM boundary. Use it for development and CI only.`;

/** bin/boxlab (a link to bin/run.js) first on PATH: a lab's script that runs `boxlab` (lab 22 starts its
 *  own engine) gets this very boxlab, as a sandbox VM's scripts get its /usr/bin/boxlab */
const BOXLAB_BIN_DIR = path.join(BOXLAB_ROOT, 'bin');

export interface LocalGuestOptions {
  /** where the warning goes; pass null when the caller prints it itself */
  warn?: ((message: string) => void) | null;
}

export class LocalGuest implements Guest {
  readonly name = 'local';

  constructor(options: LocalGuestOptions = {}) {
    const warn = options.warn === undefined ? (m: string) => process.stderr.write(m + '\n') : options.warn;
    warn?.(LOCAL_GUEST_WARNING);
  }

  exec(command: GuestCommand, options: GuestExecOptions = {}): Promise<GuestExecResult> {
    const [file, ...args] = guestArgv(command);
    return new Promise((resolve, reject) => {
      // detached: the command gets its own process group, so a timeout kills the whole tree (a check's
      // `sleep` included), as a VM provider's timeout would
      const env = { ...process.env, ...options.env };
      env.PATH = [BOXLAB_BIN_DIR, ...(env.PATH ?? '').split(':').filter((d) => d && d !== BOXLAB_BIN_DIR)].join(':');
      const child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              try {
                process.kill(-child.pid!, 'SIGKILL');
              } catch {
                /* already gone */
              }
            }, options.timeoutMs);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        if (timer) clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        const exitCode = timedOut ? GUEST_TIMEOUT_EXIT_CODE : (code ?? (signal ? 128 + signalNumber(signal) : 1));
        resolve({ exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return table[signal] ?? 0;
}
