// Docker's shapes of a container: the ContainerSummary of `docker ps` and the ContainerInspectResponse
// of `docker inspect`, built from the record. Pure: the paths and live facts come in as arguments.
import type { HostConfig } from '../docker-model.js';
import type { Snapshot } from '../snapshots/snapshotter.js';
import type { ContainerRecord } from './container-record.js';
import { statusText } from './status-text.js';

export interface ContainerFiles {
  hostnamePath: string;
  hostsPath: string;
  resolvConfPath: string;
  logPath: string;
}

/** Docker shows the command as Path and Args, and ps joins them with spaces */
export function commandLine(c: ContainerRecord): { path: string; args: string[] } {
  const [path = '', ...args] = c.process.args;
  return { path, args };
}

export function networkMode(c: ContainerRecord): string {
  return c.HostConfig.NetworkMode || 'none';
}

export function toSummary(c: ContainerRecord, now: number, sizeRw?: number): Record<string, unknown> {
  const { path, args } = commandLine(c);
  const summary: Record<string, unknown> = {
    Id: c.Id,
    Names: [c.Name],
    Image: c.ImageRef,
    ImageID: c.ImageId,
    Command: [path, ...args].join(' '),
    Created: Math.floor(Date.parse(c.Created) / 1000),
    Ports: [],
    Labels: c.Config.Labels ?? {},
    State: c.State.Status,
    Status: statusText(c.State, now),
    HostConfig: { NetworkMode: networkMode(c) },
    NetworkSettings: { Networks: {} },
    Mounts: c.mountPoints,
  };
  if (sizeRw !== undefined) summary.SizeRw = sizeRw;
  return summary;
}

/** HostConfig as given, with the defaults Docker fills in */
export function hostConfigWithDefaults(h: HostConfig): HostConfig {
  const out: HostConfig = {
    Binds: null,
    ContainerIDFile: '',
    LogConfig: { Type: 'json-file', Config: {} },
    NetworkMode: 'none',
    PortBindings: {},
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    AutoRemove: false,
    VolumeDriver: '',
    VolumesFrom: null,
    CapAdd: null,
    CapDrop: null,
    Dns: [],
    DnsOptions: [],
    DnsSearch: [],
    ExtraHosts: null,
    GroupAdd: null,
    IpcMode: 'private',
    Cgroup: '',
    Links: null,
    OomScoreAdj: 0,
    PidMode: '',
    Privileged: false,
    PublishAllPorts: false,
    ReadonlyRootfs: false,
    SecurityOpt: null,
    UTSMode: '',
    UsernsMode: '',
    ShmSize: 67108864,
    Runtime: 'runc',
    CpuShares: 0,
    Memory: 0,
    NanoCpus: 0,
    BlkioWeight: 0,
    BlkioWeightDevice: [],
    BlkioDeviceReadBps: [],
    BlkioDeviceWriteBps: [],
    BlkioDeviceReadIOps: [],
    BlkioDeviceWriteIOps: [],
    CpuPeriod: 0,
    CpuQuota: 0,
    CpusetCpus: '',
    CpusetMems: '',
    KernelMemory: 0,
    MemoryReservation: 0,
    MemorySwap: 0,
    MemorySwappiness: null,
    OomKillDisable: false,
    PidsLimit: null,
    Ulimits: null,
    Devices: [],
    ...h,
  };
  // what dockerd stores when the request leaves them empty: its default IPC mode and /dev/shm size, and
  // swap twice the memory limit when only -m is given (the limit the cgroup gets)
  out.IpcMode ||= 'private';
  out.ShmSize ||= 67108864;
  if (!out.MemorySwap && h.Memory) out.MemorySwap = h.Memory * 2;
  return out;
}

export function toInspect(
  c: ContainerRecord,
  files: ContainerFiles,
  snapshot: Snapshot | undefined,
  execIds: string[],
): Record<string, unknown> {
  const { path, args } = commandLine(c);
  const mode = networkMode(c);
  const s = c.State;
  return {
    Id: c.Id,
    Created: c.Created,
    Path: path,
    Args: args,
    State: {
      Status: s.Status,
      Running: s.Status === 'running' || s.Status === 'paused' || s.Status === 'restarting',
      Paused: s.Status === 'paused',
      Restarting: s.Status === 'restarting',
      OOMKilled: s.OOMKilled,
      Dead: s.Status === 'dead',
      Pid: s.Pid,
      ExitCode: s.ExitCode,
      Error: s.Error,
      StartedAt: s.StartedAt,
      FinishedAt: s.FinishedAt,
      ...(s.Health ? { Health: s.Health } : {}),
    },
    Image: c.ImageId,
    ResolvConfPath: files.resolvConfPath,
    HostnamePath: files.hostnamePath,
    HostsPath: files.hostsPath,
    LogPath: files.logPath,
    Name: c.Name,
    RestartCount: c.RestartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: execIds.length ? execIds : null,
    HostConfig: hostConfigWithDefaults(c.HostConfig),
    GraphDriver: {
      Name: 'overlay2',
      Data: snapshot
        ? {
            LowerDir: snapshot.lowerdirs.join(':'),
            UpperDir: snapshot.upperdir,
            WorkDir: snapshot.workdir,
            MergedDir: snapshot.rootfs,
          }
        : null,
    },
    Mounts: c.mountPoints,
    Config: {
      ...c.Config,
      Image: c.ImageRef,
      Env: c.process.env,
      Cmd: c.Config.Cmd ?? null,
      Entrypoint: c.Config.Entrypoint ?? null,
      WorkingDir: c.Config.WorkingDir ?? '',
      Labels: c.Config.Labels ?? {},
    },
    NetworkSettings: {
      Bridge: '',
      SandboxID: '',
      HairpinMode: false,
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      Ports: {},
      SandboxKey: '',
      Networks: mode === 'host' || mode === 'none' ? { [mode]: emptyEndpoint() } : {},
    },
  };
}

function emptyEndpoint(): Record<string, unknown> {
  return {
    IPAMConfig: null,
    Links: null,
    Aliases: null,
    NetworkID: '',
    EndpointID: '',
    Gateway: '',
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    MacAddress: '',
    DriverOpts: null,
  };
}
