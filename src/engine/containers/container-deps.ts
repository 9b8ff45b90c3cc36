// What the container service needs from the other planes, as small ports. The engine's wiring passes
// the real modules (image store, snapshotter, mounter, volume mounts resolver, cgroups reader); the spec
// builder (spec/) is called directly. Keeping the others as ports lets the lifecycle be read without the
// details of each plane.
import type { HostConfig, MountPoint } from '../docker-model.js';
import type { ImageStore } from '../images/image-store.js';
import type { MountDescriptor, Snapshotter } from '../snapshots/snapshotter.js';
import type { Tracer } from '../trace/tracer.js';
import type { VolumeStore } from '../volumes/volume-store.js';
import type { EnginePaths } from '../../core/paths.js';
import type { OciMount } from '../oci-runtime-spec.js';
import type { NetworkAttacher } from '../network/network-attacher.js';
import type { RunOptions, RunResult } from '../../core/exec.js';
import type { ContainerDefaults } from './container-defaults.js';
import type { HostFacts } from '../host/host-facts.js';
import type { ContainerEvents } from './container-events.js';
import type { FifoStock } from './fifo-stock.js';
import type { Runc } from './runc.js';

/**
 * The process boundary of the lifecycle: runc and the other programs the stages run (mkfifo, ps), with
 * an argument array. The engine passes core/exec.ts's `run`; unit tests pass a recording double that
 * keeps each argument list and replays outputs recorded from the real programs.
 */
export type ProcessRunner = (file: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

/** performs the mounts a snapshotter describes (src/engine/snapshots/mounter.ts) */
export interface Mounter {
  /** objectId: the container the trace events (mount.overlay, mount.unmount) belong to */
  mount(mounts: MountDescriptor[], objectId?: string): Promise<void>;
  unmount(target: string, objectId?: string): Promise<void>;
}

export interface ResolvedMounts {
  ociMounts: OciMount[];
  mountPoints: MountPoint[];
  /** anonymous volumes created for this container (removed by rm -v / --rm) */
  anonymousVolumes: string[];
  /** new volumes to fill with the image's files at their destination (Docker's copy-up), done at first start */
  copyUp?: Array<{ volume: string; destination: string; volumeDir: string }>;
}

/** -v/--mount/--tmpfs/--volumes-from/image VOLUMEs -> OCI mounts; creates the named and anonymous volumes */
export type MountResolver = (input: {
  containerId: string;
  hostConfig: HostConfig;
  imageVolumes: Record<string, object> | null | undefined;
  /** the mount points of a container named in --volumes-from */
  mountsOf: (ref: string) => Promise<MountPoint[]>;
  /** the anonymous volumes of a container named in --volumes-from */
  anonymousVolumesOf?: (ref: string) => Promise<string[]>;
}) => Promise<ResolvedMounts>;

/** reads a container's cgroup (v1 or v2) through src/engine/cgroups */
export interface CgroupReader {
  readOomKilled(cgroupsPath: string): Promise<boolean>;
  listPids(cgroupsPath: string): Promise<number[]>;
  /** Docker's stats object for one sample */
  stats(cgroupsPath: string, container: { id: string; name: string }): Promise<Record<string, unknown>>;
}

export interface ContainerServiceDeps {
  paths: EnginePaths;
  images: ImageStore;
  snapshotter: Snapshotter;
  volumes: VolumeStore;
  tracer: Tracer;
  mounter: Mounter;
  /** default: no binds/volumes/tmpfs yet (refuses requests that ask for them) */
  resolveMounts?: MountResolver;
  /** default: OOM unknown (false), top/stats unavailable */
  cgroups?: CgroupReader;
  /** the host's resolv.conf (default /etc/resolv.conf) */
  hostResolvConf?: string;
  /** the runc binary (default "runc" on PATH) */
  runc?: string;
  /** runs runc, mkfifo, ps (default core/exec.ts's run) */
  exec?: ProcessRunner;
  /** network plane (issue 3): bridge networks, published ports; default: none/host/container: only */
  network?: NetworkAttacher;
  /** the host's facts, read at engine start (default: read at the first start of a container) */
  host?: HostFacts;
  /** the engine's defaults for new containers (log driver and options, ulimits): container-defaults.ts */
  defaults?: ContainerDefaults;
}

/** what the lifecycle's stages use: the ports with their defaults filled in, runc, and the event stream */
export interface StageDeps extends Omit<ContainerServiceDeps, 'runc'> {
  resolveMounts: MountResolver;
  cgroups: CgroupReader;
  exec: ProcessRunner;
  /** runc, with its root and binary */
  runc: Runc;
  /** the fifos of a create, from a stock one mkfifo in eight creates refills (fifo-stock.ts) */
  fifos: FifoStock;
  /** arch, kernel, open-files limit, the init binary: read once per engine */
  hostFacts(): Promise<HostFacts>;
  events: ContainerEvents;
}

import { invalidArgument, unavailable } from '../../core/errors.js';

/** until src/engine/volumes/resolve-mounts.ts is wired: containers without volumes only */
export const noMounts: MountResolver = async ({ hostConfig, imageVolumes }) => {
  const asked = (hostConfig.Binds?.length ?? 0) + (hostConfig.Mounts?.length ?? 0) + Object.keys(hostConfig.Tmpfs ?? {}).length + (hostConfig.VolumesFrom?.length ?? 0);
  if (asked > 0) throw invalidArgument('volumes, binds and tmpfs mounts are not available in this build yet');
  void imageVolumes;
  return { ociMounts: [], mountPoints: [], anonymousVolumes: [] };
};

/** until src/engine/cgroups is wired */
export const noCgroups: CgroupReader = {
  readOomKilled: async () => false,
  listPids: async () => {
    throw unavailable('reading container cgroups is not part of this build yet');
  },
  stats: async () => {
    throw unavailable('container stats are not part of this build yet');
  },
};
