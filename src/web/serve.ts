// `boxlab serve` as one call: the sandbox's engine (found, or started for the local provider), the live
// trace feed, the labs backend, the terminals, and the web server, wired together; close() takes all of
// it down again (shells, streams, the engine child).
import { readInbox, readMembership } from '../classroom/class-membership.js';
import { TerminalMirror } from '../classroom/terminal-mirror.js';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import type { Lang } from '../core/lang.js';
import type { LabSessionContext } from '../labs/lab-session.js';
import type { Guest } from '../vm/guest.js';
import { SessionLabBackend } from './lab-backend.js';
import { FolderTutorialBackend } from './tutorial-backend.js';
import { EngineSupervisor } from './server/engine-supervisor.js';
import { TraceFeed } from './server/trace-feed.js';
import { NodeTraceFeeds } from './server/node-trace-feeds.js';
import { newToken } from './server/web-auth.js';
import { startWebServer, type RunningWebServer } from './server/web-server.js';
import { pageUrls, readRememberedServe, rememberServe } from './serve-address.js';
import type { PortOpener } from './server/port-proxy.js';
import type { LabBackend } from './server/web-backend.js';
import { runningContainers } from './server/published-ports.js';
import { guestTerminalFactory } from './terminal/guest-terminal-session.js';
import { ptyTerminalFactory } from './terminal/pty-terminal-session.js';
import type { TerminalFactory } from './terminal/terminal-session.js';
import { PACKAGE_ROOT } from '../core/package-root.js';

export interface ServeOptions {
  host: string;
  port: number;
  lang: Lang;
  /** the sandbox's engine socket */
  socket: string;
  provider: string;
  guest: Guest;
  labs: LabSessionContext;
  /** argv that starts the engine when it does not answer (local provider only) */
  engineStartCommand?: string[];
  token?: string;
  /** terminals for the provider; default: a bash under node-pty on this host (provider local) */
  terminals?: TerminalFactory;
  staticDir?: string;
  /** the folder with the tutorial pages; default $BOXLAB_TUTORIALS, else the repository's tutorials/ */
  tutorialsRoot?: string;
  /** a multi-node lab's node address on its lab network, for its terminal tab (the VM's record) */
  nodeAddress?: (node: string) => Promise<string | undefined>;
  /** wraps the labs backend (a hosted class seat's page reports its checks and hints to the class) */
  wrapLabs?: (labs: LabBackend) => LabBackend;
}

export interface Serving {
  url: string;
  port: number;
  token: string;
  server: RunningWebServer;
  engine: EngineSupervisor;
  close(): Promise<void>;
}

/** the repository's tutorials/ */
export function defaultTutorialsRoot(): string {
  return process.env.BOXLAB_TUTORIALS || path.join(PACKAGE_ROOT, 'tutorials');
}

/** dist/web: the page's bundled script and styles */
export function defaultStaticDir(): string {
  return path.join(PACKAGE_ROOT, 'dist', 'web');
}

export async function serve(options: ServeOptions): Promise<Serving> {
  const token = options.token ?? newToken();
  // on this host, shells and checks must reach the engine serve talks to; inside a VM the guest's own
  // DOCKER_HOST (its boxlabd's socket) is right, and --socket is the host's forwarded end of it
  const dockerEnv: Record<string, string> = options.provider === 'local' ? { DOCKER_HOST: `unix://${options.socket}`, BOXLAB_SOCKET: options.socket } : {};
  // a VM's engine is reached through ssh (a stream opened per request): under TCG the first answer can take seconds
  const engine = new EngineSupervisor({ socket: options.socket, startCommand: options.provider === 'local' ? options.engineStartCommand : undefined, ...(options.provider === 'local' ? {} : { pingTimeoutMs: 10_000 }) });
  const trace = new TraceFeed(options.socket);
  const session = new SessionLabBackend({ ctx: options.labs, guest: options.guest, env: dockerEnv, ...(options.nodeAddress ? { nodeAddress: options.nodeAddress } : {}) });
  const labs = options.wrapLabs ? options.wrapLabs(session) : session;
  // a multi-node lab's tabs open the shell of their node's VM (its own engine's DOCKER_HOST, as `lab shell`)
  // (each node's VM connection stays open while its shells and trace stream live: close() lets them go)
  const usedNodes = new Set<string>();
  const labNodeGuest = options.labs.nodeGuest;
  const nodeGuest = labNodeGuest ? (node: string) => (usedNodes.add(node), labNodeGuest(node)) : undefined;
  // and its "under the hood" panel follows the tab in front: that node's boxlabd, through its VM's connection
  const nodeTraces = nodeGuest ? new NodeTraceFeeds(nodeGuest) : undefined;
  // in a class: the terminals are mirrored to the class server while the teacher watches (ADR 0020)
  const seat = await readMembership();
  const mirror = seat ? new TerminalMirror({ url: seat.url, token: seat.token, lang: options.lang, trace, log: (l) => console.error(l) }) : undefined;
  const server = await startWebServer({
    ...(mirror ? { classHelp: mirror } : {}),
    classInbox: () => readInbox(),
    host: options.host,
    port: options.port,
    token,
    lang: options.lang,
    sandbox: { provider: options.provider },
    labs,
    tutorials: new FolderTutorialBackend({ guest: options.guest, root: options.tutorialsRoot ?? defaultTutorialsRoot(), env: dockerEnv }),
    engine,
    trace,
    terminals: options.terminals ?? terminalsFor(options.provider, options.guest, dockerEnv),
    ...(nodeGuest ? { nodeTerminals: (node: string) => guestTerminalFactory(nodeGuest(node)) } : {}),
    ...(nodeTraces ? { nodeTrace: (node: string) => nodeTraces.feed(node) } : {}),
    staticDir: options.staticDir ?? defaultStaticDir(),
    ports: { containers: () => runningContainers(options.socket), open: portOpener(options.provider, options.guest) },
  });
  trace.start();
  mirror?.start(server.hub);
  void engine.start();
  return {
    url: server.url,
    port: server.port,
    token,
    server,
    engine,
    async close() {
      trace.stop();
      nodeTraces?.stop();
      mirror?.close();
      await server.close();
      await Promise.all([...usedNodes].map((n) => labNodeGuest?.(n).close?.()));
      await engine.stop();
    },
  };
}

/** a TCP stream to a port on the sandbox's loopback: this host's for local, through SSH (ssh -L) for a VM */
export function portOpener(provider: string, guest: Guest): PortOpener {
  const viaSsh = (guest as Partial<{ openTcpStream(port: number): Promise<Duplex> }>).openTcpStream?.bind(guest);
  if (provider !== 'local' && viaSsh) return viaSsh;
  return (port) =>
    new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
}

/** a bash under node-pty on this host for the local provider; the sandbox's own shell (ssh2, ...) otherwise */
export function terminalsFor(provider: string, guest: Guest, env: Record<string, string>): TerminalFactory {
  if (provider === 'local' || !guest.openShell) return ptyTerminalFactory({ env });
  const open = guestTerminalFactory(guest);
  return (options) => open({ ...options, env: { ...env, ...options.env } });
}

/** opens the page in the desktop's browser when there is one (xdg-open); false when it cannot */
export function openInBrowser(url: string): boolean {
  const opener = ['/usr/bin/xdg-open', '/usr/local/bin/xdg-open'].find((f) => existsSync(f));
  if (!opener || (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)) return false;
  const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
  return true;
}

export interface RememberedServeOptions extends Omit<ServeOptions, 'port'> {
  /** undefined: the port of the last run if it is free, else any free one; 0: any free one */
  port?: number;
  /** where the port and token are kept between restarts ($BOXLAB_HOME/serve.json) */
  stateFile: string;
  /** replace the kept token (every old link stops working) */
  newToken?: boolean;
}

export interface RememberedServing extends Serving {
  /** the addresses to print: one, or for 0.0.0.0 each address of this machine */
  urls: string[];
  /** what differs from last time, to tell the user (a new token, another port) */
  notes: string[];
}

/**
 * serve() at the address of the last run: the same token (unless a new one is asked for) and, when no
 * port was named, the same port if it is still free (else any free one, said in the notes).
 */
export async function serveAtRememberedAddress(options: RememberedServeOptions): Promise<RememberedServing> {
  const last = await readRememberedServe(options.stateFile);
  const notes: string[] = [];
  const token = options.token ?? (options.newToken || !last ? newToken() : last.token);
  if (options.newToken && last) notes.push('a new token: links with the old one no longer open the page');
  let serving: Serving;
  if (options.port === undefined && last) {
    serving = await serve({ ...options, token, port: last.port }).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      notes.push(`port ${last.port} (used last time) is taken now: the page moved to a new port`);
      return serve({ ...options, token, port: 0 });
    });
  } else {
    serving = await serve({ ...options, token, port: options.port ?? 0 });
  }
  await rememberServe(options.stateFile, { port: serving.port, token });
  return { ...serving, urls: pageUrls(options.host, serving.port, token, os.networkInterfaces()), notes };
}
