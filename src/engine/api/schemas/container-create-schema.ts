// The body of POST /containers/create (`docker create`/`docker run`), decoded once at the edge into the
// typed ContainerCreateBody the engine uses, with dockerd's words for a value of the wrong type (its Go
// type is runconfig.ContainerConfigWrapper: container.Config with HostConfig and NetworkingConfig beside
// it). Resource limits Docker refuses (a 1-byte memory limit, --memory-swap without -m, more CPUs than the
// host has) are checked here (containers/oci-spec/resource-checks.ts), and -p and -P are read here once into
// the ports the network plane publishes (network/port-bindings.ts), so that both are a 400 of `docker create`
// in dockerd's words, not a failed start; other values of the right type Docker still refuses (a bad
// --add-host) are checked next, by containers/create-config.ts, as dockerd's verifyContainerSettings does.
import { invalidArgument } from '../../../core/errors.js';
import type { ContainerCreateBody, HostConfig } from '../../docker-model.js';
import { checkResources, type ResourceHost } from '../../containers/oci-spec/resource-checks.js';
import { parsePortBindings } from '../../network/port-bindings.js';
import { endpointSettings } from './endpoint-settings-schema.js';
import { resourceFields } from './resources-schema.js';
import { refuseUnsupportedFields } from './unsupported-fields.js';
import { bool, decodeBody, integer, list, map, passThrough, set, string, strSlice, struct, text } from './go-json.js';

const strings = list(string, '[]string');
const stringMap = map(string, 'map[string]string');
const int64 = integer('int64');

const healthcheck = struct('HealthConfig', 'container.HealthConfig', {
  Test: strings,
  Interval: integer('time.Duration'),
  Timeout: integer('time.Duration'),
  StartPeriod: integer('time.Duration'),
  Retries: integer('int'),
});

const mount = struct<NonNullable<HostConfig['Mounts']>[number]>('Mount', 'mount.Mount', {
  Type: text<'bind' | 'volume' | 'tmpfs' | 'npipe'>('mount.Type'),
  Source: string,
  Target: string,
  ReadOnly: bool,
  Consistency: text('mount.Consistency'),
  BindOptions: struct('BindOptions', 'mount.BindOptions', { Propagation: text('mount.Propagation'), NonRecursive: bool }),
  VolumeOptions: struct('VolumeOptions', 'mount.VolumeOptions', { NoCopy: bool, Labels: stringMap, DriverConfig: passThrough }),
  TmpfsOptions: struct('TmpfsOptions', 'mount.TmpfsOptions', { SizeBytes: int64, Mode: integer('os.FileMode') }),
});

const portBinding = struct('PortBinding', 'nat.PortBinding', { HostIp: string, HostPort: string });

const hostConfig = struct<HostConfig>('HostConfig', 'container.HostConfig', {
  Binds: strings,
  ContainerIDFile: string,
  LogConfig: struct('LogConfig', 'container.LogConfig', { Type: string, Config: stringMap }),
  NetworkMode: text('container.NetworkMode'),
  PortBindings: map(list(portBinding, '[]nat.PortBinding'), 'nat.PortMap'),
  RestartPolicy: struct('RestartPolicy', 'container.RestartPolicy', {
    Name: text<NonNullable<NonNullable<HostConfig['RestartPolicy']>['Name']>>(),
    MaximumRetryCount: integer('int'),
  }),
  AutoRemove: bool,
  VolumeDriver: string,
  VolumesFrom: strings,
  Mounts: list(mount, '[]mount.Mount'),
  CapAdd: strSlice,
  CapDrop: strSlice,
  Dns: strings,
  DnsOptions: strings,
  DnsSearch: strings,
  ExtraHosts: strings,
  GroupAdd: strings,
  IpcMode: text('container.IpcMode'),
  Cgroup: text('container.CgroupSpec'),
  Links: strings,
  OomScoreAdj: integer('int'),
  PidMode: text('container.PidMode'),
  Privileged: bool,
  PublishAllPorts: bool,
  ReadonlyRootfs: bool,
  SecurityOpt: strings,
  Tmpfs: stringMap,
  UTSMode: text('container.UTSMode'),
  UsernsMode: text('container.UsernsMode'),
  ShmSize: int64,
  Sysctls: stringMap,
  Runtime: string,
  Init: bool,
  ...resourceFields,
  MaskedPaths: strings,
  ReadonlyPaths: strings,
});

const createBody = struct<Omit<ContainerCreateBody, 'publishedPorts' | 'warnings'>>('ContainerConfigWrapper', 'runconfig.ContainerConfigWrapper', {
  Hostname: string,
  Domainname: string,
  User: string,
  AttachStdin: bool,
  AttachStdout: bool,
  AttachStderr: bool,
  ExposedPorts: set('nat.PortSet'),
  Tty: bool,
  OpenStdin: bool,
  StdinOnce: bool,
  Env: strings,
  Cmd: strSlice,
  Healthcheck: healthcheck,
  ArgsEscaped: bool,
  Image: string,
  Volumes: set('map[string]struct {}'),
  WorkingDir: string,
  Entrypoint: strSlice,
  NetworkDisabled: bool,
  OnBuild: strings,
  Labels: stringMap,
  StopSignal: string,
  StopTimeout: integer('int'),
  Shell: strSlice,
  HostConfig: hostConfig,
  NetworkingConfig: struct('NetworkingConfig', 'network.NetworkingConfig', {
    EndpointsConfig: map(endpointSettings, 'map[string]*network.EndpointSettings'),
  }),
});

/** the create body, typed, with its published ports; dockerd's 400s for a missing body, a value of the wrong
 *  type, a resource limit it refuses (host: the CPUs a --cpus or --cpuset-cpus may ask for) or a bad port */
export function parseContainerCreate(json: unknown, host: ResourceHost): ContainerCreateBody {
  const body = decodeBody(json, createBody, 'runconfig.ContainerConfigWrapper');
  if (!body) throw invalidArgument('Config cannot be empty in order to create a container');
  refuseUnsupportedFields(json); // fields the engine would ignore (cgroup_parent, storage_opt, ...) are a 400
  // what this kernel cannot apply (a --blkio-weight without blkio.weight) is dropped with dockerd's warning
  const { resources, warnings } = checkResources(body.HostConfig ?? {}, host);
  const hostConfig = body.HostConfig ? resources : undefined;
  const publishedPorts = parsePortBindings(hostConfig?.PortBindings, body.ExposedPorts, hostConfig?.PublishAllPorts);
  return { ...body, ...(hostConfig ? { HostConfig: hostConfig } : {}), ...(publishedPorts.length ? { publishedPorts } : {}), ...(warnings.length ? { warnings } : {}) };
}
