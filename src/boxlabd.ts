// boxlabd: the engine's parts (src/engine/engine-services.ts) served over the Docker Engine API
// (src/engine/api/) on a unix socket; the one module that joins the engine and its HTTP layer, so that
// nothing under src/engine/ outside api/ depends on the API.
// Start-up order matters for crash safety: take the lock (one engine per root), clean what a crash left
// (tmp/, half-written `.tmp-*` files), let the container service reconnect to containers that kept running,
// and only then listen. Stopping closes the server and the services but leaves containers running, as
// dockerd with live-restore does.
// Where it answers comes from its configuration (src/engine/config/): unix sockets, TCP ports with or
// without TLS; a TCP port without --tlsverify gets dockerd's warning, since whoever reaches it is root here.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { silentLogger, type Logger } from './core/logger.js';
import { enginePaths, type EnginePaths } from './core/paths.js';
import { acquirePidLock, type PidLock } from './core/pid-lock.js';
import { ApiServer } from './engine/api/api-server.js';
import type { TlsSettings } from './engine/config/engine-config.js';
import { listenUrl, type ListenAddress } from './engine/config/listen-address.js';
import { readTlsFiles } from './engine/config/tls-files.js';
import type { ApiServices } from './engine/api/api-services.js';
import { dockerApiRouter } from './engine/api/docker-api.js';
import { EventHub, publishContainerEvents } from './engine/api/docker-events.js';
import { BOXLAB_VERSION, cleanCrashLeftovers, createEngineServices, removedTracesDir, traceFileFor, type EngineServiceOptions, type EngineServices } from './engine/engine-services.js';
import { readHostFacts } from './engine/host/host-facts.js';
import { FileTracer } from './engine/trace/tracer.js';
import { RemovedTraces } from './engine/trace/removed-traces.js';

export interface EngineOptions extends EngineServiceOptions {
  root: string;
  /** a unix socket to answer on, before the hosts */
  socketPath?: string;
  /** where else to answer (dockerd's -H): unix sockets and TCP ports */
  hosts?: ListenAddress[];
  /** TLS on the TCP ports (dockerd's --tls/--tlsverify) */
  tls?: TlsSettings;
  /** dockerd's debug: shown by docker info as Debug Mode */
  debug?: boolean;
  /** dockerd's labels: shown by docker info */
  labels?: string[];
  log?: Logger;
}

/** where the engine answers, as bound (a TCP port 0 becomes the port the kernel chose) */
export interface Listening {
  /** the first unix socket, if any */
  socketPath?: string;
  /** the first TCP port, if any */
  tcp?: { host: string; port: number };
  /** every address, as DOCKER_HOST values: unix:///run/boxlab/docker.sock, tcp://127.0.0.1:2376 */
  urls: string[];
}

/** dockerd's words for a TCP port without --tlsverify (cmd/dockerd/daemon.go loadListeners) */
export function insecureTcpWarnings(url: string): string[] {
  return [
    `Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network. host="${url}"`,
    `Binding to an IP address, even on localhost, can also give access to scripts run in a browser. Be safe out there! host="${url}"`,
  ];
}

export class Engine {
  private constructor(
    readonly paths: EnginePaths,
    private readonly lock: PidLock,
    private readonly server: ApiServer,
    private readonly services: EngineServices,
    private readonly tracer: FileTracer,
    private readonly unsubscribe: () => void,
    private readonly log: Logger,
    readonly listening: Listening,
  ) {}

  static async start(
    options: EngineOptions,
    makeServices: (paths: EnginePaths, tracer: FileTracer, options: EngineOptions) => Promise<EngineServices> = createEngineServices,
  ): Promise<Engine> {
    const log = options.log ?? silentLogger;
    const paths = enginePaths(path.resolve(options.root));
    await fs.mkdir(paths.root, { recursive: true, mode: 0o711 });
    const lock = await acquirePidLock(paths.lock, 'boxlabd');
    let reconciled = Promise.resolve();
    if (lock.tookOverFrom) log.info(`took over the lock of a dead boxlabd (pid ${lock.tookOverFrom})`);
    // the host's facts, once (runc --version, /proc, /sys): /info, /version, the create checks and the spec
    // builder share them; read while the folders are made and a crash's leftovers removed
    const hostRead = options.host ? Promise.resolve(options.host) : readHostFacts();
    try {
      for (const dir of [paths.content, paths.images, paths.snapshots, paths.containers, paths.volumes, paths.runcRoot]) {
        await fs.mkdir(dir, { recursive: true });
      }
      const removed = await cleanCrashLeftovers(paths);
      if (removed.length > 0) log.info(`removed ${removed.length} half-written file(s) left by a crash`);

      const tracer = new FileTracer(traceFileFor(paths), new RemovedTraces(removedTracesDir(paths)));
      const host = await hostRead;
      const services = await makeServices(paths, tracer, { ...options, host });
      await services.containers.recover();
      // network plane (issue 3): veths, netns and rules of containers that no longer run go; the rules of
      // running ones are rebuilt. The API listens meanwhile: every network change queues behind this one.
      if (services.networks) {
        const networks = services.networks;
        const all = await services.containers.list({ all: true, filters: {} });
        const running = new Set(all.filter((c) => c.State === 'running' || c.State === 'paused').map((c) => String(c.Id)));
        // the engine starts even when the kernel's packet filter is unusable: only bridge containers need it
        reconciled = networks
          .reconcile(running, new Set(all.map((c) => String(c.Id))))
          .catch((err: Error) => [`network plane: ${err.message}`])
          .then((warnings) => warnings.forEach((w) => log.warn(w)));
      }

      // docker events: the container service notifies each lifecycle step (create, start, die, ...)
      const events = new EventHub();
      const unsubscribe = publishContainerEvents(events, services.containers);
      const settings = {
        debug: options.debug ?? false,
        labels: options.labels ?? [],
        logDriver: options.containerDefaults?.logConfig?.Type ?? 'json-file',
        registryMirrors: options.registryMirrors ?? [],
        insecureRegistries: options.insecureRegistries ?? [],
      };
      const api: ApiServices = { ...services, trace: tracer, events, facts: { root: paths.root, version: BOXLAB_VERSION, host, settings }, log };
      const server = new ApiServer(dockerApiRouter(api), log);
      const listening = await listen(server, options, log);
      await reconciled;
      return new Engine(paths, lock, server, services, tracer, unsubscribe, log, listening);
    } catch (err) {
      await reconciled;
      await lock.release();
      throw err;
    }
  }

  /** closes the API, lets go of fifos and timers; containers keep running */
  async stop(): Promise<void> {
    this.log.info('stopping: containers keep running');
    await this.server.close();
    this.unsubscribe();
    await this.services.containers.close();
    // network plane (issue 3): with no container on a network, bridges and iptables chains go too
    await this.services.networks?.shutdown().catch((err: Error) => this.log.warn(`network cleanup: ${err.message}`));
    await this.tracer.flush();
    for (const url of this.listening.urls) if (url.startsWith('unix://')) await fs.rm(url.slice('unix://'.length), { force: true });
    await this.lock.release();
  }
}

/** listens on the socket and the hosts, in order; TCP ports speak TLS when it is on */
async function listen(server: ApiServer, options: EngineOptions, log: Logger): Promise<Listening> {
  const addresses: ListenAddress[] = [...(options.socketPath ? [{ proto: 'unix' as const, path: options.socketPath }] : []), ...(options.hosts ?? [])];
  if (addresses.length === 0) throw new Error('no address to listen on: give a unix socket or a tcp host');
  const tls = options.tls && addresses.some((a) => a.proto === 'tcp') ? await readTlsFiles(options.tls) : undefined;
  const listening: Listening = { urls: [] };
  const seen = new Set<string>();
  for (const address of addresses) {
    if (seen.has(listenUrl(address))) continue;
    seen.add(listenUrl(address));
    if (address.proto === 'unix') {
      await server.listenUnix(address.path);
      listening.socketPath ??= address.path;
      listening.urls.push(listenUrl(address));
      continue;
    }
    if (!tls?.verify) for (const line of insecureTcpWarnings(listenUrl(address))) log.warn(line);
    const bound = await server.listenTcp(address, tls);
    listening.tcp ??= bound;
    listening.urls.push(listenUrl({ proto: 'tcp', ...bound }));
  }
  return listening;
}
