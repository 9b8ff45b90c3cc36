// Small pure modifiers over a RuntimeSpec, applied in order by buildSpec (containerd's pkg/oci
// spec_opts.go WithX style). Each returns a new spec and leaves its argument untouched, so a test can
// apply one modifier to defaultSpec() and see exactly what it changes.
import type { JoinedNamespaces, NetworkSetup, ProcessUser } from './spec-input.js';
import type { NamespaceType, OciMount, RuntimeSpec, SpecNamespace } from '../../oci-runtime-spec.js';
import { DEFAULT_SHM_SIZE } from './default-spec.js';

/** where the init binary appears inside the container (Docker's path) */
export const CONTAINER_INIT_PATH = '/sbin/docker-init';

export function withProcess(args: string[], env: string[], cwd: string, user: ProcessUser, terminal: boolean) {
  return (spec: RuntimeSpec): RuntimeSpec => ({
    ...spec,
    process: {
      ...spec.process,
      args: [...args],
      env: [...env],
      cwd: cwd || '/',
      user: {
        uid: user.uid,
        gid: user.gid,
        ...(user.additionalGids && user.additionalGids.length > 0 ? { additionalGids: [...user.additionalGids] } : {}),
      },
      terminal,
    },
  });
}

export function withHostname(hostname: string, domainname?: string) {
  return (spec: RuntimeSpec): RuntimeSpec => ({
    ...spec,
    hostname,
    ...(domainname ? { domainname } : {}),
  });
}

/** the root filesystem: the merged overlay; --read-only makes runc remount it read-only */
export function withRootfs(rootfs: string, readonly: boolean) {
  return (spec: RuntimeSpec): RuntimeSpec => ({ ...spec, root: { path: rootfs, readonly } });
}

/** /dev/shm's size (--shm-size); Docker's default is 64 MiB */
export function withShmSize(bytes: number | undefined) {
  return (spec: RuntimeSpec): RuntimeSpec => {
    const size = bytes && bytes > 0 ? bytes : DEFAULT_SHM_SIZE;
    return {
      ...spec,
      mounts: spec.mounts.map((m) =>
        m.destination === '/dev/shm' && m.type === 'tmpfs'
          ? { ...m, options: (m.options ?? []).filter((o) => !o.startsWith('size=')).concat(`size=${size}`) }
          : m,
      ),
    };
  };
}

/**
 * Adds the container's own mounts (volumes, binds, tmpfs, /etc files). A user mount replaces a default
 * mount at the same destination (e.g. a tmpfs of your own at /dev/shm); order is kept so parents come
 * before children, which is what runc needs to mount them.
 */
export function withMounts(mounts: OciMount[]) {
  return (spec: RuntimeSpec): RuntimeSpec => {
    const clean = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
    const taken = new Set(mounts.map((m) => clean(m.destination)));
    const kept = spec.mounts.filter((m) => !taken.has(clean(m.destination)));
    const added = mounts.map((m) => ({
      destination: m.destination,
      ...(m.type ? { type: m.type } : {}),
      ...(m.source !== undefined ? { source: m.source } : {}),
      ...(m.options ? { options: [...m.options] } : {}),
    }));
    // parents first: a mount at /data must be in place before one at /data/sub
    const depth = (p: string) => clean(p).split('/').length;
    const sorted = added.map((m, i) => ({ m, i })).sort((a, b) => depth(a.m.destination) - depth(b.m.destination) || a.i - b.i);
    return { ...spec, mounts: [...kept, ...sorted.map((x) => x.m)] };
  };
}

function setNamespace(namespaces: SpecNamespace[], type: NamespaceType, entry: SpecNamespace | undefined): SpecNamespace[] {
  const i = namespaces.findIndex((n) => n.type === type);
  if (entry === undefined) return namespaces.filter((n) => n.type !== type);
  if (i < 0) return [...namespaces, entry];
  return namespaces.map((n, j) => (j === i ? entry : n));
}

/**
 * Network namespace: `none` is a new, empty namespace (only lo); `host` means no network entry at all,
 * so the container shares the host's; `path` joins a namespace someone else made (a bridge endpoint, or
 * another container's with --network container:<id>).
 */
export function withNetwork(network: NetworkSetup) {
  return (spec: RuntimeSpec): RuntimeSpec => {
    const entry: SpecNamespace | undefined =
      network.mode === 'host' ? undefined : network.mode === 'path' ? { type: 'network', path: network.path } : { type: 'network' };
    return { ...spec, linux: { ...spec.linux, namespaces: setNamespace(spec.linux.namespaces, 'network', entry) } };
  };
}

/**
 * --pid host / --ipc host / --uts host: share the host's namespace by leaving the entry out;
 * --pid container:<x> / --ipc container:<x>: join x's namespace by its path (the container keeps its own
 * /dev/shm: dockerd shares the donor's, a host-side tmpfs boxlabd does not make; docs/differences-from-dockerd.md).
 */
export function withNamespaces(network: NetworkSetup, modes: { pid?: string; ipc?: string; uts?: string } = {}, joined: JoinedNamespaces = {}) {
  return (spec: RuntimeSpec): RuntimeSpec => {
    let namespaces = withNetwork(network)(spec).linux.namespaces;
    if (modes.pid === 'host') namespaces = setNamespace(namespaces, 'pid', undefined);
    if (modes.ipc === 'host') namespaces = setNamespace(namespaces, 'ipc', undefined);
    if (modes.uts === 'host') namespaces = setNamespace(namespaces, 'uts', undefined);
    if (joined.pid) namespaces = setNamespace(namespaces, 'pid', { type: 'pid', path: joined.pid });
    if (joined.ipc) namespaces = setNamespace(namespaces, 'ipc', { type: 'ipc', path: joined.ipc });
    const out: RuntimeSpec = { ...spec, linux: { ...spec.linux, namespaces } };
    // without its own UTS namespace the container cannot have its own hostname (runc refuses one)
    if (modes.uts === 'host') delete out.hostname;
    return out;
  };
}

/** e.g. /boxlab/<id>: runc creates this cgroup under each v1 controller, or under the v2 root */
export function withCgroupsPath(cgroupsPath: string) {
  return (spec: RuntimeSpec): RuntimeSpec => ({ ...spec, linux: { ...spec.linux, cgroupsPath } });
}

export function withAnnotations(annotations: Record<string, string> | undefined) {
  return (spec: RuntimeSpec): RuntimeSpec =>
    annotations && Object.keys(annotations).length > 0 ? { ...spec, annotations: { ...spec.annotations, ...annotations } } : spec;
}

/**
 * In a network namespace of its own, dockerd (20.10+) lets any user bind ports below 1024 and send ping:
 * net.ipv4.ip_unprivileged_port_start=0 and ping_group_range "0 2147483647" unless the request sets them
 * (applied before withSysctls, so --sysctl wins). Not for --network host or container:<x>.
 */
export function withDefaultNetSysctls(ownNetns: boolean) {
  const defaults = { 'net.ipv4.ip_unprivileged_port_start': '0', 'net.ipv4.ping_group_range': '0 2147483647' };
  return (spec: RuntimeSpec): RuntimeSpec => (ownNetns ? { ...spec, linux: { ...spec.linux, sysctl: { ...defaults, ...spec.linux.sysctl } } } : spec);
}

export function withSysctls(sysctls: Record<string, string> | null | undefined) {
  return (spec: RuntimeSpec): RuntimeSpec =>
    sysctls && Object.keys(sysctls).length > 0 ? { ...spec, linux: { ...spec.linux, sysctl: { ...spec.linux.sysctl, ...sysctls } } } : spec;
}

export function withOomScoreAdj(score: number | undefined) {
  return (spec: RuntimeSpec): RuntimeSpec => (score ? { ...spec, process: { ...spec.process, oomScoreAdj: score } } : spec);
}

/** HostConfig.MaskedPaths / ReadonlyPaths replace the defaults when given (the API's override) */
export function withPathOverrides(masked: string[] | null | undefined, readonly: string[] | null | undefined) {
  return (spec: RuntimeSpec): RuntimeSpec => ({
    ...spec,
    linux: {
      ...spec.linux,
      ...(masked ? { maskedPaths: [...masked] } : {}),
      ...(readonly ? { readonlyPaths: [...readonly] } : {}),
    },
  });
}

/**
 * --init: a tiny init (tini, shipped by docker.io as /usr/bin/docker-init) runs as pid 1, reaps zombies
 * and forwards signals, so `docker stop` works even for programs that ignore SIGTERM as pid 1. It is
 * bind-mounted read-only from the host to /sbin/docker-init and runs the real command after `--`.
 */
export function withInit(hostInitPath: string) {
  return (spec: RuntimeSpec): RuntimeSpec => ({
    ...spec,
    process: { ...spec.process, args: [CONTAINER_INIT_PATH, '--', ...spec.process.args] },
    mounts: [
      ...spec.mounts,
      { destination: CONTAINER_INIT_PATH, type: 'bind', source: hostInitPath, options: ['bind', 'ro'] },
    ],
  });
}
