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
  /** Docker's: 127 command not found, 126 not executable, 128 anything else */
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

/** why a process could not start, from runc's json log, and Docker's exit code for it */
export function startFailure(runcLog: string, shimCode: number | undefined): StartFailure {
  const why = lastRuncError(runcLog) ?? `runc exited with status ${shimCode ?? 'unknown'}`;
  const exitCode = /not found|no such file/i.test(why) ? 127 : /permission denied/i.test(why) ? 126 : 128;
  return { exitCode, why };
}

/** dockerd's words for a process that could not start; 127 and 126 are the user's mistake (400) */
export function startFailedError(failure: StartFailure): AppError {
  return new AppError(failure.exitCode === 128 ? 'INTERNAL' : 'INVALID_ARGUMENT', `failed to create shim task: OCI runtime create failed: ${failure.why}: unknown`, {
    suggestions: failure.exitCode === 127 ? ['check the command: it must exist in the image (docker run <image> ls /bin)'] : [],
  });
}
