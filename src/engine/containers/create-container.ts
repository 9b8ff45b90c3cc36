// Stage 1: create (`POST /containers/create`, `docker create`). The image is resolved, its config merged
// with the request (Docker's rules: oci-spec/resolve-process.ts), the container folder gets its four fifos,
// the snapshotter prepares the writable layer over the image's layers with Docker's init layer (folders
// and a mount descriptor: nothing is mounted yet), volumes and binds are resolved, and the container
// becomes a member of its network (a record only). Writing container.json is the commit point: a failure
// before it undoes each step in reverse, as conman's rollback does.
import { promises as fs } from 'node:fs';
import { writeJsonAtomic } from '../../core/atomic-file.js';
import { alreadyExists, invalidArgument } from '../../core/errors.js';
import { newId, randomName } from '../../core/ids.js';
import { isNoSpace, noSpaceLeft } from '../../core/no-space.js';
import { timed } from '../../core/phase-timing.js';
import type { ContainerCreateBody, MountPoint } from '../docker-model.js';
import type { StageDeps } from './container-deps.js';
import type { ContainerPaths } from './container-files.js';
import { ZERO_TIME, type ContainerRecord } from './container-record.js';
import { applyContainerDefaults } from './container-defaults.js';
import { checkCreate, validateName } from './create-config.js';
import { compactHealthcheck, mergeHealthcheck } from './healthcheck-config.js';
import { normalizeLogConfig } from './log-config.js';
import { resolveBlockDevices } from './oci-spec/block-io.js';
import { adaptCreateResources } from './oci-spec/resource-checks.js';
import { resolveProcess } from './oci-spec/resolve-process.js';
import { nameConflict } from './resolve-ref.js';
import { parsePortBindings } from '../network/port-bindings.js';

/** every container's cgroup sits under this parent: /boxlab/<id> */
export const CGROUP_PARENT = '/boxlab';

export interface CreateInput {
  body: ContainerCreateBody;
  name?: string;
  /** the records of the other containers (names must be unique) */
  others: ContainerRecord[];
  /** the folder of the new container's files, from its id */
  filesOf: (id: string) => ContainerPaths;
  /** the mount points of a container named in --volumes-from */
  mountsOf: (ref: string) => Promise<MountPoint[]>;
  /** the anonymous volumes of a container named in --volumes-from */
  anonymousVolumesOf?: (ref: string) => Promise<string[]>;
}

/** the container's name: validated and free, or a random free one ("/" in front, as Docker keeps it) */
export function chooseName(name: string | undefined, others: ContainerRecord[]): string {
  if (name) {
    const fullName = validateName(name);
    const conflict = nameConflict(fullName, others);
    if (conflict) throw alreadyExists(conflict);
    return fullName;
  }
  let fullName: string;
  do fullName = `/${randomName()}`;
  while (nameConflict(fullName, others));
  return fullName;
}

/** resolves, prepares and commits a new container; returns its record as written to container.json */
export async function createContainer(deps: StageDeps, input: CreateInput): Promise<{ record: ContainerRecord; warnings: string[] }> {
  // the engine's log driver and ulimits fill what the request leaves out, before the checks (as dockerd)
  const body = { ...input.body, HostConfig: applyContainerDefaults(input.body.HostConfig ?? {}, deps.defaults) };
  if (!body.Image) throw invalidArgument('no image given: the create request needs "Image"');
  const fullName = chooseName(input.name, input.others);
  // --device-write-bps /dev/sdz: a device that is not there is a 400 of create (dockerd finds out at start)
  await resolveBlockDevices(body.HostConfig ?? {});
  const id = newId();
  const image = await timed(id, 'create.image', () => deps.images.resolve(body.Image as string));
  const hostname = body.Hostname || id.slice(0, 12);
  // Docker's merge of the image config with the request (oci-spec/resolve-process.ts); users are looked up at start
  const proc = resolveProcess(image.config, body, { hostname, tty: Boolean(body.Tty) });
  const { warnings } = checkCreate(body, proc.args);
  deps.tracer.emit(id, 'image.resolve', { ref: body.Image, imageId: image.id });

  const files = input.filesOf(id);
  const { HostConfig: hostConfig = {}, NetworkingConfig: networkingConfig, publishedPorts, warnings: edgeWarnings = [], ...config } = body;
  // the image's EXPOSE joins the request's, as in Docker; -P publishes them too (the API read only the request's)
  const exposed = { ...(image.config.ExposedPorts ?? {}), ...(config.ExposedPorts ?? {}) };
  const ports = hostConfig.PublishAllPorts && image.config.ExposedPorts ? parsePortBindings(hostConfig.PortBindings, exposed, true) : publishedPorts;
  // HEALTHCHECK: the request's --health-* fields over the image's, as dockerd merges them
  const healthcheck = mergeHealthcheck(config.Healthcheck, image.config.Healthcheck);
  const undo: Array<() => Promise<unknown>> = [];
  try {
    await fs.mkdir(files.dir, { recursive: true, mode: 0o710 });
    undo.push(() => fs.rm(files.dir, { recursive: true, force: true }));
    // the four fifos, created once and reused by every start of this container: renamed from a stock
    // that one mkfifo in eight creates refills (fifo-stock.ts)
    await timed(id, 'create.fifos', () => deps.fifos.make([files.stdin, files.stdout, files.stderr, files.ack]));
    // with Docker's init layer over the image: real /dev, /proc, /etc/hosts, ... whatever the image has there
    await timed(id, 'create.snapshot', () => deps.snapshotter.prepare(id, deps.images.layerDirs(image), { initLayer: true }));
    undo.push(() => deps.snapshotter.remove(id));
    const mounts = await deps.resolveMounts({
      containerId: id,
      hostConfig,
      // `-v /path` (no source) arrives as Config.Volumes, next to the image's VOLUMEs: both are anonymous volumes
      imageVolumes: { ...(image.config.Volumes ?? {}), ...(body.Volumes ?? {}) },
      mountsOf: input.mountsOf,
      anonymousVolumesOf: input.anonymousVolumesOf,
    });
    const record: ContainerRecord = {
      Id: id,
      Name: fullName,
      Created: new Date().toISOString(),
      ImageRef: body.Image,
      ImageId: image.id,
      imageConfig: image.config,
      Config: {
        ...config,
        Image: body.Image,
        Hostname: hostname,
        Env: proc.configEnv,
        Cmd: proc.cmd,
        Entrypoint: proc.entrypoint.length ? proc.entrypoint : null,
        WorkingDir: config.WorkingDir || image.config.WorkingDir || '',
        User: proc.user,
        Labels: { ...(image.config.Labels ?? {}), ...(config.Labels ?? {}) },
        StopSignal: config.StopSignal || image.config.StopSignal,
        Healthcheck: healthcheck ? compactHealthcheck(healthcheck) : undefined,
        ...(Object.keys(exposed).length > 0 ? { ExposedPorts: exposed } : {}),
      },
      HostConfig: { ...adaptCreateResources(hostConfig), LogConfig: normalizeLogConfig(hostConfig) },
      process: { args: proc.args, env: proc.env, cwd: proc.cwd, userSpec: proc.user, user: { uid: 0, gid: 0 } },
      ociMounts: mounts.ociMounts,
      mountPoints: mounts.mountPoints,
      anonymousVolumes: mounts.anonymousVolumes,
      pendingCopyUp: mounts.copyUp?.length ? mounts.copyUp : undefined,
      snapshotKey: id,
      cgroupsPath: `${CGROUP_PARENT}/${id}`,
      State: { Status: 'created', Pid: 0, ExitCode: 0, Error: '', OOMKilled: false, StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME },
      RestartCount: 0,
      manuallyStopped: false,
      shimPid: 0,
    };
    // network plane (issue 3): the container becomes a member of its network (404 for an unknown one)
    if (deps.network) {
      const network = deps.network;
      await timed(id, 'create.network', () => network.register({ containerId: id, name: fullName.slice(1), hostConfig, networkingConfig, ports }));
      undo.push(() => network.forget(id));
    }
    // container.json is the commit point: a folder without it is a create that never finished
    await timed(id, 'create.record', () => writeJsonAtomic(files.record, record));
    return { record, warnings: [...edgeWarnings, ...warnings] };
  } catch (err) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw isNoSpace(err) ? noSpaceLeft(`the files of container ${fullName.slice(1)}`, deps.paths.root, err) : err;
  }
}
