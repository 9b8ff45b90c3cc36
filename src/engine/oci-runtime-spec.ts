// The OCI runtime spec (config.json in a runc bundle), as TypeScript types: the subset boxlab writes.
// Field names and shapes follow opencontainers/runtime-spec config.md and config-linux.md; the JSON
// schema in test/fixtures/runtime-spec/ checks every spec the builder produces. The spec builder
// (containers/oci-spec/) writes these shapes; volumes (mounts) and cgroups (resources) read parts of them,
// so they live here at the engine's root rather than inside the builder.

export const OCI_VERSION = '1.0.2';

export interface RuntimeSpec {
  ociVersion: string;
  process: SpecProcess;
  root: { path: string; readonly?: boolean };
  hostname?: string;
  domainname?: string;
  mounts: SpecMount[];
  annotations?: Record<string, string>;
  linux: SpecLinux;
}

export interface SpecProcess {
  terminal?: boolean;
  user: { uid: number; gid: number; additionalGids?: number[]; umask?: number };
  args: string[];
  env: string[];
  cwd: string;
  capabilities?: SpecCapabilities;
  rlimits?: SpecRlimit[];
  noNewPrivileges?: boolean;
  oomScoreAdj?: number;
  apparmorProfile?: string;
}

export interface SpecCapabilities {
  bounding: string[];
  effective: string[];
  permitted: string[];
  inheritable?: string[];
  ambient?: string[];
}

export interface SpecRlimit {
  type: string;
  hard: number;
  soft: number;
}

export interface SpecMount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

/** a mount the engine resolved for a container (bind, volume, tmpfs, an /etc file): one entry of `mounts` */
export type OciMount = SpecMount;

export const NAMESPACE_TYPES = ['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup'] as const;
export type NamespaceType = (typeof NAMESPACE_TYPES)[number];

export interface SpecNamespace {
  type: NamespaceType;
  path?: string;
}

export interface SpecDeviceCgroup {
  allow: boolean;
  type?: 'a' | 'c' | 'b';
  major?: number;
  minor?: number;
  access?: string;
}

export interface SpecResources {
  devices?: SpecDeviceCgroup[];
  memory?: {
    limit?: number;
    reservation?: number;
    swap?: number;
    swappiness?: number;
    disableOOMKiller?: boolean;
  };
  cpu?: {
    shares?: number;
    quota?: number;
    period?: number;
    cpus?: string;
    mems?: string;
  };
  pids?: { limit: number };
  blockIO?: SpecBlockIO;
}

/** a device's major:minor with a rate (bytes or operations per second) */
export interface SpecThrottleDevice {
  major: number;
  minor: number;
  rate: number;
}

/** linux.resources.blockIO: the blkio controller (v1) or io (v2) */
export interface SpecBlockIO {
  weight?: number;
  weightDevice?: Array<{ major: number; minor: number; weight?: number }>;
  throttleReadBpsDevice?: SpecThrottleDevice[];
  throttleWriteBpsDevice?: SpecThrottleDevice[];
  throttleReadIOPSDevice?: SpecThrottleDevice[];
  throttleWriteIOPSDevice?: SpecThrottleDevice[];
}

export interface SeccompSyscallArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

export interface SeccompSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: SeccompSyscallArg[];
}

export interface SpecSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  syscalls?: SeccompSyscall[];
}

/** a device node runc creates in the container's /dev */
export interface SpecDevice {
  path: string;
  type: 'c' | 'b' | 'p' | 'u';
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

export interface SpecLinux {
  namespaces: SpecNamespace[];
  devices?: SpecDevice[];
  resources?: SpecResources;
  cgroupsPath?: string;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  sysctl?: Record<string, string>;
  seccomp?: SpecSeccomp;
}

/** A spec modifier in containerd's WithX style: takes a spec, returns a changed copy. */
export type SpecOpt = (spec: RuntimeSpec) => RuntimeSpec;
