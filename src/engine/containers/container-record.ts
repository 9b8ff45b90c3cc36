// What the engine keeps about one container, in containers/<id>/container.json (written atomically).
// It is the engine's memory of the container across restarts of boxlabd: the request as given, what
// create resolved (image, process, mounts, snapshot), and the state Docker's inspect shows.
import type { ContainerConfig, HostConfig, MountPoint } from '../docker-model.js';
import type { OciMount } from '../oci-runtime-spec.js';
import type { ProcessUser } from './oci-spec/spec-input.js';
import type { ContainerStatus } from './container-state.js';
import type { HealthState } from './health-state.js';

export interface ContainerStateRecord {
  Status: ContainerStatus;
  Pid: number;
  ExitCode: number;
  Error: string;
  OOMKilled: boolean;
  /** RFC3339; Docker's zero time "0001-01-01T00:00:00Z" when never */
  StartedAt: string;
  FinishedAt: string;
  /** set from the first start of a container with a healthcheck (health-state.ts); kept after it stops */
  Health?: HealthState;
}

/** the process as create settled it (oci-spec/resolve-process.ts); user is resolved at each start */
export interface ContainerProcessConfig {
  args: string[];
  /** the process environment (without HOME, which comes from the user's passwd entry) */
  env: string[];
  cwd: string;
  /** the -u value ("", "1000", "nobody:nogroup") */
  userSpec: string;
  user: ProcessUser;
}

export interface ContainerRecord {
  Id: string;
  /** with the leading slash, like Docker: "/web" */
  Name: string;
  Created: string;
  /** the reference the user gave ("busybox") */
  ImageRef: string;
  /** "sha256:..." */
  ImageId: string;
  /** the image's run config at create time (the image may be removed later with -f) */
  imageConfig: ContainerConfig;
  Config: ContainerConfig;
  HostConfig: HostConfig;
  process: ContainerProcessConfig;
  /** binds, volumes, tmpfs as OCI mounts (the /etc files are added at start) */
  ociMounts: OciMount[];
  /** Docker's mount points for inspect and ps */
  mountPoints: MountPoint[];
  /** anonymous volumes made for this container, removed by `rm -v` */
  anonymousVolumes: string[];
  /** volumes still to be filled from the image (copy-up), at the first start */
  pendingCopyUp?: Array<{ volume: string; destination: string; volumeDir: string }>;
  /** snapshot key (the container id) */
  snapshotKey: string;
  cgroupsPath: string;
  State: ContainerStateRecord;
  RestartCount: number;
  /** `docker stop`/`kill` by the user: the restart policy must not bring it back */
  manuallyStopped: boolean;
  /** the shim's pid while it runs (non-tty); lets recover() tell a live shim from a dead one */
  shimPid: number;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';
