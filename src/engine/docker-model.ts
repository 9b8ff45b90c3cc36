// The subset of the Docker Engine API v1.41 object shapes boxlab uses (see
// ../shared/reference/docker-engine-api/v1.41.yaml). The API is the engine's public interface, so the
// engine's services take and return these shapes where Docker has one. It sits at the engine's root, not in
// api/, because every plane shares it: the API decodes requests into it, the services work on it.

/** container.HealthConfig: HEALTHCHECK and --health-* (durations in nanoseconds, 0 = the default) */
export interface HealthConfig {
  /** ["CMD", ...args], ["CMD-SHELL", command], ["NONE"]; empty: inherit the image's */
  Test?: string[] | null;
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
}

export interface ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object> | null;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Healthcheck?: HealthConfig;
  ArgsEscaped?: boolean;
  Image?: string;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Entrypoint?: string[] | null;
  NetworkDisabled?: boolean;
  OnBuild?: string[] | null;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  StopTimeout?: number | null;
  Shell?: string[] | null;
}

export interface RestartPolicy {
  Name?: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount?: number;
}

export interface MountSpec {
  Target: string;
  Source?: string;
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe';
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string>; DriverConfig?: unknown };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface HostConfig {
  Binds?: string[] | null;
  ContainerIDFile?: string;
  LogConfig?: { Type?: string; Config?: Record<string, string> };
  NetworkMode?: string;
  PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }>> | null;
  RestartPolicy?: RestartPolicy;
  AutoRemove?: boolean;
  VolumeDriver?: string;
  VolumesFrom?: string[] | null;
  Mounts?: MountSpec[] | null;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Dns?: string[] | null;
  DnsOptions?: string[] | null;
  DnsSearch?: string[] | null;
  ExtraHosts?: string[] | null;
  GroupAdd?: string[] | null;
  IpcMode?: string;
  Cgroup?: string;
  Links?: string[] | null;
  OomScoreAdj?: number;
  PidMode?: string;
  Privileged?: boolean;
  PublishAllPorts?: boolean;
  ReadonlyRootfs?: boolean;
  SecurityOpt?: string[] | null;
  Tmpfs?: Record<string, string> | null;
  UTSMode?: string;
  UsernsMode?: string;
  ShmSize?: number;
  Sysctls?: Record<string, string> | null;
  Runtime?: string;
  Init?: boolean | null;
  // resources
  CpuShares?: number;
  Memory?: number;
  NanoCpus?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  MemoryReservation?: number;
  MemorySwap?: number;
  MemorySwappiness?: number | null;
  OomKillDisable?: boolean | null;
  PidsLimit?: number | null;
  /** deprecated in dockerd 20.10 (a warning) and ignored by runc 1.1: kept in HostConfig, never applied */
  KernelMemory?: number;
  /** --blkio-weight (10-1000) and --blkio-weight-device: the share of disk time under contention */
  BlkioWeight?: number;
  BlkioWeightDevice?: WeightDevice[] | null;
  /** --device-read-bps, --device-write-bps (bytes/s), --device-read-iops, --device-write-iops (ops/s) */
  BlkioDeviceReadBps?: ThrottleDevice[] | null;
  BlkioDeviceWriteBps?: ThrottleDevice[] | null;
  BlkioDeviceReadIOps?: ThrottleDevice[] | null;
  BlkioDeviceWriteIOps?: ThrottleDevice[] | null;
  Ulimits?: Array<{ Name: string; Soft: number; Hard: number }> | null;
  Devices?: Array<{ PathOnHost: string; PathInContainer: string; CgroupPermissions: string }> | null;
  MaskedPaths?: string[] | null;
  ReadonlyPaths?: string[] | null;
}

/** a block device throttle (blkiodev.ThrottleDevice): the device's path on the host, a rate per second */
export interface ThrottleDevice {
  Path: string;
  Rate: number;
}

/** a per-device blkio weight (blkiodev.WeightDevice) */
export interface WeightDevice {
  Path: string;
  Weight: number;
}

/** the resource fields of HostConfig (Docker's container.Resources): what `docker update` may change */
export type Resources = Pick<
  HostConfig,
  | 'CpuShares' | 'Memory' | 'NanoCpus' | 'CpuPeriod' | 'CpuQuota' | 'CpusetCpus' | 'CpusetMems' | 'MemoryReservation' | 'MemorySwap'
  | 'MemorySwappiness' | 'OomKillDisable' | 'PidsLimit' | 'KernelMemory' | 'BlkioWeight' | 'BlkioWeightDevice' | 'BlkioDeviceReadBps'
  | 'BlkioDeviceWriteBps' | 'BlkioDeviceReadIOps' | 'BlkioDeviceWriteIOps' | 'Ulimits' | 'Devices'
>;

/** POST /containers/{id}/update body (container.UpdateConfig): resources and a restart policy */
export interface ContainerUpdateBody extends Resources {
  RestartPolicy?: RestartPolicy;
}

/** POST /containers/create body */
export interface ContainerCreateBody extends ContainerConfig {
  HostConfig?: HostConfig;
  NetworkingConfig?: { EndpointsConfig?: Record<string, unknown> };
  /**
   * Not Docker's: HostConfig.PortBindings, PublishAllPorts and ExposedPorts read once at the API's edge
   * (network/port-bindings.ts), what the network plane publishes. Absent: nothing is published.
   */
  publishedPorts?: PortRequest[];
  /** Not Docker's: what the API's edge warned about while reading the body (a --blkio-weight the kernel cannot apply); create's Warnings */
  warnings?: string[];
}

/** one port to publish (-p, -P), as the network plane receives it at create */
export interface PortRequest {
  proto: 'tcp' | 'udp';
  /** "" = every host address (0.0.0.0) */
  hostIp: string;
  /** 0: the engine picks a free port (-p 80, -P); with hostPortLast, the first port of a range to pick from */
  hostPort: number;
  /** -p 8000-8010:80: the last port of the host range (absent: hostPort alone) */
  hostPortLast?: number;
  containerPort: number;
}

/** Docker's mount point as shown by inspect (`Mounts`) */
export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs';
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

/** POST /containers/{id}/exec body */
export interface ExecCreateBody {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
  Tty?: boolean;
  Env?: string[] | null;
  Cmd: string[];
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
}

/** the `filters` of a prune as the services use them (parsed at the edge by api/prune-filters.ts) */
export interface PruneFilter {
  /** unix nanoseconds: only objects created at or before it go */
  until?: bigint;
  /** does an object with these labels, created at this RFC 3339 time, pass the filters? */
  matches(labels: Record<string, string> | null | undefined, created: string): boolean;
}
