// The container service's MountResolver port (containers/container-deps.ts) over this plane:
// resolveMounts (pure) + LocalVolumeStore (creates named and anonymous volumes) + the -v host folders
// Docker creates. Image content is copied into new volumes later, when the rootfs is mounted: the result
// carries `copyUp` for the container service to pass to copyUpFromRootfs (Docker does it at create, with
// the rootfs mounted for a moment).
import { existsSync, promises as fs } from 'node:fs';
import { newId } from '../../core/ids.js';
import type { HostConfig, MountPoint } from '../docker-model.js';
import type { OciMount } from '../oci-runtime-spec.js';
import type { Tracer } from '../trace/tracer.js';
import type { LocalVolumeStore } from './local-volume-store.js';
import { resolveMounts } from './resolve-mounts.js';

export interface VolumeMountResolverInput {
  containerId: string;
  hostConfig: HostConfig;
  imageVolumes: Record<string, object> | null | undefined;
  /** the mount points of a container named in --volumes-from (throws NOT_FOUND for an unknown one) */
  mountsOf: (ref: string) => Promise<MountPoint[]>;
  /** the anonymous volumes of a container named in --volumes-from (they stay anonymous when shared) */
  anonymousVolumesOf?: (ref: string) => Promise<string[]>;
}

export interface VolumeMountResolverResult {
  ociMounts: OciMount[];
  mountPoints: MountPoint[];
  anonymousVolumes: string[];
  /** new volumes to fill from the image at their destination, once the rootfs is mounted */
  copyUp: Array<{ volume: string; destination: string; volumeDir: string }>;
}

export function volumeMountResolver(store: LocalVolumeStore, options: { volumesDir: string; tracer?: Tracer }) {
  return async (input: VolumeMountResolverInput): Promise<VolumeMountResolverResult> => {
    const hc = input.hostConfig;
    const otherContainers: Record<string, MountPoint[]> = {};
    const otherAnonymous: Record<string, string[]> = {};
    for (const spec of hc.VolumesFrom ?? []) {
      const ref = spec.split(':')[0];
      otherContainers[ref] = await input.mountsOf(ref);
      otherAnonymous[ref] = (await input.anonymousVolumesOf?.(ref)) ?? [];
    }
    const r = resolveMounts({
      binds: hc.Binds,
      mounts: hc.Mounts,
      tmpfs: hc.Tmpfs,
      imageVolumes: input.imageVolumes,
      volumesFrom: hc.VolumesFrom,
      otherContainers,
      otherAnonymous,
      volumesDir: options.volumesDir,
      exists: existsSync,
      newVolumeName: newId,
    });
    for (const name of r.volumesToCreate) await store.create(name);
    for (const dir of r.bindSourcesToCreate) await fs.mkdir(dir, { recursive: true, mode: 0o755 });
    for (const m of r.oci) {
      if (m.type !== 'bind') continue;
      options.tracer?.emit(input.containerId, 'volume.mount', {
        source: m.source,
        destination: m.destination,
        readOnly: m.options?.includes('ro') ?? false,
        options: m.options,
      });
    }
    return {
      ociMounts: r.oci,
      mountPoints: r.mountPoints,
      anonymousVolumes: r.anonymousVolumes,
      copyUp: r.copyUp.map((c) => ({ ...c, volumeDir: store.dataDir(c.volume) })),
    };
  };
}
