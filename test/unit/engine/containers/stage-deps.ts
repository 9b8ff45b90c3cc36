// The lifecycle stages' ports as recording doubles, for the stage tests: runc and the other programs go
// through a RecordingProcessRunner; the snapshotter, mounter and network plane write what they were asked
// into one ordered list of calls; the tracer and the event stream keep what they got.
import path from 'node:path';
import { enginePaths } from '../../../../src/core/paths.js';
import type { StageDeps } from '../../../../src/engine/containers/container-deps.js';
import { ContainerEvents, type ContainerEvent } from '../../../../src/engine/containers/container-events.js';
import { FifoStock } from '../../../../src/engine/containers/fifo-stock.js';
import { Runc } from '../../../../src/engine/containers/runc.js';
import type { ImageStore } from '../../../../src/engine/images/image-store.js';
import type { NetworkAttacher } from '../../../../src/engine/network/network-attacher.js';
import type { Snapshot, Snapshotter } from '../../../../src/engine/snapshots/snapshotter.js';
import { MemoryTracer } from '../../../../src/engine/trace/tracer.js';
import type { VolumeStore } from '../../../../src/engine/volumes/volume-store.js';
import { BUSYBOX } from '../api/fake-services.js';
import { RecordingProcessRunner } from './recording-runner.js';
import { FAKE_HOST } from '../api/fake-services.js';

export interface RecordingStage {
  deps: StageDeps;
  runner: RecordingProcessRunner;
  tracer: MemoryTracer;
  /** snapshotter, mounter and network calls, in the order they came */
  calls: string[];
  /** the container events notified */
  events: ContainerEvent[];
  snapshots: Map<string, Snapshot>;
}


export function recordingStage(root: string, over: { network?: boolean; oomKilled?: boolean } = {}): RecordingStage {
  const paths = enginePaths(root);
  const runner = new RecordingProcessRunner();
  const tracer = new MemoryTracer();
  const calls: string[] = [];
  const snapshots = new Map<string, Snapshot>();
  const containerEvents = new ContainerEvents();
  const events: ContainerEvent[] = [];
  containerEvents.subscribe((e) => events.push(e));
  const images: Pick<ImageStore, 'resolve' | 'layerDirs'> = {
    resolve: async (ref) => {
      if (ref !== 'busybox') throw new Error(`no image ${ref}`);
      return BUSYBOX;
    },
    layerDirs: () => [path.join(root, 'layers', 'l1')],
  };
  const snapshotter: Snapshotter = {
    prepare: async (key, lowerdirs) => {
      calls.push(`snapshot.prepare ${key}`);
      const dir = path.join(root, 'snapshots', key);
      const snap: Snapshot = { key, lowerdirs: [...lowerdirs], upperdir: `${dir}/fs`, workdir: `${dir}/work`, rootfs: `${dir}/merged`, mounts: [] };
      snapshots.set(key, snap);
      return snap;
    },
    get: async (key) => snapshots.get(key),
    remove: async (key) => {
      calls.push(`snapshot.remove ${key}`);
      snapshots.delete(key);
    },
    list: async () => [...snapshots.keys()],
  };
  const network: NetworkAttacher = {
    register: async (req) => void calls.push(`network.register ${req.name}`),
    attach: async (req) => {
      calls.push(`network.attach ${req.name}`);
      return { network: { mode: 'path', path: path.join(root, 'netns', req.containerId) } };
    },
    detach: async (id) => void calls.push(`network.detach ${id.slice(0, 4)}`),
    forget: async (id) => void calls.push(`network.forget ${id.slice(0, 4)}`),
    view: () => undefined,
  };
  const deps: StageDeps = {
    paths,
    images: images as ImageStore,
    snapshotter,
    volumes: {} as VolumeStore,
    tracer,
    mounter: {
      mount: async (_mounts, id) => void calls.push(`mount ${id?.slice(0, 4)}`),
      unmount: async (target) => void calls.push(`unmount ${target}`),
    },
    resolveMounts: async () => ({ ociMounts: [], mountPoints: [], anonymousVolumes: [] }),
    cgroups: {
      readOomKilled: async (cgroupsPath) => {
        calls.push(`cgroup.oom ${cgroupsPath}`);
        return over.oomKilled ?? false;
      },
      listPids: async () => [],
      stats: async () => ({}),
    },
    network: over.network === false ? undefined : network,
    exec: runner.run,
    runc: new Runc(paths.runcRoot, 'runc', runner.run),
    fifos: new FifoStock(path.join(paths.tmp, 'fifos'), runner.run),
    hostFacts: async () => FAKE_HOST,
    events: containerEvents,
  };
  return { deps, runner, tracer, calls, events, snapshots };
}
