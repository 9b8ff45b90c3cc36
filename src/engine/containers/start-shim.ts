// Stage 3: the shim starts `runc run`, and start waits for the pid (docs/adr/0001). The shim is spawned
// detached, in its own session (container-process.ts, shim.ts); start resolves when runc has written
// init.pid (an inotify watch on the container folder, no `runc state` polling): that pid is inspect's
// State.Pid. A shim that exits without a pid file means the process could not start: runc's json log
// says why (`exec: "x": executable file not found in $PATH`), which becomes Docker's error and exit code.
import { promises as fs, watch } from 'node:fs';
import { AppError } from '../../core/errors.js';
import type { StageDeps } from './container-deps.js';
import { spawnShim, type ContainerProcess } from './container-process.js';
import type { Live } from './live-table.js';
import { lastRuncError, type ShimParams } from './shim.js';

/** runc needs well under a second to start a process; this is only a guard against a stuck shim */
export const START_TIMEOUT_MS = 60_000;

export type ShimStart = { started: true; pid: number; proc: ContainerProcess } | { started: false; failure: StartFailure };

export interface StartFailure {
  /** Docker's: 127 command not found (or a mount of a file onto a folder), 126 not executable, 128 anything else */
  exitCode: number;
  /** runc's words */
  why: string;
}

export type ShimSpawner = typeof spawnShim;

/** the shim's parameters for this container: its files, and the terminal's size for a tty one */
export function shimParams(deps: Pick<StageDeps, 'paths'>, live: Live): ShimParams {
  const { record: r, files: f } = live;
  return {
    runcRoot: deps.paths.runcRoot,
    bundleDir: f.bundle,
    id: r.Id,
    exitFile: f.exitFile,
    pidFile: f.pidFile,
    runcLog: f.runcLog,
    stdinFifo: f.stdin,
    stdoutFifo: f.stdout,
    stderrFifo: f.stderr,
    ackFifo: f.ack,
    ttyFile: r.Config.Tty ? f.ttyFile : '',
    rows: live.size.rows,
    cols: live.size.cols,
  };
}

/**
 * Spawns the shim and waits until runc has written the container's pid file or the shim has exited
 * without one. live.proc is the shim from the spawn on, so stdin an attach writes meanwhile reaches it.
 */
export async function startShim(deps: Pick<StageDeps, 'paths'>, live: Live, spawn: ShimSpawner = spawnShim): Promise<ShimStart> {
  const f = live.files;
  // what an earlier run left: start waits for these names to appear
  await Promise.all([f.exitFile, f.pidFile, f.runcLog, f.ttyFile].map((p) => fs.rm(p, { force: true })));
  const readPid = async () => parsePidFile(await fs.readFile(f.pidFile, 'utf8').catch(() => ''));
  let watcher: ReturnType<typeof watch> | undefined;
  const pidWritten = new Promise<number>((resolve) => {
    watcher = watch(f.dir, (_event, name) => {
      if (name === 'init.pid') void readPid().then((pid) => pid && resolve(pid));
    });
    watcher.on('error', () => undefined);
  });
  const proc = spawn(shimParams(deps, live), live.output, Boolean(live.record.Config.OpenStdin));
  live.proc = proc;
  for (const chunk of live.pendingStdin.splice(0)) proc.stdin?.write(chunk);
  const exitedFirst = proc.exited.then(async (code) => ({ code, pid: await readPid() }));
  // a start that hangs would hold the container's lock for ever: give up, kill the shim's session
  let timer: NodeJS.Timeout | undefined;
  const tooLong = new Promise<{ code: number | undefined; pid: number | undefined }>((resolve) => {
    timer = setTimeout(() => {
      try {
        process.kill(-proc.shimPid, 'SIGKILL');
      } catch {
        // gone already
      }
      void exitedFirst.then(resolve);
    }, START_TIMEOUT_MS);
  });
  try {
    const first = await Promise.race([pidWritten.then((pid) => ({ code: undefined, pid })), exitedFirst, tooLong]);
    if (first.pid !== undefined) return { started: true, pid: first.pid, proc };
    live.proc = undefined;
    return { started: false, failure: startFailure(await fs.readFile(f.runcLog, 'utf8').catch(() => ''), first.code) };
  } finally {
    clearTimeout(timer);
    watcher?.close();
  }
}

/** runc's pid file: a positive number, or undefined while it is empty */
export function parsePidFile(text: string): number | undefined {
  const pid = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** dockerd 20.10 adds this to a start error that says ENOTDIR (daemon/start.go, translateContainerdStartErr) */
export const MOUNT_TYPE_HINT = 'Are you trying to mount a directory onto a file (or vice-versa)? Check if the specified host path exists and is the expected type';

/**
 * Why a process could not start, from runc's json log, and Docker's exit code for it, in dockerd's order:
 * 127 for a missing command, 126 for one that cannot be run (EACCES), 127 again for "not a directory"
 * (a file mounted onto a folder or the reverse), 128 for anything else.
 */
export function startFailure(runcLog: string, shimCode: number | undefined): StartFailure {
  const why = lastRuncError(runcLog) ?? `runc exited with status ${shimCode ?? 'unknown'}`;
  const notDir = /not a directory/i.test(why);
  const exitCode = notDir || /not found|no such file/i.test(why) ? 127 : /permission denied/i.test(why) ? 126 : 128;
  return { exitCode, why };
}

/** dockerd's words for a process that could not start; 127 and 126 are the user's mistake (400) */
export function startFailedError(failure: StartFailure): AppError {
  const hint = /not a directory/i.test(failure.why) ? `: ${MOUNT_TYPE_HINT}` : '';
  return new AppError(failure.exitCode === 128 ? 'INTERNAL' : 'INVALID_ARGUMENT', `failed to create shim task: OCI runtime create failed: ${failure.why}: unknown${hint}`, {
    suggestions: failure.exitCode === 127 && !hint ? ['check the command: it must exist in the image (docker run <image> ls /bin)'] : [],
  });
}

/**
 * The exit code a failed start leaves in State.ExitCode: runc's 127 or 126 as they are; otherwise, as
 * dockerd, 128 when the container has no exit code yet ("don't leave it at zero"), else the last run's.
 * This covers failures before runc too (an unknown --user, a full disk), which boxlabd left at 0.
 */
export function failedStartExitCode(previous: number, failure?: StartFailure): number {
  if (failure && failure.exitCode !== 128) return failure.exitCode;
  return previous === 0 ? 128 : previous;
}
