// boxlabd: the engine's parts (src/engine/engine-services.ts) served over the Docker Engine API
// (src/engine/api/) on a unix socket; the one module that joins the engine and its HTTP layer, so that
// nothing under src/engine/ outside api/ depends on the API.
// Start-up order matters for crash safety: take the lock (one engine per root), clean what a crash left
// (tmp/, half-written `.tmp-*` files), let the container service reconnect to containers that kept running,
// and only then listen. Stopping closes the server and the services but leaves containers running, as
// dockerd with live-restore does.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { silentLogger, type Logger } from './core/logger.js';
import { enginePaths, type EnginePaths } from './core/paths.js';
import { acquirePidLock, type PidLock } from './core/pid-lock.js';
import { ApiServer } from './engine/api/api-server.js';
import type { ApiServices } from './engine/api/api-services.js';
import { dockerApiRouter } from './engine/api/docker-api.js';
import { EventHub, publishContainerEvents } from './engine/api/docker-events.js';
import { BOXLAB_VERSION, cleanCrashLeftovers, createEngineServices, removedTracesDir, traceFileFor, type EngineServiceOptions, type EngineServices } from './engine/engine-services.js';
import { readHostFacts } from './engine/host/host-facts.js';
import { FileTracer } from './engine/trace/tracer.js';
import { RemovedTraces } from './engine/trace/removed-traces.js';

export interface EngineOptions extends EngineServiceOptions {
  root: string;
  socketPath: string;
  /** "host:port": also listen on TCP (no TLS, no auth: for 127.0.0.1 only) */
  tcp?: string;
  log?: Logger;
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
    readonly listening: { socketPath: string; tcp?: { host: string; port: number } },
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
      const api: ApiServices = { ...services, trace: tracer, events, facts: { root: paths.root, version: BOXLAB_VERSION, host }, log };
      const server = new ApiServer(dockerApiRouter(api), log);
      await server.listenUnix(options.socketPath);
      const tcp = options.tcp ? await server.listenTcp(options.tcp) : undefined;
      await reconciled;
      return new Engine(paths, lock, server, services, tracer, unsubscribe, log, { socketPath: options.socketPath, tcp });
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
    await fs.rm(this.listening.socketPath, { force: true });
    await this.lock.release();
  }
}
