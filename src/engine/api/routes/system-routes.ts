// System endpoints: /_ping (the CLI's version negotiation starts here), /version, /info (`docker info`),
// /system/df and /events. Shapes follow the v1.41 spec so the docker CLI prints them unchanged.
import os from 'node:os';
import { API_VERSION, MIN_API_VERSION } from '../api-version.js';
import type { ApiServices, EngineInfoSettings } from '../api-services.js';
import { eventMatches, type DockerEvent } from '../docker-events.js';
import type { Router } from '../router.js';
import { imageSummary } from './image-shapes.js';

const PING_HEADERS = {
  'API-Version': API_VERSION,
  'Docker-Experimental': 'false',
  OSType: 'linux',
  'Builder-Version': '1',
  'Cache-Control': 'no-cache, no-store, must-revalidate',
  Pragma: 'no-cache',
};

/** what `docker info` lists as network plugins: the drivers `docker network create -d` and --network accept */
export function networkPlugins(services: Pick<ApiServices, 'networks'>): string[] {
  return services.networks ? ['bridge', 'host', 'null'] : ['host', 'null'];
}

/** the components `docker version` prints under Server: the engine, then runc and docker-init as found on the host */
function components(services: ApiServices, details: Record<string, unknown>): Array<Record<string, unknown>> {
  const { runc, init } = services.facts.host;
  return [
    { Name: 'Engine', Version: services.facts.version, Details: details },
    ...(runc ? [{ Name: 'runc', Version: runc.version, Details: { GitCommit: runc.commit } }] : []),
    ...(init?.version ? [{ Name: 'docker-init', Version: init.version, Details: { GitCommit: init.commit ?? '' } }] : []),
  ];
}

export function versionBody(services: ApiServices): Record<string, unknown> {
  const host = services.facts.host;
  const goVersion = `node${process.version}`;
  const gitCommit = services.facts.version;
  const buildTime = new Date(0).toISOString();
  const details = {
    ApiVersion: API_VERSION,
    Arch: host.arch,
    BuildTime: buildTime,
    Experimental: 'false',
    GitCommit: gitCommit,
    GoVersion: goVersion,
    KernelVersion: host.kernel,
    MinAPIVersion: MIN_API_VERSION,
    Os: 'linux',
  };
  return {
    Platform: { Name: 'boxlab' },
    Components: components(services, details),
    Version: services.facts.version,
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: gitCommit,
    GoVersion: goVersion,
    Os: 'linux',
    Arch: host.arch,
    KernelVersion: host.kernel,
    BuildTime: buildTime,
  };
}

/**
 * dockerd's RegistryConfig: docker.io with its mirrors, each insecure host as an IndexConfig that is not
 * Secure, and the insecure CIDRs after 127.0.0.0/8 (always insecure); `docker info` lists them.
 */
export function registryConfig(settings: Pick<EngineInfoSettings, 'registryMirrors' | 'insecureRegistries'>): Record<string, unknown> {
  const cidrs = settings.insecureRegistries.filter((r) => /^[\d.]+\/\d+$/.test(r));
  const hosts = settings.insecureRegistries.filter((r) => !cidrs.includes(r));
  const IndexConfigs: Record<string, unknown> = {
    'docker.io': { Name: 'docker.io', Mirrors: settings.registryMirrors, Secure: true, Official: true },
  };
  for (const host of hosts) IndexConfigs[host] = { Name: host, Mirrors: [], Secure: false, Official: false };
  return {
    AllowNondistributableArtifactsCIDRs: [],
    AllowNondistributableArtifactsHostnames: [],
    InsecureRegistryCIDRs: [...cidrs.filter((c) => c !== '127.0.0.0/8'), '127.0.0.0/8'],
    IndexConfigs,
    Mirrors: settings.registryMirrors,
  };
}

export async function infoBody(services: ApiServices): Promise<Record<string, unknown>> {
  const host = services.facts.host;
  const settings = services.facts.settings ?? { debug: false, logDriver: 'json-file', registryMirrors: [], insecureRegistries: [] };
  // dockerd's ID and Expected are the same commit when the binary is the one it was built with
  const commit = (id = '') => ({ ID: id, Expected: id });
  const containers = await services.containers.list({ all: true, filters: {} });
  const stateOf = (c: Record<string, unknown>) => String(c.State ?? '');
  const running = containers.filter((c) => stateOf(c) === 'running').length;
  const paused = containers.filter((c) => stateOf(c) === 'paused').length;
  const images = await services.images.list();
  return {
    ID: 'boxlab',
    Containers: containers.length,
    ContainersRunning: running,
    ContainersPaused: paused,
    ContainersStopped: containers.length - running - paused,
    Images: images.length,
    Driver: 'overlay2',
    DriverStatus: [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true'], ['Native Overlay Diff', 'true']],
    Plugins: { Volume: ['local'], Network: networkPlugins(services), Authorization: null, Log: ['json-file'] },
    MemoryLimit: true,
    SwapLimit: true,
    KernelMemory: false,
    KernelMemoryTCP: false,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    OomKillDisable: host.cgroupVersion === '1',
    IPv4Forwarding: true,
    BridgeNfIptables: true,
    BridgeNfIp6tables: true,
    Debug: settings.debug,
    NFd: 0,
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: settings.logDriver,
    CgroupDriver: 'cgroupfs',
    CgroupVersion: host.cgroupVersion,
    NEventsListener: 0,
    KernelVersion: host.kernel,
    OperatingSystem: host.operatingSystem,
    OSVersion: host.osVersion,
    OSType: 'linux',
    Architecture: host.machine,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: registryConfig(settings),
    NCPU: host.ncpu,
    MemTotal: host.memTotal,
    GenericResources: null,
    DockerRootDir: services.facts.root,
    HttpProxy: '',
    HttpsProxy: '',
    NoProxy: '',
    // the name can change while the engine runs (a sandbox's init names it), so it is read each time, as dockerd does
    Name: os.hostname(),
    Labels: settings.labels ?? [],
    ExperimentalBuild: false,
    ServerVersion: services.facts.version,
    Runtimes: { runc: { path: 'runc' } },
    DefaultRuntime: 'runc',
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: true,
    Isolation: '',
    InitBinary: 'docker-init',
    ContainerdCommit: { ID: '', Expected: '' },
    RuncCommit: commit(host.runc?.commit),
    InitCommit: commit(host.init?.commit),
    SecurityOptions: ['name=seccomp,profile=default'],
    Warnings: [],
  };
}

export function systemRoutes(router: Router, services: ApiServices): void {
  const ping = async (ctx: Parameters<Parameters<Router['get']>[1]>[0]) => {
    if (ctx.method === 'HEAD') {
      ctx.reply.empty(200, { ...PING_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '0' });
      return;
    }
    const out = ctx.reply.stream(200, { ...PING_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '2' });
    out.end('OK');
  };
  router.get('/_ping', ping).head('/_ping', ping);

  router.get('/version', async (ctx) => ctx.reply.json(200, versionBody(services)));
  router.get('/info', async (ctx) => ctx.reply.json(200, await infoBody(services)));

  router.get('/system/df', async (ctx) => {
    const [images, containers, volumes] = await Promise.all([
      services.images.list(),
      services.containers.list({ all: true, filters: {}, size: true }),
      services.volumes.list(),
    ]);
    const volumeRows = await Promise.all(
      volumes.map(async (v) => ({
        ...v,
        UsageData: { Size: await services.volumes.usage(v.Name).catch(() => -1), RefCount: services.containers.volumeInUse(v.Name) ? 1 : 0 },
      })),
    );
    const imageRows = images.map((image) => ({ ...imageSummary(image), Containers: containers.filter((c) => c.ImageID === image.id).length }));
    ctx.reply.json(200, {
      LayersSize: images.reduce((sum, image) => sum + image.size, 0),
      Images: imageRows,
      Containers: containers,
      Volumes: volumeRows,
      BuildCache: [],
    });
  });

  // POST /build/prune (the build cache, also pruned by `docker system prune`) is in build-routes.ts

  router.get('/events', async (ctx) => {
    const filters = ctx.query.filters();
    const since = ctx.query.seconds('since');
    const until = ctx.query.seconds('until');
    const out = ctx.reply.stream(200, { 'Content-Type': 'application/json' });
    const send = (event: DockerEvent) => {
      if (eventMatches(event, filters)) out.write(JSON.stringify(event) + '\n');
    };
    // --since: the kept past first (the hub's last 256 events), then live ones; same tick, so none is missed
    if (since !== undefined) for (const event of services.events.past(since, until)) send(event);
    const unsubscribe = services.events.subscribe(send);
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      out.end();
    };
    ctx.reply.onClose(stop);
    if (until !== undefined) timer = setTimeout(stop, Math.max(0, until * 1000 - Date.now()));
  });
}

export type { DockerEvent };
