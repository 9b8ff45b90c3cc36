// What the spec builder needs to write a container's OCI runtime spec (config.json). The container
// service gathers it (image config + create request + resolved mounts); buildSpec turns it into the spec.
import type { HostConfig } from '../../docker-model.js';
import type { OciMount } from '../../oci-runtime-spec.js';
import type { HostFacts } from '../../host/host-facts.js';
import type { BlockDevices } from './block-io.js';

export interface ProcessUser {
  uid: number;
  gid: number;
  additionalGids?: number[];
}

export type NetworkSetup =
  | { mode: 'none' }
  | { mode: 'host' }
  /** join an existing network namespace (a container's, or one the network plane made) */
  | { mode: 'path'; path: string };

export interface JoinedNamespaces {
  pid?: string;
  ipc?: string;
}

export interface SpecInput {
  id: string;
  /** merged overlay root */
  rootfs: string;
  /** the resolved command line: entrypoint + cmd */
  args: string[];
  /** image env + request env, request wins */
  env: string[];
  cwd: string;
  user: ProcessUser;
  hostname: string;
  domainname?: string;
  terminal: boolean;
  /** binds, volumes, tmpfs and the /etc files, already resolved to OCI mounts */
  mounts: OciMount[];
  hostConfig: HostConfig;
  /** e.g. /boxlab/<id>: runc makes it under each v1 controller or under the v2 root */
  cgroupsPath: string;
  network: NetworkSetup;
  /** --pid container:<x> / --ipc container:<x>: the donor's namespace files (/proc/<pid>/ns/pid, .../ipc) */
  joined?: JoinedNamespaces;
  /** annotations to put in the spec (boxlab's own bookkeeping, e.g. the container name) */
  annotations?: Record<string, string>;
  /** host path of the init binary for HostConfig.Init (see findInitBinary); required when Init is true */
  initPath?: string;
  /** the major:minor of each device the blkio settings name (resolveBlockDevices), looked up at start */
  blockDevices?: BlockDevices;
  /** facts about the host (src/engine/host/host-facts.ts, read at engine start): seccomp needs arch and
   *  kernel (default: this host's); maxNofile is the engine's own hard RLIMIT_NOFILE, which the default
   *  limit must not pass; capabilities is the engine's own bounding set, what "all capabilities" can mean
   *  at most; devices are the host's device nodes, for --device and --privileged */
  host?: Partial<Pick<HostFacts, 'arch' | 'kernel' | 'maxNofile' | 'capabilities' | 'devices'>>;
}
