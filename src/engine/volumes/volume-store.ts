// Named volumes: folders the engine owns under volumes/<name>/_data, which outlive containers.

export interface VolumeRecord {
  Name: string;
  Driver: 'local';
  Mountpoint: string;
  CreatedAt: string;
  Labels: Record<string, string>;
  Scope: 'local';
  Options: Record<string, string>;
}

export interface VolumeStore {
  /** driverOpts: the local driver's type, device, o (local-driver-options.ts) */
  create(name: string | undefined, labels?: Record<string, string>, driverOpts?: Record<string, string>): Promise<VolumeRecord>;
  /** mounts a volume created with options on its data folder, before a container starts with it */
  activate?(name: string): Promise<void>;
  /** takes that mount off again once no container that uses the volume runs (a tmpfs volume is then empty) */
  deactivate?(name: string): Promise<void>;
  /** throws NOT_FOUND `get <name>: no such volume` */
  get(name: string): Promise<VolumeRecord>;
  list(): Promise<VolumeRecord[]>;
  /** throws FAILED_PRECONDITION when in use (unless force), naming the containers `usedBy` gives */
  remove(name: string, options: { force?: boolean; isInUse: (name: string) => boolean; usedBy?: (name: string) => string[] }): Promise<void>;
  /** bytes used by a volume's data */
  usage(name: string): Promise<number>;
}
