// The engine's handle on a container's running shim, in one of two forms (docs/adr/0001):
//   spawned    the shim is our child, in its own session; output comes through fifos
//   reattached after an engine restart: the shim is not our child; EOF on its fifos means it is gone
// Tty containers are the same, with `script` inside the shim owning the terminal; resize sets the size
// of that terminal (stty), which sends SIGWINCH to runc, which resizes the container's console.
// In both forms `exited` resolves once the shim has exited AND its output is all in the log.
import { spawn } from 'node:child_process';
import { constants, closeSync, existsSync, openSync, watch } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promises as fsp } from 'node:fs';
import { run } from '../../core/exec.js';
import { ackShim } from './ack-fifo.js';
import type { ContainerOutput } from './container-output.js';
import { buildShimArgs, shimEnv, type ShimParams } from './shim.js';

export interface ContainerProcess {
  kind: 'spawned' | 'reattached';
  shimPid: number;
  /** resolves with the shim's exit status when known (undefined when reattached), after the output is drained */
  readonly exited: Promise<number | undefined>;
  stdin?: Writable;
  resize(cols: number, rows: number): void;
  /** closes the engine's side of stdin (StdinOnce): the container reads EOF */
  closeStdin(): void;
  /** lets go of the fifos and the shim; the container keeps running (engine shutdown) */
  release(): void;
}

type FifoParams = Pick<ShimParams, 'stdinFifo' | 'stdoutFifo' | 'stderrFifo' | 'ackFifo' | 'exitFile' | 'ttyFile'>;

/** opens a fifo for reading without blocking; the socket sees EOF once no writer is left */
function fifoReader(file: string): net.Socket {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  return new net.Socket({ fd, readable: true, writable: false });
}

/** opens a fifo's write side; O_RDWR so the open does not wait for the shim to open the other side */
function fifoWriter(file: string): net.Socket {
  const fd = openSync(file, constants.O_RDWR);
  const socket = new net.Socket({ fd, readable: false, writable: true });
  socket.on('error', () => undefined); // EPIPE once the container is gone
  return socket;
}

/**
 * The container reads EOF once the last writer of its stdin fifo is closed. end() would try a socket
 * shutdown, which a pipe does not have: close the fd once what was written has gone through.
 */
function closeWriter(socket: net.Socket | undefined): void {
  if (!socket || socket.destroyed) return;
  if (socket.writableLength === 0) socket.destroy();
  else socket.once('drain', () => socket.destroy());
}

function pumps(output: ContainerOutput, fifos: FifoParams): { drained: Promise<void>; readers: net.Socket[] } {
  const out = fifoReader(fifos.stdoutFifo);
  const err = fifoReader(fifos.stderrFifo);
  return { drained: Promise.all([output.pump('stdout', out), output.pump('stderr', err)]).then(() => undefined), readers: [out, err] };
}

/**
 * Calls back once the shim has written the exit file (inotify on the container folder, no polling).
 * The shim then waits for a line on the ack fifo before it lets go of the output fifos, so output the
 * container wrote while boxlabd was down is still there for our readers.
 */
function onExitFile(fifos: FifoParams, then: () => void): () => void {
  const dir = path.dirname(fifos.exitFile);
  const name = path.basename(fifos.exitFile);
  let fired = false;
  const fire = () => {
    if (fired) return;
    fired = true;
    watcher.close();
    then();
    ackShim(fifos.ackFifo);
  };
  const watcher = watch(dir, (_event, file) => {
    if (file === name && existsSync(fifos.exitFile)) fire();
  });
  watcher.on('error', () => undefined);
  if (existsSync(fifos.exitFile)) fire();
  return () => {
    fired = true;
    watcher.close();
  };
}

/** the size of a tty container's terminal: stty on the terminal script made (its name is in ttyFile) */
export async function resizeTerminal(ttyFile: string, cols: number, rows: number): Promise<void> {
  if (!ttyFile) return;
  const name = (await fsp.readFile(ttyFile, 'utf8').catch(() => '')).trim();
  if (!/^\/dev\/pts\/\d+$/.test(name)) return; // not started yet: the size is passed at start
  await run('stty', ['-F', name, 'rows', String(Math.max(1, rows)), 'cols', String(Math.max(1, cols))], { allowFailure: true });
}

export function spawnShim(params: ShimParams, output: ContainerOutput, openStdin: boolean): ContainerProcess {
  // keepers: a writer on each output fifo until the shim is done, so our readers do not see EOF
  // before the shim has opened its side
  const keepers = [openSync(params.stdoutFifo, constants.O_RDWR), openSync(params.stderrFifo, constants.O_RDWR)];
  let closed = false;
  const closeKeepers = () => {
    if (closed) return;
    closed = true;
    for (const fd of keepers) closeSync(fd);
  };
  const { drained, readers } = pumps(output, params);
  const stdin = openStdin ? fifoWriter(params.stdinFifo) : undefined;
  const stopWatching = onExitFile(params, closeKeepers);
  const tty = params.ttyFile !== '';
  const child = spawn('sh', buildShimArgs({ ...params, stdinFifo: openStdin || tty ? params.stdinFifo : '' }), {
    detached: true, // its own session: a signal to boxlabd's process group does not reach the container
    stdio: 'ignore',
    env: shimEnv(),
  });
  child.unref();
  let released = false;
  const shimGone = () => {
    stopWatching();
    closeKeepers();
    stdin?.destroy();
  };
  // the shim killed before it could write the exit file, or unable to write it (a full disk): nothing
  // else will close the keepers
  child.once('error', shimGone);
  child.once('exit', shimGone);
  // the shim's own status is runc's (the container's code), unless the shim was killed: with no exit
  // file it is the only record of the code
  const shimStatus = new Promise<number | undefined>((resolve) => {
    child.once('error', () => resolve(undefined));
    child.once('exit', (code) => resolve(code ?? undefined));
  });
  // EOF on both fifos: the shim and the container are gone and every byte they wrote is in the log
  // (the child's 'exit' event may come a moment later)
  const exited = drained.then(() => {
    stdin?.destroy();
    return released ? new Promise<never>(() => undefined) : shimStatus;
  });
  return {
    kind: 'spawned',
    shimPid: child.pid ?? 0,
    exited,
    stdin,
    resize: (cols, rows) => void resizeTerminal(params.ttyFile, cols, rows),
    closeStdin: () => closeWriter(stdin),
    release() {
      released = true;
      stopWatching();
      closeKeepers();
      stdin?.destroy();
      for (const r of readers) r.destroy();
    },
  };
}

export function reattachShim(shimPid: number, fifos: FifoParams, output: ContainerOutput, openStdin: boolean): ContainerProcess {
  const { drained, readers } = pumps(output, fifos);
  const stdin = openStdin ? fifoWriter(fifos.stdinFifo) : undefined;
  const stopWatching = onExitFile(fifos, () => undefined);
  let released = false;
  const exited = drained.then(() => {
    stopWatching();
    return released ? new Promise<never>(() => undefined) : undefined;
  });
  return {
    kind: 'reattached',
    shimPid,
    exited,
    stdin,
    resize: (cols, rows) => void resizeTerminal(fifos.ttyFile, cols, rows),
    closeStdin: () => closeWriter(stdin),
    release() {
      released = true;
      stopWatching();
      stdin?.destroy();
      for (const r of readers) r.destroy();
    },
  };
}
