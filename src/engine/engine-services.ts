// The engine's parts, built and joined: EnginePaths -> FileTracer -> content store -> image store -> overlay
// snapshotter + mounter -> volumes -> runc container service -> network plane -> registry client (mirrors
// and insecure registries of the engine's configuration, src/engine/config/). boxlabd (src/boxlabd.ts) builds them once at start and serves
// them over the Docker API; nothing here knows about HTTP.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { removeStaleTemps } from '../core/atomic-file.js';
import type { EnginePaths } from '../core/paths.js';
import { CgroupReader } from './cgroups/cgroup-reader.js';
import { readSystemCpuSample, toDockerStats, type PreviousSample } from './cgroups/docker-stats.js';
import type { CgroupReader as CgroupPort } from './containers/container-deps.js';
import type { ContainerService } from './containers/container-service.js';
import type { ContainerDefaults } from './containers/container-defaults.js';
import { RuncContainerService } from './containers/runc-container-service.js';
import { OciLayoutContentStore } from './content/oci-layout-store.js';
import { RegistryDistribution, type Distribution } from './distribution/distribution-service.js';
import { mirrorsFromEnv } from './distribution/engine-registry-config.js';
import type { HostFacts } from './host/host-facts.js';
import { LocalImageStore } from './images/local-image-store.js';
import type { ImageStore } from './images/image-store.js';
import { Mounter } from './snapshots/mounter.js';
import { OverlaySnapshotter } from './snapshots/overlay-snapshotter.js';
import { FileTracer } from './trace/tracer.js';
import { LocalVolumeStore } from './volumes/local-volume-store.js';
import { defaultBridge, type DefaultBridgeOptions } from './network/default-bridge.js';
import { NetworkPlane } from './network/network-plane.js';
import { volumeMountResolver } from './volumes/volume-mount-resolver.js';
import type { VolumeStore } from './volumes/volume-store.js';


export const BOXLAB_VERSION = '0.1.0';

/** what createEngineServices reads from boxlabd's options */
/** the default bridge network's settings (bridgeName, bridgeSubnet, bridgeGateway from bip, bridgeMtu,
 *  bridgeHostBindingIp, bridgeIcc): network/default-bridge.ts */
export interface EngineServiceOptions extends DefaultBridgeOptions {
  /** docker.io mirrors tried first, as dockerd's registry-mirrors (after BOXLAB_REGISTRY_MIRRORS') */
  registryMirrors?: string[];
  /** registries spoken to in plain HTTP, as dockerd's insecure-registries ("myreg:5000") */
  insecureRegistries?: string[];
  /** what a container gets when its request says nothing: dockerd's log-driver/log-opts and default-ulimits */
  containerDefaults?: ContainerDefaults;
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

/** <root>/traces/removed: the stories of removed containers, kept for a while */
export function removedTracesDir(paths: EnginePaths): string {
  return path.join(paths.root, 'traces', 'removed');
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
export async function createEngineServices(paths: EnginePaths, tracer: FileTracer, options: EngineServiceOptions = {}): Promise<EngineServices> {
  const content = new OciLayoutContentStore(paths.content);
  const images = new LocalImageStore(paths, { content, tracer });
  await images.init();
  const snapshotter = new OverlaySnapshotter(paths.snapshots, tracer);
  const mounter = new Mounter(tracer);
  const volumes = new LocalVolumeStore(paths.volumes, tracer, mounter);
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
    defaults: options.containerDefaults,
  });
  // registry settings as in dockerd: registry-mirrors and insecure-registries (daemon.json or flags)
  const distribution = new RegistryDistribution({
    mirrors: [...mirrorsFromEnv(), ...(options.registryMirrors ?? [])],
    insecureRegistries: options.insecureRegistries ?? [],
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

