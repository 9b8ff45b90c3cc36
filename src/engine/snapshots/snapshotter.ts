// A snapshotter turns image layers into a container's root filesystem. Like containerd's, prepare()
// only computes and creates folders, and returns mount descriptors; src/engine/snapshots/mounter.ts
// is the one module that performs mounts.
//
// The hand-off from the image store: the layers are folders the image store unpacked and owns
// (images/layer-store.ts), given to prepare() as paths, lowest first (ImageStore.layerDirs). The snapshotter
// stacks them read-only as overlay lower dirs: it never writes into them, and does not know or ask where
// the store keeps them. Its own folder holds only what is per container (and the shared init layer).

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
  /** creates the writable layer folders for key over layerDirs: the image's unpacked layers as the image store hands them over, lowest first */
  prepare(key: string, layerDirs: readonly string[], options?: PrepareOptions): Promise<Snapshot>;
  /** the snapshot of key, without changing anything; undefined if none */
  get(key: string): Promise<Snapshot | undefined>;
  /** removes the writable layer of key (it must be unmounted) */
  remove(key: string): Promise<void>;
  /** keys of every snapshot on disk (for recovery and `system df`) */
  list(): Promise<string[]>;
}
