// RuncContainerService: Docker's container lifecycle over runc. The path of `docker run` reads top to
// bottom here: create (image -> snapshot -> mounts -> container.json), start (mount the overlay ->
// /etc files -> config.json -> the shim runs `runc run`), and the exit (OOM? -> runc delete -> unmount
// -> restart policy or --rm). Processes, fifos and engine restarts: docs/adr/0001-container-processes.md.
import { EventEmitter } from 'node:events';
import { closeSync, constants, openSync, promises as fs, watch, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { writeJsonAtomic, readJsonIfExists } from '../../core/atomic-file.js';
import { AppError, failedPrecondition, internal, invalidArgument, alreadyExists, messageOf, notFound } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { newId, randomName } from '../../core/ids.js';
import { explainNoSpace, isNoSpace, noSpaceLeft } from '../../core/no-space.js';
import type { ContainerCreateBody, ExecCreateBody, PruneFilter } from '../docker-model.js';
import { AsyncQueue } from './async-queue.js';
import { noCgroups, noMounts, type CgroupReader, type ContainerServiceDeps, type MountResolver } from './container-deps.js';
import { containerPaths, type ContainerPaths } from './container-files.js';
import { ContainerOutput, type EntryEvent } from './container-output.js';
import { reattachShim, spawnShim, type ContainerProcess } from './container-process.js';
import { ZERO_TIME, type ContainerRecord } from './container-record.js';
import type {
  AttachOptions,
  ContainerService,
  ListOptions,
  LogEntry,
  LogOptions,
  OutputChunk,
  StdioSession,
  WaitCondition,
} from './container-service.js';
import { assertOperation, isActive, type ContainerStatus } from './container-state.js';
import { toInspect, toSummary } from './container-views.js';
import { checkCreate, validateName } from './create-config.js';
import { buildHostname, buildHosts, buildResolvConf } from './etc-files.js';
import { ExecManager } from './exec-manager.js';
import { selectLogEntries } from './json-log.js';
import { assertLogReadable, logPolicy, logPolicyOf, normalizeLogConfig } from './log-config.js';
import { alreadyRead, readLogFiles } from './log-reader.js';
import { selectContainers } from './list-filters.js';
import { readMountsUnder } from './mount-table.js';
import { decideRestart, policyName } from './restart-policy.js';
import { resolveRef, nameConflict } from './resolve-ref.js';
import { Runc } from './runc.js';
import { copyUpFromRootfs } from '../volumes/copy-up.js';
import { isShimCmdline, lastRuncError, parseExitFile } from './shim.js';
import { parseSignal } from './signals.js';
import { RootfsAccess, type CopyTarget } from './rootfs-access.js';
import { parsePsOutput } from './top-output.js';
import { buildSpec, specTraceDetails } from './oci-spec/build-spec.js';
import { cgroupLimitsSummary } from '../cgroups/limits-summary.js';
import { readHostFacts, type HostFacts } from '../host/host-facts.js';
import { envWithHome, resolveProcess } from './oci-spec/resolve-process.js';
import { resolveUser } from './oci-spec/resolve-user.js';
import type { OciMount, RuntimeSpec } from '../oci-runtime-spec.js';
import type { NetworkSetup } from './oci-spec/spec-input.js';
import type { NetworkView } from '../network/network-attacher.js';

/** the engine's live view of one container: its record plus what only exists while boxlabd runs */
interface Live {
  record: ContainerRecord;
  files: ContainerPaths;
  output: ContainerOutput;
  events: EventEmitter;
  proc?: ContainerProcess;
  /** resolves when the current run's exit has been handled (state saved, cleanup done) */
  exitDone?: Promise<void>;
  saving: Promise<void>;
  lock: Promise<void>;
  restartTimer?: NodeJS.Timeout;
  lastDelayMs: number;
  /** stdin written by an attach before the process started (docker run -i attaches first) */
  pendingStdin: Buffer[];
  /** the attach's stdin ended before the process started */
  pendingStdinEnd: boolean;
  size: { cols: number; rows: number };
}

const DEFAULT_STOP_TIMEOUT_S = 10;
/** how long stop and rm -f wait for the exit after SIGKILL (the kernel needs milliseconds) */
const KILL_WAIT_MS = 30_000;
/** runc needs well under a second to start a process; this is only a guard against a stuck shim */
const START_TIMEOUT_MS = 60_000;
const CGROUP_PARENT = '/boxlab';

export class RuncContainerService implements ContainerService {
  private readonly live = new Map<string, Live>();
  private readonly runc: Runc;
  private readonly execs: ExecManager;
  private readonly rootfs: RootfsAccess;
  private readonly cgroups: CgroupReader;
  private readonly resolveMounts: MountResolver;
  private loaded = false;
  private facts?: Promise<HostFacts>;
  private closed = false;

  constructor(private readonly deps: ContainerServiceDeps) {
    this.runc = new Runc(deps.paths.runcRoot, deps.runc);
    this.execs = new ExecManager({
      runc: this.runc,
      containersDir: deps.paths.containers,
      tracer: deps.tracer,
    });
    this.cgroups = deps.cgroups ?? noCgroups;
    this.resolveMounts = deps.resolveMounts ?? noMounts;
    this.rootfs = new RootfsAccess(deps.snapshotter, deps.mounter);
  }

  /** arch, kernel, the engine's open-files limit, the init binary: read once */
  private hostFacts(): Promise<HostFacts> {
    this.facts ??= this.deps.host ? Promise.resolve(this.deps.host) : readHostFacts();
    return this.facts;
  }

  // ---------------------------------------------------------------- records

  private files(id: string): ContainerPaths {
    return containerPaths(this.deps.paths.containers, id);
  }

  private track(record: ContainerRecord): Live {
    const live: Live = {
      record,
      files: this.files(record.Id),
      output: new ContainerOutput(this.files(record.Id).log, logPolicyOf(record.HostConfig)),
      events: new EventEmitter().setMaxListeners(0),
      saving: Promise.resolve(),
      lock: Promise.resolve(),
      lastDelayMs: 0,
      pendingStdin: [],
      pendingStdinEnd: false,
      size: { cols: 80, rows: 24 },
    };
    this.live.set(record.Id, live);
    return live;
  }

  /** writes are chained so that the file always ends with the newest record */
  private save(live: Live): Promise<void> {
    live.saving = live.saving.then(() => (this.live.get(live.record.Id) === live ? writeJsonAtomic(live.files.record, live.record) : undefined)).catch(() => undefined);
    return live.saving;
  }

  private setStatus(live: Live, status: ContainerStatus): void {
    live.record.State.Status = status;
    live.events.emit('state', status);
  }

  /** one user operation at a time per container; exit handling runs beside them */
  private async withLock<T>(live: Live, fn: () => Promise<T>): Promise<T> {
    const prev = live.lock;
    let release!: () => void;
    live.lock = new Promise<void>((r) => (release = r));
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private async ensureLoaded(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    let ids: string[] = [];
    try {
      ids = await fs.readdir(this.deps.paths.containers);
    } catch {
      return;
    }
    for (const id of ids) {
      const record = await readJsonIfExists<ContainerRecord>(this.files(id).record).catch(() => undefined);
      if (record && !this.live.has(id)) this.track(record);
    }
  }

  private async get(ref: string): Promise<Live> {
    await this.ensureLoaded();
    const id = resolveRef(ref, [...this.live.values()].map((l) => l.record));
    return this.live.get(id) as Live;
  }

  async resolveId(ref: string): Promise<string> {
    return (await this.get(ref)).record.Id;
  }

  private trace(id: string, step: Parameters<ContainerServiceDeps['tracer']['emit']>[1], details: Record<string, unknown> = {}): void {
    this.deps.tracer.emit(id, step, details);
  }

  // ---------------------------------------------------------------- create

  async create(body: ContainerCreateBody, name?: string): Promise<{ Id: string; Warnings: string[] }> {
    await this.ensureLoaded();
    if (!body.Image) throw invalidArgument('no image given: the create request needs "Image"');
    const records = [...this.live.values()].map((l) => l.record);
    let fullName: string;
    if (name) {
      fullName = validateName(name);
      const conflict = nameConflict(fullName, records);
      if (conflict) throw alreadyExists(conflict);
    } else {
      do fullName = `/${randomName()}`;
      while (nameConflict(fullName, records));
    }
    const image = await this.deps.images.resolve(body.Image);
    const id = newId();
    const hostname = body.Hostname || id.slice(0, 12);
    // Docker's merge of the image config with the request (oci-spec/resolve-process.ts); users are looked up at start
    const proc = resolveProcess(image.config, body, { hostname, tty: Boolean(body.Tty) });
    const { warnings } = checkCreate(body, proc.args);
    this.trace(id, 'image.resolve', { ref: body.Image, imageId: image.id });

    const files = this.files(id);
    const { HostConfig: hostConfig = {}, NetworkingConfig: _net, publishedPorts, ...config } = body;
    const undo: Array<() => Promise<unknown>> = [];
    try {
      await fs.mkdir(files.dir, { recursive: true, mode: 0o710 });
      undo.push(() => fs.rm(files.dir, { recursive: true, force: true }));
      // one process for the four fifos: created once, reused by every start of this container
      await run('mkfifo', ['-m', '600', files.stdin, files.stdout, files.stderr, files.ack]);
      // with Docker's init layer over the image: real /dev, /proc, /etc/hosts, ... whatever the image has there
      await this.deps.snapshotter.prepare(id, this.deps.images.layerDirs(image), { initLayer: true });
      undo.push(() => this.deps.snapshotter.remove(id));
      const mounts = await this.resolveMounts({
        containerId: id,
        hostConfig,
        // `-v /path` (no source) arrives as Config.Volumes, next to the image's VOLUMEs: both are anonymous volumes
        imageVolumes: { ...(image.config.Volumes ?? {}), ...(body.Volumes ?? {}) },
        mountsOf: async (ref) => (await this.get(ref)).record.mountPoints,
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
        },
        HostConfig: { ...hostConfig, LogConfig: normalizeLogConfig(hostConfig) },
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
      // container.json is the commit point: a folder without it is a create that never finished
      // network plane (issue 3): the container becomes a member of its network (404 for an unknown one)
      if (this.deps.network) {
        await this.deps.network.register({ containerId: id, name: fullName.slice(1), hostConfig, networkingConfig: _net, ports: publishedPorts });
        undo.push(() => this.deps.network!.forget(id));
      }
      await writeJsonAtomic(files.record, record);
      this.track(record);
      return { Id: id, Warnings: warnings };
    } catch (err) {
      for (const step of undo.reverse()) await step().catch(() => undefined);
      throw isNoSpace(err) ? noSpaceLeft(`the files of container ${fullName.slice(1)}`, this.deps.paths.root, err) : err;
    }
  }

  // ---------------------------------------------------------------- start

  async start(ref: string): Promise<void> {
    const live = await this.get(ref);
    let failed = false;
    await this.withLock(live, async () => {
      if (!assertOperation('start', live.record.State.Status, live.record.Id)) return;
      live.record.manuallyStopped = false;
      try {
        await this.startExplained(live);
      } catch (err) {
        // network plane (issue 3): as Docker, the container keeps its state (created) with the reason in State.Error
        failed = true;
        live.record.State = { ...live.record.State, Pid: 0, Error: messageOf(err) };
        await this.save(live);
        throw err;
      }
    }).catch(async (err: unknown) => {
      // docker run --rm waits for the removal: a start that failed removes the container, as dockerd does
      if (failed && live.record.HostConfig.AutoRemove && !this.closed) await this.withLock(live, () => this.removeNow(live, true)).catch(() => undefined);
      throw err;
    });
  }

  /** startProcess, with a full disk said plainly (what, where, how to make room) */
  private startExplained(live: Live): Promise<void> {
    return explainNoSpace(`the runtime files of container ${live.record.Name.slice(1)}`, this.deps.paths.root, () => this.startProcess(live));
  }

  /** mount, /etc files, config.json, shim; resolves once runc has started the process (or throws) */
  private async startProcess(live: Live): Promise<void> {
    const r = live.record;
    const f = live.files;
    logPolicy(r.HostConfig); // a bad --log-opt value stops the start, as in dockerd
    const snapshot = await this.deps.snapshotter.get(r.snapshotKey);
    if (!snapshot) throw internal(`container ${r.Id} has no snapshot: its root filesystem is gone`, { suggestions: [`remove it: docker rm ${r.Id.slice(0, 12)}`] });
    await this.deps.mounter.mount(snapshot.mounts, r.Id);
    let started = false;
    try {
      // -u names are looked up in the container's own /etc/passwd, so only now that it is mounted
      const user = await resolveUser(snapshot.rootfs, r.process.userSpec, r.HostConfig.GroupAdd ?? []);
      r.process = { ...r.process, user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids } };
      const env = envWithHome(r.process.env, user.home);
      const mode = r.HostConfig.NetworkMode ?? '';
      const network = mode === 'host' ? 'host' : 'none';
      await this.writeEtcFiles(live, network === 'host');
      // network plane (issue 3): a bridge network's netns + veth + address + ports, before runc; container:<x> joins x's netns
      let networkSetup: NetworkSetup = { mode: network };
      let networkTrace: Record<string, unknown> = { mode: network };
      if (mode.startsWith('container:')) {
        const other = await this.get(mode.slice('container:'.length));
        if (other.record.State.Status !== 'running' || !other.record.State.Pid) throw failedPrecondition(`cannot join the network of a non running container: ${other.record.Name.slice(1)}`, { suggestions: [`start it first: docker start ${other.record.Name.slice(1)}`] });
        networkSetup = { mode: 'path', path: `/proc/${other.record.State.Pid}/ns/net` };
        networkTrace = { mode: 'container', container: other.record.Name.slice(1) };
      } else if (this.deps.network && mode !== 'none' && mode !== 'host') {
        const hostsBase = await fs.readFile(f.hosts, 'utf8');
        const attached = await this.deps.network.attach({ containerId: r.Id, name: r.Name.slice(1), hostname: r.Config.Hostname || r.Id.slice(0, 12), hostConfig: r.HostConfig, exposedPorts: r.Config.ExposedPorts, hostsPath: f.hosts, hostsBase, resolvConfPath: f.resolvConf });
        if (attached) {
          networkSetup = attached.network;
          networkTrace = { mode: 'bridge', path: attached.network.path };
        }
      }
      const etcMounts: OciMount[] = [
        { destination: '/etc/hostname', type: 'bind', source: f.hostname, options: ['rbind', 'rprivate'] },
        { destination: '/etc/hosts', type: 'bind', source: f.hosts, options: ['rbind', 'rprivate'] },
        { destination: '/etc/resolv.conf', type: 'bind', source: f.resolvConf, options: ['rbind', 'rprivate'] },
      ];
      // Docker's copy-up: a new volume over a folder of the image starts with the image's files
      for (const c of r.pendingCopyUp ?? []) await copyUpFromRootfs(snapshot.rootfs, c.destination, c.volumeDir);
      r.pendingCopyUp = undefined;
      this.trace(r.Id, 'namespace.network', networkTrace);
      const hostFacts = await this.hostFacts();
      const spec: RuntimeSpec = buildSpec({
        id: r.Id,
        rootfs: snapshot.rootfs,
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
        network: networkSetup,
        annotations: { 'org.boxlab.container.name': r.Name.slice(1) },
        initPath: hostFacts.init?.path,
        host: hostFacts,
      });
      await writeRegenerated(f.spec, JSON.stringify(spec, null, 2) + '\n');
      this.trace(r.Id, 'spec.write', specTraceDetails(spec, f.spec));
      this.trace(r.Id, 'cgroup.limits', { cgroupsPath: r.cgroupsPath, version: `v${hostFacts.cgroupVersion}`, summary: cgroupLimitsSummary(spec.linux.resources) });

      await Promise.all([f.exitFile, f.pidFile, f.runcLog, f.ttyFile].map((p) => fs.rm(p, { force: true })));
      await live.output.open();
      const pid = await this.spawnAndWaitForPid(live);
      started = true;
      r.State = { ...r.State, Status: 'running', Pid: pid, ExitCode: 0, Error: '', OOMKilled: false, StartedAt: new Date().toISOString(), FinishedAt: r.State.FinishedAt };
      r.shimPid = live.proc?.shimPid ?? 0;
      this.setStatus(live, 'running');
      // only now has the shim surely opened its side of the stdin fifo: closing ours earlier would
      // drop what was written and leave the shim's open() waiting for a writer forever
      if (live.pendingStdinEnd) {
        live.pendingStdinEnd = false;
        live.proc?.closeStdin();
      }
      await this.save(live);
      this.trace(r.Id, 'runc.run', { args: ['runc', 'run', '--keep', '--bundle', f.bundle, r.Id], pid, shimPid: r.shimPid });
    } finally {
      if (!started) {
        // network plane (issue 3): each undo step runs even if one before it failed, so nothing is left half-done
        await this.runc.delete(r.Id, true).catch(() => false);
        await this.deps.network?.detach(r.Id).catch(() => undefined);
        await this.deps.mounter.unmount(snapshot.rootfs, r.Id).catch(() => undefined);
        await live.output.close();
      }
    }
  }

  private async writeEtcFiles(live: Live, hostNetwork: boolean): Promise<void> {
    const r = live.record;
    const hostResolv = await fs.readFile(this.deps.hostResolvConf ?? '/etc/resolv.conf', 'utf8').catch(() => '');
    const hostHosts = hostNetwork ? await fs.readFile('/etc/hosts', 'utf8').catch(() => undefined) : undefined;
    // written again before every start, so a crash cannot leave a stale one behind: no fsync needed
    await Promise.all([
      writeRegenerated(live.files.hostname, buildHostname(r.Config.Hostname || r.Id.slice(0, 12))),
      writeRegenerated(live.files.hosts, buildHosts(r.HostConfig.ExtraHosts ?? [], hostHosts)),
      writeRegenerated(live.files.resolvConf, buildResolvConf(hostResolv, r.HostConfig, hostNetwork)),
    ]);
  }

  /**
   * Spawns the shim and waits until runc has written the container's pid file (an inotify watch, no
   * polling) or the shim has exited without one (the process could not start: runc says why in its log).
   */
  private async spawnAndWaitForPid(live: Live): Promise<number> {
    const r = live.record;
    const f = live.files;
    const params = {
      runcRoot: this.deps.paths.runcRoot,
      bundleDir: f.bundle,
      id: r.Id,
      exitFile: f.exitFile,
      pidFile: f.pidFile,
      runcLog: f.runcLog,
      stdinFifo: f.stdin,
      stdoutFifo: f.stdout,
      stderrFifo: f.stderr,
      ackFifo: f.ack,
      ttyFile: r.Config.Tty ? f.ttyFile : '',
      rows: live.size.rows,
      cols: live.size.cols,
    };
    const readPid = async () => {
      const text = await fs.readFile(f.pidFile, 'utf8').catch(() => '');
      const pid = Number(text.trim());
      return text.trim() !== '' && pid > 0 ? pid : undefined;
    };
    let watcher: ReturnType<typeof watch> | undefined;
    const pidWritten = new Promise<number>((resolve) => {
      watcher = watch(f.dir, (_event, name) => {
        if (name === 'init.pid') void readPid().then((pid) => pid && resolve(pid));
      });
      watcher.on('error', () => undefined);
    });
    const proc = spawnShim(params, live.output, Boolean(r.Config.OpenStdin));
    live.proc = proc;
    for (const chunk of live.pendingStdin.splice(0)) proc.stdin?.write(chunk);
    const exitedFirst = proc.exited.then(async (code) => ({ code, pid: await readPid() }));
    // a start that hangs would hold the container's lock for ever: give up, kill the shim's session
    let timer: NodeJS.Timeout | undefined;
    const tooLong = new Promise<{ code: number | undefined; pid: number | undefined }>((resolve) => {
      timer = setTimeout(() => {
        try {
          process.kill(-proc.shimPid, 'SIGKILL');
        } catch {
          // gone already
        }
        void exitedFirst.then(resolve);
      }, START_TIMEOUT_MS);
    });
    try {
      const first = await Promise.race([pidWritten.then((pid) => ({ code: undefined, pid })), exitedFirst, tooLong]);
      clearTimeout(timer);
      if (first.pid === undefined) {
        const log = await fs.readFile(f.runcLog, 'utf8').catch(() => '');
        const why = lastRuncError(log) ?? `runc exited with status ${first.code ?? 'unknown'}`;
        const exitCode = /not found|no such file/i.test(why) ? 127 : /permission denied/i.test(why) ? 126 : 128;
        live.proc = undefined;
        r.State = { ...r.State, Status: 'created', ExitCode: exitCode, Error: why, Pid: 0 };
        await this.save(live);
        this.trace(r.Id, 'process.exit', { exitCode, error: why });
        throw new AppError(exitCode === 128 ? 'INTERNAL' : 'INVALID_ARGUMENT', `failed to create shim task: OCI runtime create failed: ${why}: unknown`, {
          suggestions: exitCode === 127 ? ['check the command: it must exist in the image (docker run <image> ls /bin)'] : [],
        });
      }
      live.exitDone = proc.exited.then((code) => this.handleExit(live, proc, code));
      return first.pid;
    } finally {
      clearTimeout(timer);
      watcher?.close();
    }
  }

  // ---------------------------------------------------------------- exit

  /** the process has exited and its output is in the log: record it, clean up, restart or remove */
  private async handleExit(live: Live, proc: ContainerProcess, shimCode: number | undefined, fallbackCode = 255): Promise<void> {
    if (live.proc !== proc) return;
    live.proc = undefined;
    const r = live.record;
    const f = live.files;
    const fromFile = parseExitFile(await fs.readFile(f.exitFile, 'utf8').catch(() => ''));
    // the exit file is the truth; without one (the disk was full) the shim exits with runc's status
    const exitCode = fromFile ?? shimCode ?? fallbackCode;
    // read before runc delete: --keep leaves the cgroup (and its OOM counter) until then
    const oomKilled = await this.cgroups.readOomKilled(r.cgroupsPath).catch(() => false);
    await this.cleanupRuntime(live);
    await live.output.close();
    const finishedAt = new Date().toISOString();
    const ranMs = Date.parse(finishedAt) - Date.parse(r.State.StartedAt);
    r.State = { ...r.State, Status: 'exited', Pid: 0, ExitCode: exitCode, OOMKilled: oomKilled, FinishedAt: finishedAt };
    r.shimPid = 0;
    this.trace(r.Id, 'process.exit', { exitCode, oomKilled });
    this.execs.containerExited(r.Id);

    const decision = this.closed
      ? { restart: false as const }
      : decideRestart(r.HostConfig.RestartPolicy, {
          exitCode,
          manuallyStopped: r.manuallyStopped,
          restartCount: r.RestartCount,
          ranMs,
          previousDelayMs: live.lastDelayMs,
        });
    if (decision.restart) {
      live.lastDelayMs = decision.delayMs;
      this.setStatus(live, 'restarting');
      await this.save(live);
      live.events.emit('exit', exitCode);
      this.trace(r.Id, 'restart.schedule', { policy: policyName(r.HostConfig.RestartPolicy), delayMs: decision.delayMs, count: r.RestartCount + 1 });
      live.restartTimer = setTimeout(() => void this.restartByPolicy(live), decision.delayMs);
      return;
    }
    this.setStatus(live, 'exited');
    await this.save(live);
    live.events.emit('exit', exitCode);
    live.events.emit('stopped', exitCode);
    if (r.HostConfig.AutoRemove && !this.closed) {
      // not awaited: a `docker stop` of this container holds the lock while it waits for this exit
      void this.withLock(live, () => this.removeNow(live, true)).catch(() => undefined);
    }
  }

  private async restartByPolicy(live: Live): Promise<void> {
    live.restartTimer = undefined;
    if (this.closed || live.record.State.Status !== 'restarting') return;
    await this.withLock(live, async () => {
      if (live.record.State.Status !== 'restarting') return;
      live.record.RestartCount++;
      try {
        await this.startExplained(live);
      } catch (err) {
        live.record.State.Error = messageOf(err);
        this.setStatus(live, 'exited');
        await this.save(live);
        live.events.emit('stopped', live.record.State.ExitCode);
      }
    });
  }

  /** runc delete (removes the cgroup and runc's state) and unmount the root filesystem */
  private async cleanupRuntime(live: Live): Promise<void> {
    const r = live.record;
    // both at once: the container's processes are gone, so nothing holds the rootfs any more
    const deleted = this.runc.delete(r.Id, true).then((ok) => ok && this.trace(r.Id, 'runc.delete', {}));
    const unmounted = this.deps.snapshotter
      .get(r.snapshotKey)
      .then((snapshot) => snapshot && this.deps.mounter.unmount(snapshot.rootfs, r.Id))
      .catch(() => undefined);
    await Promise.all([deleted, unmounted]);
    // network plane (issue 3): veth, address, rules and netns go with the process
    await this.deps.network?.detach(r.Id).catch(() => undefined);
  }

  private awaitExit(live: Live, timeoutMs: number): Promise<boolean> {
    const done = live.exitDone;
    if (!done || !isActive(live.record.State.Status) || live.record.State.Status === 'restarting') return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      void done.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  // ---------------------------------------------------------------- stop, kill, pause

  async stop(ref: string, timeoutSeconds?: number): Promise<void> {
    const live = await this.get(ref);
    await this.withLock(live, () => this.stopNow(live, timeoutSeconds));
  }

  private async stopNow(live: Live, timeoutSeconds?: number): Promise<void> {
    const r = live.record;
    r.manuallyStopped = true;
    if (r.State.Status === 'restarting') return this.cancelRestart(live);
    if (!assertOperation('stop', r.State.Status, r.Id)) return;
    await this.save(live);
    const signal = parseSignal(r.Config.StopSignal, 'SIGTERM');
    const timeout = timeoutSeconds ?? r.Config.StopTimeout ?? DEFAULT_STOP_TIMEOUT_S;
    await this.signal(live, signal.name);
    if (timeout < 0 ? await this.awaitExit(live, 2 ** 31 - 1) : await this.awaitExit(live, timeout * 1000)) return;
    await this.signal(live, 'KILL');
    // never a success while it still runs (Docker's words)
    if (!(await this.awaitExit(live, KILL_WAIT_MS))) throw noExitEvent(r);
  }

  /** the engine's side of a process whose exit never came: fifos, watches and the shim's ack let go */
  private abandonProcess(live: Live): void {
    live.proc?.release();
    live.proc = undefined;
    releaseWaitingShim(live.files.ack);
  }

  private cancelRestart(live: Live): void {
    if (live.restartTimer) clearTimeout(live.restartTimer);
    live.restartTimer = undefined;
    this.setStatus(live, 'exited');
    void this.save(live);
    live.events.emit('stopped', live.record.State.ExitCode);
  }

  private async signal(live: Live, name: string): Promise<void> {
    const r = live.record;
    await this.runc.kill(r.Id, name).catch(() => undefined); // it may have exited a moment ago
    this.trace(r.Id, 'runc.kill', { signal: `SIG${name}` });
    // a frozen process cannot act on a signal: thaw it (Docker does the same for stop and kill)
    if (r.State.Status === 'paused' && (name === 'KILL' || name === parseSignal(r.Config.StopSignal, 'SIGTERM').name)) {
      await this.runc.resume(r.Id).catch(() => undefined);
      this.setStatus(live, 'running');
    }
  }

  async restart(ref: string, timeoutSeconds?: number): Promise<void> {
    const live = await this.get(ref);
    await this.withLock(live, async () => {
      await this.stopNow(live, timeoutSeconds);
      live.record.manuallyStopped = false;
      await this.startExplained(live);
    });
  }

  async kill(ref: string, signal?: string): Promise<void> {
    const live = await this.get(ref);
    await this.withLock(live, async () => {
      const r = live.record;
      const sig = parseSignal(signal, 'SIGKILL');
      assertOperation('kill', r.State.Status, r.Id);
      if (sig.name === 'KILL' || sig.name === parseSignal(r.Config.StopSignal, 'SIGTERM').name) {
        r.manuallyStopped = true;
        await this.save(live);
      }
      await this.signal(live, sig.name);
      if (sig.name === 'KILL') await this.awaitExit(live, 10_000);
    });
  }

  async pause(ref: string): Promise<void> {
    const live = await this.get(ref);
    await this.withLock(live, async () => {
      assertOperation('pause', live.record.State.Status, live.record.Id);
      await this.runc.pause(live.record.Id);
      this.setStatus(live, 'paused');
      await this.save(live);
      this.trace(live.record.Id, 'runc.pause');
    });
  }

  async unpause(ref: string): Promise<void> {
    const live = await this.get(ref);
    await this.withLock(live, async () => {
      assertOperation('unpause', live.record.State.Status, live.record.Id);
      await this.runc.resume(live.record.Id);
      this.setStatus(live, 'running');
      await this.save(live);
      this.trace(live.record.Id, 'runc.resume');
    });
  }

  // ---------------------------------------------------------------- wait, remove, rename

  async wait(ref: string, condition: WaitCondition): Promise<{ StatusCode: number; Error?: { Message: string } | null }> {
    const live = await this.get(ref);
    const result = (code: number) => ({ StatusCode: code, Error: null });
    const status = live.record.State.Status;
    if (condition === 'not-running' && !isActive(status)) return result(live.record.State.ExitCode);
    const event = condition === 'removed' ? 'removed' : condition === 'next-exit' ? 'exit' : 'stopped';
    return new Promise((resolve) => live.events.once(event, (code: number) => resolve(result(code))));
  }

  async remove(ref: string, options: { force: boolean; volumes: boolean }): Promise<void> {
    const live = await this.get(ref);
    await this.withLock(live, async () => {
      const r = live.record;
      assertOperation('remove', r.State.Status, r.Id, options.force);
      if (isActive(r.State.Status)) {
        r.manuallyStopped = true;
        if (r.State.Status === 'restarting') this.cancelRestart(live);
        else {
          await this.signal(live, 'KILL');
          // no exit seen: removal kills what is left (runc delete --force), so our side lets go of the shim
          if (!(await this.awaitExit(live, KILL_WAIT_MS))) this.abandonProcess(live);
        }
      }
      if (!this.live.has(r.Id)) return; // --rm got there first
      await this.removeNow(live, options.volumes);
    });
  }

  private async removeNow(live: Live, removeVolumes: boolean): Promise<void> {
    const r = live.record;
    if (!this.live.has(r.Id)) return;
    const wasClean = r.State.Status === 'exited' || r.State.Status === 'created';
    this.setStatus(live, 'removing');
    // an exited container was cleaned up when it exited; anything else may still hold runc state or a mount
    if (!wasClean) await this.cleanupRuntime(live);
    // a shim still waiting for its ack would wait for ever once the folder (and the fifo's name) is gone
    releaseWaitingShim(live.files.ack);
    await this.deps.snapshotter.remove(r.snapshotKey).catch(() => undefined);
    await this.deps.network?.forget(r.Id).catch(() => undefined); // network plane (issue 3)
    this.live.delete(r.Id);
    await live.saving;
    // the trace goes with the container (the live trace stream still sees the last events)
    await this.deps.tracer.forget?.(r.Id);
    await fs.rm(live.files.dir, { recursive: true, force: true });
    if (removeVolumes) {
      for (const name of r.anonymousVolumes) {
        await this.deps.volumes.remove(name, { isInUse: (n) => this.volumeInUse(n) }).catch(() => undefined);
      }
    }
    this.trace(r.Id, 'cleanup', { what: `container ${r.Name.slice(1)} removed` });
    live.events.emit('removed', r.State.ExitCode);
  }

  async rename(ref: string, newName: string): Promise<void> {
    const live = await this.get(ref);
    const full = validateName(newName);
    if (full === live.record.Name) throw invalidArgument('Renaming a container with the same name as its current name');
    const conflict = nameConflict(full, [...this.live.values()].map((l) => l.record), live.record.Id);
    if (conflict) throw alreadyExists(conflict);
    live.record.Name = full;
    await this.save(live);
  }

  // ---------------------------------------------------------------- views

  async list(options: ListOptions): Promise<Record<string, unknown>[]> {
    await this.ensureLoaded();
    const now = Date.now();
    const picked = selectContainers([...this.live.values()].map((l) => l.record), options);
    return Promise.all(
      picked.map(async (r) => withNetworkSummary(toSummary(r, now, options.size ? await this.rootfs.upperSize(r.snapshotKey) : undefined), this.deps.network?.view(r.Id, r.Config.ExposedPorts))),
    );
  }

  async inspect(ref: string): Promise<Record<string, unknown>> {
    const live = await this.get(ref);
    const snapshot = await this.deps.snapshotter.get(live.record.snapshotKey).catch(() => undefined);
    const view = toInspect(
      live.record,
      { hostnamePath: live.files.hostname, hostsPath: live.files.hosts, resolvConfPath: live.files.resolvConf, logPath: logPolicyOf(live.record.HostConfig).driver === 'none' ? '' : live.files.log },
      snapshot,
      this.execs.idsOf(live.record.Id),
    );
    // network plane (issue 3): addresses, ports and networks of a bridge container
    const net = this.deps.network?.view(live.record.Id, live.record.Config.ExposedPorts);
    if (net) view.NetworkSettings = net.settings;
    return view;
  }

  // ---------------------------------------------------------------- stdio

  async attach(ref: string, options: AttachOptions): Promise<StdioSession> {
    const live = await this.get(ref);
    const r = live.record;
    assertOperation('attach', r.State.Status, r.Id);
    const listeners: Array<(c: OutputChunk) => void> = [];
    const backlog: OutputChunk[] = [];
    let closed = false;
    const deliver = (c: OutputChunk) => {
      if (closed) return;
      if (c.stream === 'stdout' ? !options.stdout : !options.stderr) return;
      if (listeners.length === 0) backlog.push(c);
      for (const l of listeners) l(c);
    };
    if (options.logs) {
      const { entries } = await readLogFiles(live.files.log, logPolicyOf(r.HostConfig).maxFile);
      for (const e of entries) deliver({ stream: e.stream, data: Buffer.from(e.log) });
    }
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const onChunk = (c: OutputChunk) => deliver(c);
    const onExit = () => close();
    const close = () => {
      if (closed) return;
      closed = true;
      live.output.off('chunk', onChunk);
      live.events.off('exit', onExit);
      finish();
    };
    if (options.stream) {
      live.output.on('chunk', onChunk);
      live.events.once('exit', onExit);
    } else {
      close();
    }
    let stdin: Writable | undefined;
    if (options.stdin && r.Config.OpenStdin) {
      // the detach keys (Ctrl-P Ctrl-Q) are taken out by the API layer (api/stdio-bridge.ts) before this
      stdin = new Writable({
        write: (chunk: Buffer, _enc, cb) => {
          if (live.proc?.stdin) live.proc.stdin.write(chunk);
          else live.pendingStdin.push(chunk);
          cb();
        },
        final: (cb) => {
          // docker run -i: the client's stdin ended, so the container's does (StdinOnce)
          if (r.Config.StdinOnce && !closed) {
            if (live.proc && live.record.State.Status === 'running') live.proc.closeStdin();
            else live.pendingStdinEnd = true;
          }
          cb();
        },
      });
      stdin.on('error', () => undefined);
    }
    return {
      stdin,
      onOutput(listener) {
        listeners.push(listener);
        for (const c of backlog.splice(0)) listener(c);
      },
      done,
      close,
    };
  }

  async resize(ref: string, height: number, width: number): Promise<void> {
    const live = await this.get(ref);
    live.size = { cols: width, rows: height };
    if (live.record.State.Status === 'created') return; // used when the pty is made
    assertOperation('resize', live.record.State.Status, live.record.Id);
    live.proc?.resize(width, height);
  }

  async *logs(ref: string, options: LogOptions): AsyncIterable<LogEntry> {
    const live = await this.get(ref);
    const policy = logPolicyOf(live.record.HostConfig);
    assertLogReadable(policy.driver);
    const follow = options.follow && isActive(live.record.State.Status);
    const queue = new AsyncQueue<EntryEvent>();
    const onEntry = (e: EntryEvent) => queue.push(e);
    const onStopped = () => queue.end();
    if (follow) {
      live.output.on('entry', onEntry);
      live.events.once('stopped', onStopped);
      live.events.once('removed', onStopped);
    }
    try {
      // every file of the log, oldest first; then (-f) the records written since, also across rotations
      const snapshot = await readLogFiles(live.files.log, policy.maxFile, live.output);
      // the API layer puts the time in front of each line for --timestamps
      const shown = (e: LogEntry) => e;
      for (const e of selectLogEntries(snapshot.entries, options)) yield shown(e);
      if (!follow) return;
      for await (const ev of queue) {
        if (alreadyRead(snapshot, ev)) continue;
        const [e] = selectLogEntries([ev.entry], { ...options, tail: 'all' });
        if (e) yield shown(e);
      }
    } finally {
      live.output.off('entry', onEntry);
      live.events.off('stopped', onStopped);
      live.events.off('removed', onStopped);
    }
  }

  // ---------------------------------------------------------------- inside the container

  async top(ref: string, psArgs?: string): Promise<{ Titles: string[]; Processes: string[][] }> {
    const live = await this.get(ref);
    assertOperation('top', live.record.State.Status, live.record.Id);
    const pids = await this.cgroups.listPids(live.record.cgroupsPath);
    const args = (psArgs?.trim() || '-ef').split(/\s+/);
    const ps = await run('ps', args);
    return parsePsOutput(ps.stdout, pids);
  }

  async stats(ref: string): Promise<Record<string, unknown>> {
    const live = await this.get(ref);
    // a stopped container has no cgroup: Docker answers with zeros
    if (!isActive(live.record.State.Status) || live.record.State.Status === 'restarting') return stoppedStats(live.record);
    return this.cgroups.stats(live.record.cgroupsPath, { id: live.record.Id, name: live.record.Name });
  }

  async getArchive(ref: string, path: string): Promise<{ stat: Record<string, unknown>; tar: Readable }> {
    const live = await this.get(ref);
    return this.rootfs.getArchive(copyTarget(live.record), path);
  }

  async putArchive(ref: string, path: string, tar: Readable): Promise<void> {
    const live = await this.get(ref);
    if (live.record.HostConfig.ReadonlyRootfs) throw failedPrecondition('container rootfs is marked read-only');
    await this.rootfs.putArchive(copyTarget(live.record), path, tar);
  }

  async statPath(ref: string, path: string): Promise<Record<string, unknown>> {
    const live = await this.get(ref);
    return this.rootfs.statPath(copyTarget(live.record), path);
  }

  async changes(ref: string): Promise<Array<{ Path: string; Kind: 0 | 1 | 2 }>> {
    const live = await this.get(ref);
    return this.rootfs.changes(live.record.snapshotKey);
  }

  async execCreate(ref: string, body: ExecCreateBody): Promise<{ Id: string }> {
    const live = await this.get(ref);
    assertOperation('exec', live.record.State.Status, live.record.Id);
    if (!body.Cmd || body.Cmd.length === 0) throw invalidArgument('No exec command specified');
    return { Id: this.execs.create(live.record.Id, body) };
  }

  async execStart(execId: string, options: { detach: boolean; tty: boolean }): Promise<StdioSession> {
    const exec = this.execs.get(execId);
    const live = this.live.get(exec.containerId);
    if (!live) throw notFound(`No such container: ${exec.containerId}`);
    assertOperation('exec', live.record.State.Status, live.record.Id);
    const snapshot = await this.deps.snapshotter.get(live.record.snapshotKey);
    return this.execs.start(execId, { ...options, specFile: live.files.spec, rootfs: snapshot?.rootfs ?? '' });
  }

  async execResize(execId: string, height: number, width: number): Promise<void> {
    this.execs.resize(execId, height, width);
  }

  async execInspect(execId: string): Promise<Record<string, unknown>> {
    return this.execs.inspect(execId);
  }

  // ---------------------------------------------------------------- housekeeping

  async prune(filter: PruneFilter): Promise<{ ContainersDeleted: string[]; SpaceReclaimed: number }> {
    await this.ensureLoaded();
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const r of [...this.live.values()].map((l) => l.record)) {
      if (isActive(r.State.Status) || r.State.Status === 'removing') continue;
      if (!filter.matches(r.Config.Labels, r.Created)) continue;
      const live = this.live.get(r.Id);
      if (!live) continue;
      reclaimed += await this.rootfs.upperSize(r.snapshotKey);
      await this.withLock(live, () => this.removeNow(live, false));
      deleted.push(r.Id);
    }
    return { ContainersDeleted: deleted, SpaceReclaimed: reclaimed };
  }

  imageInUse(imageId: string): boolean {
    return [...this.live.values()].some((l) => l.record.ImageId === imageId);
  }

  volumeInUse(name: string): boolean {
    return [...this.live.values()].some((l) => l.record.mountPoints.some((m) => m.Name === name));
  }

  /**
   * After an engine restart (or crash): reattach to shims that kept running, finish exits that
   * happened while the engine was down, and remove what half-done work left (mounts, runc state,
   * folders without container.json, snapshots without a container).
   */
  async recover(): Promise<void> {
    await fs.mkdir(this.deps.paths.containers, { recursive: true });
    const dirs = await fs.readdir(this.deps.paths.containers);
    for (const id of dirs) {
      const files = this.files(id);
      const record = await readJsonIfExists<ContainerRecord>(files.record).catch(() => undefined);
      if (!record) {
        // a create that never finished
        await this.runc.delete(id, true);
        await this.deps.snapshotter.remove(id).catch(() => undefined);
        await fs.rm(files.dir, { recursive: true, force: true });
        continue;
      }
      const live = this.live.get(id) ?? this.track(record);
      await this.recoverOne(live);
    }
    this.loaded = true;
    // runc state and snapshots that belong to no container
    const known = new Set(this.live.keys());
    for (const c of await this.runc.list()) {
      if (!known.has(c.id)) await this.runc.delete(c.id, true);
    }
    for (const key of await this.deps.snapshotter.list().catch(() => [] as string[])) {
      if (known.has(key)) continue;
      const snap = await this.deps.snapshotter.get(key).catch(() => undefined);
      if (snap) for (const m of await readMountsUnder(snap.rootfs).catch(() => [] as string[])) await this.deps.mounter.unmount(m).catch(() => undefined);
      await this.deps.snapshotter.remove(key).catch(() => undefined);
    }
  }

  private async recoverOne(live: Live): Promise<void> {
    const r = live.record;
    const f = live.files;
    if (live.proc) return; // still ours
    const status = r.State.Status;
    if (!isActive(status)) {
      if (status === 'removing') {
        await this.removeNow(live, false);
        return;
      }
      // an exit handled halfway, or a start the engine died in: nothing may stay mounted or in runc,
      // and a shim of that start, waiting for someone to read its output, may go
      await this.cleanupRuntime(live);
      releaseWaitingShim(f.ack);
      return;
    }
    const exitFileThere = await fs.stat(f.exitFile).then(() => true, () => false);
    // a live shim may also be one that has exited its container and waits for us to read the rest
    const shimAlive = r.shimPid > 0 && (await isShim(r.shimPid, r.Id));
    if (status === 'restarting' || shimAlive) {
      if (status === 'restarting') {
        this.trace(r.Id, 'recover', { state: status, action: 'restarting it (restart policy)' });
        live.restartTimer = setTimeout(() => void this.restartByPolicy(live), 0);
        return;
      }
      this.trace(r.Id, 'recover', { state: status, action: `its shim (pid ${r.shimPid}) still runs: reading its output again` });
      await live.output.open();
      const fifos = { stdinFifo: f.stdin, stdoutFifo: f.stdout, stderrFifo: f.stderr, ackFifo: f.ack, exitFile: f.exitFile, ttyFile: r.Config.Tty ? f.ttyFile : '' };
      const proc = reattachShim(r.shimPid, fifos, live.output, Boolean(r.Config.OpenStdin));
      live.proc = proc;
      live.exitDone = proc.exited.then((code) => this.handleExit(live, proc, code, 137));
      // it has exited already: the shim only waits for us to read the rest of its output
      if (exitFileThere) await live.exitDone;
      return;
    }
    // the process ended while the engine was down, or its shim was killed: finish the exit now
    const action = exitFileThere
      ? 'it exited while the engine was down: recording its exit code'
      : 'its shim is gone without an exit status: marking it exited (137)';
    this.trace(r.Id, 'recover', { state: status, action });
    const proc: ContainerProcess = { kind: 'reattached', shimPid: r.shimPid, exited: Promise.resolve(undefined), resize: () => undefined, closeStdin: () => undefined, release: () => undefined };
    live.proc = proc;
    live.exitDone = this.handleExit(live, proc, undefined, 137);
    await live.exitDone;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const live of this.live.values()) {
      if (live.restartTimer) clearTimeout(live.restartTimer);
      live.restartTimer = undefined;
      live.proc?.release();
      live.proc = undefined;
      await live.output.close();
      await live.saving;
    }
    this.execs.close();
  }
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

/** a line on the ack fifo lets a shim that waits for a reader exit (no reader: nothing to do) */
function releaseWaitingShim(ackFifo: string): void {
  try {
    const fd = openSync(ackFifo, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(fd, 'ok\n');
    closeSync(fd);
  } catch {
    // ENXIO: no shim has the fifo open
  }
}

/** stop after SIGKILL with no exit seen: Docker's error, so the CLI does not print the name as if stopped */
function noExitEvent(r: ContainerRecord): AppError {
  return internal(`cannot stop container: ${r.Name.slice(1)}: tried to kill container, but did not receive an exit event`, {
    suggestions: [`see its state: docker inspect ${r.Name.slice(1)}`, `remove it: docker rm -f ${r.Name.slice(1)}`],
  });
}

/** is pid the shim of container id? (a pid can be reused by an unrelated process after a reboot) */
async function isShim(pid: number, id: string): Promise<boolean> {
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return isShimCmdline(cmdline, id);
}

/** network plane (issue 3): Ports and Networks of `docker ps` for a bridge container */
function withNetworkSummary(summary: Record<string, unknown>, net: NetworkView | undefined): Record<string, unknown> {
  if (!net) return summary;
  return { ...summary, Ports: net.summaryPorts, NetworkSettings: { Networks: net.summaryNetworks } };
}

function stoppedStats(r: ContainerRecord): Record<string, unknown> {
  const cpu = { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, system_cpu_usage: 0, online_cpus: 0, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } };
  return {
    read: ZERO_TIME,
    preread: ZERO_TIME,
    pids_stats: {},
    blkio_stats: { io_service_bytes_recursive: null },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpu,
    precpu_stats: cpu,
    memory_stats: {},
    name: r.Name,
    id: r.Id,
  };
}

/** `docker cp` works in the container's own view while it runs (its mounts included), else in its snapshot */
function copyTarget(r: ContainerRecord): CopyTarget {
  const running = r.State.Status === 'running' || r.State.Status === 'paused';
  return { key: r.snapshotKey, pid: running ? r.State.Pid : 0, mounts: r.ociMounts };
}
