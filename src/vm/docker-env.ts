// docker-env: the host's docker CLI talks to boxlabd inside a vm through <vm dir>/docker.sock, a unix
// socket that a background `boxlab vm forward <name>` process serves: each connection becomes a stream to
// /run/boxlab/docker.sock in the guest over the vm's SSH connection (socket-forward.ts), like
// `ssh -L local.sock:/run/boxlab/docker.sock`. `vm stop` and `vm delete` stop the forwarder by its pid.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { DEFAULT_ENGINE_SOCKET } from '../core/paths.js';
import { waitForFile } from '../core/wait-for-file.js';
import type { Guest } from './guest.js';
import { BOXLAB_ROOT } from './images/image-sources.js';
import { forwardUnixSocket, type UnixStreamOpener } from './socket-forward.js';

/** in the vm's folder: the forwarder's pid and the forwarded socket */
export const FORWARDER_PID_FILE = 'docker-forward.pid';
export const FORWARDED_SOCKET = 'docker.sock';
/** how long docker-env waits for a new forwarder's socket (it connects over SSH first) */
const FORWARDER_START_MS = 30_000;

/** what docker-env prints: eval it and `docker` on the host reaches the vm's engine */
export interface DockerEnv {
  DOCKER_HOST: string;
}

/** the VM service as docker-env and the forwarder use it */
export interface VmLookup {
  /** the vm's record; throws NOT_FOUND for an unknown vm */
  record(name: string): Promise<unknown>;
  records: { dir(name: string): string };
  guest(name: string): Promise<Guest>;
}

export interface DockerEnvOptions {
  /** starts the forwarder in the background (default: `boxlab vm forward <name>`, detached) */
  startForwarder?: (name: string) => void;
  timeoutMs?: number;
}

/** the DOCKER_HOST of vm `name`, starting its forwarder unless one runs already */
export async function dockerEnv(vms: VmLookup, name: string, options: DockerEnvOptions = {}): Promise<DockerEnv> {
  await vms.record(name);
  const dir = vms.records.dir(name);
  const socket = path.join(dir, FORWARDED_SOCKET);
  if (!(await forwarderAlive(dir))) {
    (options.startForwarder ?? spawnForwarder)(name);
    await waitForFile(socket, { timeoutMs: options.timeoutMs ?? FORWARDER_START_MS, pollMs: 100 });
    if (!(await fs.stat(socket).then(() => true, () => false))) {
      throw new AppError('UNAVAILABLE', `the docker socket of vm "${name}" could not be forwarded`, { suggestions: [`check the vm: boxlab vm exec ${name} -- docker version`] });
    }
  }
  return { DOCKER_HOST: `unix://${socket}` };
}

/** `boxlab vm forward <name>` in its own session, so it outlives the docker-env that started it */
function spawnForwarder(name: string): void {
  const child = spawn(process.execPath, [path.join(BOXLAB_ROOT, 'bin', 'run.js'), 'vm', 'forward', name], { detached: true, stdio: 'ignore' });
  child.unref();
}

/** is the pid in the vm's forwarder pid file a live process? */
export async function forwarderAlive(vmDir: string): Promise<boolean> {
  const pid = Number((await fs.readFile(path.join(vmDir, FORWARDER_PID_FILE), 'utf8').catch(() => '')).trim());
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** a running forwarder: close() stops serving and removes the socket */
export interface DockerSocketForward {
  socket: string;
  close(): Promise<void>;
}

/** the forwarder itself (`boxlab vm forward`): serves <vm dir>/docker.sock and records its own pid */
export async function forwardDockerSocket(vms: VmLookup, name: string): Promise<DockerSocketForward> {
  const guest = await vms.guest(name);
  if (!('openUnixStream' in guest)) throw new AppError('FAILED_PRECONDITION', `vm "${name}" cannot forward sockets (not an ssh guest)`);
  const dir = vms.records.dir(name);
  const socket = path.join(dir, FORWARDED_SOCKET);
  const server = await forwardUnixSocket(guest as unknown as UnixStreamOpener, DEFAULT_ENGINE_SOCKET, socket);
  await fs.writeFile(path.join(dir, FORWARDER_PID_FILE), String(process.pid));
  return {
    socket,
    close: async () => {
      server.close();
      await guest.close?.();
      await fs.rm(socket, { force: true });
    },
  };
}

/** stops vm's forwarder, if one runs (its command line must still be a forwarder's: pids are reused) */
export async function stopForwarder(vmDir: string): Promise<void> {
  const pid = Number((await fs.readFile(path.join(vmDir, FORWARDER_PID_FILE), 'utf8').catch(() => '')).trim());
  if (pid) {
    try {
      const cmd = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('forward')) process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  await fs.rm(path.join(vmDir, FORWARDER_PID_FILE), { force: true });
  await fs.rm(path.join(vmDir, FORWARDED_SOCKET), { force: true });
}
