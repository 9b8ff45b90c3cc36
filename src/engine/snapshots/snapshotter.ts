// A snapshotter turns image layers into a container's root filesystem. Like containerd's, prepare()
// only computes and creates folders, and returns mount descriptors; src/engine/snapshots/mounter.ts
// is the one module that performs mounts.

export interface MountDescriptor {
  type: string; // 'overlay' | 'bind' | 'tmpfs'
  source: string;
  target: string;
  options: string[];
}

export interface Snapshot {
  key: string;
  /** lower dirs, top-most first, as overlayfs wants them */
  lowerdirs: string[];
  upperdir: string;
  workdir: string;
  /** where the merged root is mounted */
  rootfs: string;
  mounts: MountDescriptor[];
}

export interface PrepareOptions {
  /** put the init layer (snapshots/init-layer.ts) between the layers and the writable layer, as Docker does for containers */
  initLayer?: boolean;
}

export interface Snapshotter {
  /** creates the writable layer folders for key over the given layer dirs (lowest first) */
  prepare(key: string, layerDirs: string[], options?: PrepareOptions): Promise<Snapshot>;
  /** the snapshot of key, without changing anything; undefined if none */
  get(key: string): Promise<Snapshot | undefined>;
  /** removes the writable layer of key (it must be unmounted) */
  remove(key: string): Promise<void>;
  /** keys of every snapshot on disk (for recovery and `system df`) */
  list(): Promise<string[]>;
}
