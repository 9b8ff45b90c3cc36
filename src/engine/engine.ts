// boxlabd's composition root: the one place that builds the engine's parts and joins them.
//   EnginePaths -> FileTracer -> content store -> image store -> overlay snapshotter + mounter -> volumes
//   -> runc container service -> registry client (mirrors from engine.json and --registry-mirror)
//   -> Docker API server on a unix socket.
// Start-up order matters for crash safety: take the lock (one engine per root), clean what a crash left
// (tmp/, half-written `.tmp-*` files), let the container service reconnect to containers that kept running,
// and only then listen. Stopping closes the server and the services but leaves containers running, as
// dockerd with live-restore does.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { removeStaleTemps } from '../core/atomic-file.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { enginePaths, type EnginePaths } from '../core/paths.js';
import { acquirePidLock, type PidLock } from '../core/pid-lock.js';
import { ApiServer } from './api/api-server.js';
import type { ApiServices } from './api/api-services.js';
import { dockerApiRouter } from './api/docker-api.js';
import { EventHub, publishContainerEvents } from './api/docker-events.js';
import { CgroupReader } from './cgroups/cgroup-reader.js';
import { readSystemCpuSample, toDockerStats, type PreviousSample } from './cgroups/docker-stats.js';
import type { CgroupReader as CgroupPort } from './containers/container-deps.js';
import type { ContainerService } from './containers/container-service.js';
import { RuncContainerService } from './containers/runc-container-service.js';
import { OciLayoutContentStore } from './content/oci-layout-store.js';
import { RegistryDistribution, type Distribution } from './distribution/distribution-service.js';
import { readEngineRegistryConfig } from './distribution/engine-registry-config.js';
import { readHostFacts, type HostFacts } from './host/host-facts.js';
import { LocalImageStore } from './images/local-image-store.js';
import type { ImageStore } from './images/image-store.js';
import { Mounter } from './snapshots/mounter.js';
import { OverlaySnapshotter } from './snapshots/overlay-snapshotter.js';
import { FileTracer } from './trace/tracer.js';
import { LocalVolumeStore } from './volumes/local-volume-store.js';
import { defaultBridge } from './network/default-bridge.js';
import { NetworkPlane } from './network/network-plane.js';
import { volumeMountResolver } from './volumes/volume-mount-resolver.js';
import type { VolumeStore } from './volumes/volume-store.js';

export const BOXLAB_VERSION = '0.1.0';

export interface EngineOptions {
  root: string;
  socketPath: string;
  /** "host:port": also listen on TCP (no TLS, no auth: for 127.0.0.1 only) */
  tcp?: string;
  log?: Logger;
  /** docker.io mirrors tried first, as dockerd's --registry-mirror (added to /etc/boxlab/engine.json's) */
  registryMirrors?: string[];
  /** the default bridge network's Linux bridge and subnet (default boxlab0, 172.17.0.0/16; see network/default-bridge.ts) */
  bridgeName?: string;
  bridgeSubnet?: string;
  /** facts about the host (default: read at start, once: src/engine/host/host-facts.ts) */
  host?: HostFacts;
}

export interface EngineServices {
  images: ImageStore;
  volumes: VolumeStore;
  containers: ContainerService;
  distribution?: Distribution;
  /** bridge networks (issue 3) */
  networks?: NetworkPlane;
}

/** images/<hex>.trace.jsonl for images ("sha256:..."), containers/<id>/trace.jsonl for containers */
export function traceFileFor(paths: EnginePaths): (objectId: string) => string {
  return (objectId) => {
    if (objectId.startsWith('sha256:')) return path.join(paths.images, `${objectId.slice('sha256:'.length)}.trace.jsonl`);
    if (objectId.startsWith('volume:')) return path.join(paths.volumes, objectId.slice('volume:'.length), 'trace.jsonl');
    return path.join(paths.containers, objectId, 'trace.jsonl');
  };
}

/** the real engine parts, joined */
export async function createEngineServices(paths: EnginePaths, tracer: FileTracer, options: Pick<EngineOptions, 'registryMirrors' | 'bridgeName' | 'bridgeSubnet' | 'host'> = {}): Promise<EngineServices> {
  const content = new OciLayoutContentStore(paths.content);
  const images = new LocalImageStore(paths, { content, tracer });
  await images.init();
  const snapshotter = new OverlaySnapshotter(paths.snapshots, tracer);
  const mounter = new Mounter(tracer);
  const volumes = new LocalVolumeStore(paths.volumes, tracer);
  const networks = new NetworkPlane({ root: paths.root, defaultBridge: defaultBridge(paths.root, options), tracer });
  await networks.init();
  const containers = new RuncContainerService({
    network: networks,
    paths,
    images,
    snapshotter,
    volumes,
    tracer,
    mounter,
    resolveMounts: volumeMountResolver(volumes, { volumesDir: paths.volumes, tracer }),
    cgroups: cgroupPort(new CgroupReader()),
    host: options.host,
  });
  // registry settings as in dockerd: daemon.json's registry-mirrors (engine.json here) plus the flag's
  const registry = readEngineRegistryConfig();
  const distribution = new RegistryDistribution({
    ...registry,
    mirrors: [...(options.registryMirrors ?? []), ...(registry.mirrors ?? [])],
    images,
    content,
    tmpDir: path.join(paths.tmp, 'pull'),
    tracer,
  });
  return { images, volumes, containers, distribution, networks };
}

/**
 * The container service's view of cgroups (OOM flag, pids, Docker's stats object) over the cgroups
 * plane's reader. Docker's CPU percentage needs two readings, so the previous one is kept per cgroup.
 */
export function cgroupPort(reader: CgroupReader): CgroupPort {
  const previous = new Map<string, PreviousSample>();
  return {
    readOomKilled: (cgroupsPath) => reader.readOomKilled(cgroupsPath),
    listPids: (cgroupsPath) => reader.pids(cgroupsPath),
    stats: async (cgroupsPath, container) => {
      const [stats, system] = await Promise.all([reader.stats(cgroupsPath), readSystemCpuSample()]);
      const sample = toDockerStats(stats, previous.get(cgroupsPath), { ...system, id: container.id, name: container.name });
      previous.set(cgroupsPath, { stats, ...system });
      return sample;
    },
  };
}

/** removes what a crash left half-done: tmp/ and `.tmp-*` files next to the engine's records */
export async function cleanCrashLeftovers(paths: EnginePaths): Promise<string[]> {
  await fs.rm(paths.tmp, { recursive: true, force: true });
  await fs.mkdir(paths.tmp, { recursive: true });
  const removed: string[] = [];
  for (const dir of [paths.root, paths.images, paths.containers, paths.volumes]) {
    removed.push(...(await removeStaleTemps(dir)).map((name) => path.join(dir, name)));
  }
  const containerDirs = await fs.readdir(paths.containers).catch(() => [] as string[]);
  for (const id of containerDirs) {
    const dir = path.join(paths.containers, id);
    removed.push(...(await removeStaleTemps(dir)).map((name) => path.join(dir, name)));
  }
  return removed;
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

      const tracer = new FileTracer(traceFileFor(paths));
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
