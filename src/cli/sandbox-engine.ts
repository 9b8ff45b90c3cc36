// Which boxlabd boxlab's own engine commands (explain, explain-build) ask: the socket named with --socket
// (or BOXLAB_SOCKET); else the sandbox's, chosen as the lab commands choose it (src/vm/sandbox-choice.ts).
// For a VM sandbox that is the guest's /run/boxlab/docker.sock, reached over the VM's SSH connection
// through a unix socket on this host that lives as long as the command (the web server does the same for
// the trace panel, sandbox-session.ts); so `boxlab explain web` on the host explains the VM's container.
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AppError, messageOf } from '../core/errors.js';
import { DEFAULT_ENGINE_SOCKET } from '../core/paths.js';
import type { Guest } from '../vm/guest.js';
import type { SandboxChoice } from '../vm/sandbox-choice.js';
import { GUEST_ENGINE_SOCKET } from '../vm/sandbox-session.js';
import { forwardUnixSocket, type UnixStreamOpener } from '../vm/socket-forward.js';
import { EngineClient } from './engine-client.js';

export interface SandboxEngine {
  client: EngineClient;
  /** for messages: "vm \"boxlab\"" or the socket's path */
  where: string;
  close(): Promise<void>;
}

/** the engine of a sandbox: this host's socket, or the VM's engine over SSH */
export async function sandboxEngine(choice: SandboxChoice, openGuest: (vm: string) => Promise<Guest>, localSocket: string = DEFAULT_ENGINE_SOCKET): Promise<SandboxEngine> {
  // a vm of the local provider is this host
  if (choice.kind === 'local' || choice.provider === 'local') return { client: new EngineClient(localSocket), where: localSocket, close: async () => undefined };
  const guest = await openGuest(choice.vm);
  if (!isOpener(guest)) {
    await guest.close?.();
    throw new AppError('FAILED_PRECONDITION', `boxlab cannot reach the engine of vm "${choice.vm}" (provider ${choice.provider} has no ssh guest)`, {
      suggestions: [`run it inside the vm: boxlab vm exec ${choice.vm} -- boxlab explain <container>`],
    });
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-engine-'));
  const socket = path.join(dir, 'docker.sock');
  const server = await forwardUnixSocket(guest, GUEST_ENGINE_SOCKET, socket).catch(async (err: unknown) => {
    await guest.close?.();
    throw err;
  });
  // the client keeps its connection alive: close() ends them rather than waiting for their timeout
  const connections = new Set<net.Socket>();
  server.on('connection', (c: net.Socket) => (connections.add(c), c.once('close', () => connections.delete(c))));
  return {
    client: new EngineClient(socket),
    where: `vm "${choice.vm}"`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of connections) c.destroy();
      await closed;
      await fs.rm(dir, { recursive: true, force: true });
      await guest.close?.();
    },
  };
}

/** a request to the sandbox's engine; a VM whose engine does not answer is named, with how to look */
export async function askSandboxEngine<T>(engine: SandboxEngine, vm: string | undefined, ask: (client: EngineClient) => Promise<T>): Promise<T> {
  try {
    return await ask(engine.client);
  } catch (err) {
    if (!vm || (err instanceof AppError && err.code !== 'UNAVAILABLE' && err.code !== 'INTERNAL')) throw err;
    throw new AppError('UNAVAILABLE', `cannot reach boxlabd in vm "${vm}" (${GUEST_ENGINE_SOCKET}, over SSH): ${messageOf(err)}`, {
      suggestions: [`check it: boxlab vm exec ${vm} -- docker version`, 'or ask another engine: --socket <path>'],
      cause: err,
    });
  }
}

function isOpener(g: Guest): g is Guest & UnixStreamOpener {
  return typeof (g as Partial<UnixStreamOpener>).openUnixStream === 'function';
}
