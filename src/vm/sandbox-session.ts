// A long-lived session with a sandbox VM, for `boxlab serve --provider qemu|multipass|ssh`: the vm is
// brought up (created, started, or reused as it is, like `boxlab up`), one guest connection is kept for
// terminals and checks, and boxlabd's socket inside the vm (/run/boxlab/docker.sock) is forwarded to a
// unix socket on the host so the trace panel reads the vm's engine through SSH, never over TCP.
import path from 'node:path';
import type { Server } from 'node:net';
import { promises as fs } from 'node:fs';
import { AppError } from '../core/errors.js';
import type { Guest } from './guest.js';
import { forwardUnixSocket, type UnixStreamOpener } from './socket-forward.js';
import type { VmProviderName, VmSpec } from './vm-provider.js';
import type { VmService } from './vm-service.js';

/** boxlabd's socket inside every boxlab sandbox image */
export const GUEST_ENGINE_SOCKET = '/run/boxlab/docker.sock';
/** the host end serve forwards it to, in the vm's folder (docker-env's forwarder uses docker.sock) */
export const SERVE_SOCKET = 'serve-docker.sock';

export interface SandboxSession {
  vm: string;
  guest: Guest;
  /** the host unix socket that reaches the vm's boxlabd */
  socket: string;
  close(): Promise<void>;
}

export interface OpenSandboxOptions {
  vm: string;
  provider: VmProviderName;
  /** used when the vm has to be created */
  spec: VmSpec;
  progress?: (line: string) => void;
}

export async function openSandbox(svc: VmService, options: OpenSandboxOptions): Promise<SandboxSession> {
  const say = options.progress ?? (() => undefined);
  say(`sandbox vm "${options.vm}": bringing it up with ${options.provider} (reused when it exists)`);
  let vm = await svc.create(options.vm, options.provider, options.spec);
  if (vm.state !== 'running') vm = await svc.start(options.vm);
  const guest = await svc.guest(options.vm);
  if (!isOpener(guest)) {
    await guest.close?.();
    throw new AppError('FAILED_PRECONDITION', `vm "${options.vm}" cannot forward its engine socket (provider ${vm.provider} has no ssh guest)`, {
      suggestions: ['use --provider qemu or ssh'],
    });
  }
  const socket = path.join(svc.records.dir(options.vm), SERVE_SOCKET);
  let server: Server;
  try {
    server = await forwardUnixSocket(guest, GUEST_ENGINE_SOCKET, socket);
  } catch (err) {
    await guest.close?.();
    throw err;
  }
  return {
    vm: options.vm,
    guest,
    socket,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fs.rm(socket, { force: true });
      await guest.close?.();
    },
  };
}

function isOpener(g: Guest): g is Guest & UnixStreamOpener {
  return typeof (g as Partial<UnixStreamOpener>).openUnixStream === 'function';
}
