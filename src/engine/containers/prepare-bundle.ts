// Stage 2: the OCI bundle, before runc (part of `POST /containers/<id>/start`). runc wants a folder with a
// root filesystem and a config.json; this stage makes one, in this order:
//   mount       (mountRootfs) the Mounter mounts the overlay (image layers below, the container's layer on top) on merged/
//   user        -u names are looked up in the container's own /etc/passwd, so only once it is mounted
//   /etc files  hostname, hosts and resolv.conf, written for bind mounts on /etc (as Docker does)
//   network     a bridge network's netns, veth, address, published ports and rules (network plane,
//               ADR 0007); `host` uses the host's namespace, `container:<x>` joins x's, `none` gets an empty one
//   pid, ipc    --pid container:<x> and --ipc container:<x> join x's namespaces (x must run; for ipc, x
//               must be --ipc shareable, as in dockerd; its /dev/shm is not shared, unlike dockerd)
//   copy-up     a new volume over a folder of the image starts with the image's files (Docker's copy-up)
//   config.json the spec builder (oci-spec/): capabilities, seccomp, masked paths, namespaces, cgroup, limits
// releaseBundle undoes it (and runc's state) for a start that failed after the mount.
import { promises as fs } from 'node:fs';
import { failedPrecondition, internal } from '../../core/errors.js';
import { timed } from '../../core/phase-timing.js';
import type { OciMount, RuntimeSpec } from '../oci-runtime-spec.js';
import { copyUpFromRootfs } from '../volumes/copy-up.js';
import type { StageDeps } from './container-deps.js';
import type { ContainerPaths } from './container-files.js';
import type { ContainerRecord } from './container-record.js';
import { buildHostname, buildHosts, buildResolvConf } from './etc-files.js';
import { logPolicy } from './log-config.js';
import { resolveBlockDevices } from './oci-spec/block-io.js';
import { buildSpec, specTraceDetails } from './oci-spec/build-spec.js';
import { envWithHome, mergeEnv } from './oci-spec/resolve-process.js';
import { linksEnv } from '../network/link-env.js';
import { resolveUser } from './oci-spec/resolve-user.js';
import type { JoinedNamespaces, NetworkSetup } from './oci-spec/spec-input.js';
import { cgroupLimitsSummary } from '../cgroups/limits-summary.js';

export interface BundleInput {
  record: ContainerRecord;
  files: ContainerPaths;
  /** the record of the container named in --network, --pid or --ipc container:<x> */
  containerOf: (ref: string) => Promise<ContainerRecord>;
}

/** the overlay on merged/ (image layers below, the container's layer on top); returns the rootfs path */
export async function mountRootfs(deps: StageDeps, r: ContainerRecord): Promise<string> {
  logPolicy(r.HostConfig); // a bad --log-opt value stops the start, as in dockerd
  const snapshot = await deps.snapshotter.get(r.snapshotKey);
  if (!snapshot) throw internal(`container ${r.Id} has no snapshot: its root filesystem is gone`, { suggestions: [`remove it: docker rm ${r.Id.slice(0, 12)}`] });
  await timed(r.Id, 'start.mount', () => deps.mounter.mount(snapshot.mounts, r.Id));
  return snapshot.rootfs;
}

/**
 * The rest of the bundle over the mounted rootfs: user, /etc files, network, copy-up, config.json. On an
 * error the caller undoes with releaseBundle. Sets record.process.user and clears record.pendingCopyUp
 * (the caller saves the record).
 */
export async function writeBundle(deps: StageDeps, input: BundleInput, rootfs: string): Promise<void> {
  const { record: r, files: f } = input;
  // -u names are looked up in the container's own /etc/passwd, so only now that it is mounted
  const user = await resolveUser(rootfs, r.process.userSpec, r.HostConfig.GroupAdd ?? []);
  r.process = { ...r.process, user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids } };
  const mode = r.HostConfig.NetworkMode ?? '';
  await timed(r.Id, 'start.etc-files', () => writeEtcFiles(deps, r, f, mode === 'host'));
  const { setup: network, trace: networkTrace } = await timed(r.Id, 'start.network', () => setUpNetwork(deps, input, mode));
  // --link: the target's address, ports and variables, as they are at this start (link-env.ts)
  const linked = await linksEnv(r.Name.slice(1), r.HostConfig.Links ?? [], async (ref) => {
    const c = await input.containerOf(ref);
    return { Id: c.Id, Name: c.Name, running: c.State.Status === 'running', env: c.Config.Env ?? [], exposedPorts: Object.keys(c.Config.ExposedPorts ?? {}) };
  }, (id) => {
    const ip = deps.network?.view(id, undefined)?.settings.IPAddress;
    return typeof ip === 'string' ? ip : undefined;
  });
  const env = envWithHome(mergeEnv(linked, r.process.env), user.home);
  const etcMounts: OciMount[] = [
    { destination: '/etc/hostname', type: 'bind', source: f.hostname, options: ['rbind', 'rprivate'] },
    { destination: '/etc/hosts', type: 'bind', source: f.hosts, options: ['rbind', 'rprivate'] },
    { destination: '/etc/resolv.conf', type: 'bind', source: f.resolvConf, options: ['rbind', 'rprivate'] },
  ];
  // a volume created with the local driver's options (tmpfs, a bind of a host folder) gets its mount first
  for (const m of r.mountPoints) if (m.Type === 'volume' && m.Name) await deps.volumes.activate?.(m.Name);
  // Docker's copy-up: a new volume over a folder of the image starts with the image's files
  for (const c of r.pendingCopyUp ?? []) await copyUpFromRootfs(rootfs, c.destination, c.volumeDir);
  r.pendingCopyUp = undefined;
  deps.tracer.emit(r.Id, 'namespace.network', networkTrace);
  const hostFacts = await deps.hostFacts();
  const spec: RuntimeSpec = buildSpec({
    id: r.Id,
    rootfs,
    args: r.process.args,
    env,
    cwd: r.process.cwd,
    user: r.process.user,
    hostname: r.Config.Hostname || r.Id.slice(0, 12),
    domainname: r.Config.Domainname || undefined,
    terminal: Boolean(r.Config.Tty),
    mounts: [...r.ociMounts, ...etcMounts],
    hostConfig: r.HostConfig,
    cgroupsPath: r.cgroupsPath,
    network,
    joined: await joinedNamespaces(input),
    annotations: { 'org.boxlab.container.name': r.Name.slice(1) },
    initPath: hostFacts.init?.path,
    blockDevices: await resolveBlockDevices(r.HostConfig),
    host: hostFacts,
  });
  await timed(r.Id, 'start.config-json', () => writeRegenerated(f.spec, JSON.stringify(spec, null, 2) + '\n'));
  deps.tracer.emit(r.Id, 'spec.write', specTraceDetails(spec, f.spec));
  deps.tracer.emit(r.Id, 'cgroup.limits', { cgroupsPath: r.cgroupsPath, version: `v${hostFacts.cgroupVersion}`, summary: cgroupLimitsSummary(spec.linux.resources) });
}

/** the network namespace runc will use, and what the trace says of it */
async function setUpNetwork(deps: StageDeps, input: BundleInput, mode: string): Promise<{ setup: NetworkSetup; trace: Record<string, unknown> }> {
  const { record: r, files: f } = input;
  const network = mode === 'host' ? 'host' : 'none';
  if (mode.startsWith('container:')) {
    const other = await input.containerOf(mode.slice('container:'.length));
    const name = other.Name.slice(1);
    if (other.State.Status !== 'running' || !other.State.Pid) throw failedPrecondition(`cannot join the network of a non running container: ${name}`, { suggestions: [`start it first: docker start ${name}`] });
    return { setup: { mode: 'path', path: `/proc/${other.State.Pid}/ns/net` }, trace: { mode: 'container', container: name } };
  }
  if (deps.network && mode !== 'none' && mode !== 'host') {
    // network plane (issue 3): a bridge network's netns + veth + address + ports, before runc
    const hostsBase = await fs.readFile(f.hosts, 'utf8');
    const attached = await deps.network.attach({ containerId: r.Id, name: r.Name.slice(1), hostname: r.Config.Hostname || r.Id.slice(0, 12), hostConfig: r.HostConfig, exposedPorts: r.Config.ExposedPorts, hostsPath: f.hosts, hostsBase, resolvConfPath: f.resolvConf });
    if (attached) return { setup: attached.network, trace: { mode: 'bridge', path: attached.network.path } };
  }
  return { setup: { mode: network }, trace: { mode: network } };
}

/** --pid container:<x> / --ipc container:<x>: x's namespace files, refused with dockerd's words */
async function joinedNamespaces(input: BundleInput): Promise<JoinedNamespaces> {
  const { PidMode: pid = '', IpcMode: ipc = '' } = input.record.HostConfig;
  const joined: JoinedNamespaces = {};
  if (pid.startsWith('container:')) {
    const donor = await input.containerOf(pid.slice('container:'.length));
    if (donor.State.Status !== 'running' || !donor.State.Pid) throw failedPrecondition(`container ${donor.Id} is not running`, { suggestions: [`start it first: docker start ${donor.Name.slice(1)}`] });
    joined.pid = `/proc/${donor.State.Pid}/ns/pid`;
  }
  if (ipc.startsWith('container:')) {
    const donor = await input.containerOf(ipc.slice('container:'.length));
    const cannot = `can't join IPC of container ${donor.Id}`;
    if (donor.State.Status !== 'running' || !donor.State.Pid) throw failedPrecondition(`${cannot}: container ${donor.Id} is not running`, { suggestions: [`start it first: docker start ${donor.Name.slice(1)}`] });
    if (donor.HostConfig.IpcMode !== 'shareable') {
      throw failedPrecondition(`${cannot}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)`, { suggestions: [`run the donor with --ipc shareable`] });
    }
    joined.ipc = `/proc/${donor.State.Pid}/ns/ipc`;
  }
  return joined;
}

async function writeEtcFiles(deps: StageDeps, r: ContainerRecord, f: ContainerPaths, hostNetwork: boolean): Promise<void> {
  const hostResolv = await fs.readFile(deps.hostResolvConf ?? '/etc/resolv.conf', 'utf8').catch(() => '');
  const hostHosts = hostNetwork ? await fs.readFile('/etc/hosts', 'utf8').catch(() => undefined) : undefined;
  // written again before every start, so a crash cannot leave a stale one behind: no fsync needed
  await Promise.all([
    writeRegenerated(f.hostname, buildHostname(r.Config.Hostname || r.Id.slice(0, 12))),
    writeRegenerated(f.hosts, buildHosts(r.HostConfig.ExtraHosts ?? [], hostHosts)),
    writeRegenerated(f.resolvConf, buildResolvConf(hostResolv, r.HostConfig, hostNetwork, deps.defaults?.dns)),
  ]);
}

/** a start that failed: each undo step runs even if one before it failed, so nothing is left half-done */
export async function releaseBundle(deps: StageDeps, r: ContainerRecord, rootfs: string): Promise<void> {
  await deps.runc.delete(r.Id, true).catch(() => false);
  await deps.network?.detach(r.Id).catch(() => undefined);
  await deps.mounter.unmount(rootfs, r.Id).catch(() => undefined);
}

/**
 * Files the engine writes anew before every start (config.json, the /etc files): replaced by rename so a
 * reader never sees half a file, without the fsync that container.json gets (a crash just means they
 * are written again at the next start).
 */
async function writeRegenerated(file: string, data: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

