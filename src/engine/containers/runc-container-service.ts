// RuncContainerService: Docker's container lifecycle over runc, and the one owner of its loop
//   create -> start -> the process runs -> exit -> restart (restart policy) | remove (--rm) | stay exited
// Each stage is a file of its own, listed here in the order `docker run` meets them (docs/architecture.md):
//   0  live-table.ts        the live table: each container's record (container.json) and what exists
//                           only while boxlabd runs (shim handle, log writer, restart timer, lock)
//   1  create-container.ts  create: image -> fifos -> snapshot -> volumes -> network member -> container.json
//   2  prepare-bundle.ts    the bundle before runc: mount -> user -> /etc files -> network -> config.json
//   3  start-shim.ts        the shim runs `runc run`; start waits for runc's init.pid
//   4  finish-exit.ts       the exit: exit file -> OOM -> runc delete + unmount -> network detach -> record
//   5  attach-session.ts    attach: output from the process's first byte, stdin written before the start
//   6  container-logs.ts    logs, with --follow
//   7  recovery-plan.ts     after an engine restart or crash: ADR 0001's decision table, carried out here
// Beside the loop, while a container with a HEALTHCHECK runs: health-monitor.ts runs its probe as an exec
// at each interval, health-state.ts moves State.Health (starting, healthy, unhealthy).
// The stages never import this file or one another (only the live table's Live): the loop (start -> exit
// -> restart or remove) stays here, so there is no import circle. Docker's container events (`docker
// events`) are notified through container-events.ts at the step each names. Processes, fifos, engine
// restarts: docs/adr/0001-container-processes.md.
import type { Readable } from 'node:stream';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError, failedPrecondition, internal, invalidArgument, alreadyExists, messageOf, notFound } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { explainNoSpace } from '../../core/no-space.js';
import { notePhase, phaseStart, timed } from '../../core/phase-timing.js';
import type { ContainerCreateBody, ContainerUpdateBody, ExecCreateBody, PruneFilter } from '../docker-model.js';
import type { NetworkView } from '../network/network-attacher.js';
import { ackShim } from './ack-fifo.js';
import { attachSession } from './attach-session.js';
import { noCgroups, noMounts, type ContainerServiceDeps, type StageDeps } from './container-deps.js';
import { ContainerEvents, type ContainerEventListener } from './container-events.js';
import { containerLogs } from './container-logs.js';
import { reattachShim, type ContainerProcess } from './container-process.js';
import { ZERO_TIME, type ContainerRecord } from './container-record.js';
import type { AttachOptions, ContainerService, ListOptions, LogEntry, LogOptions, StdioSession, WaitCondition } from './container-service.js';
import { assertOperation, isActive } from './container-state.js';
import { toInspect, toSummary } from './container-views.js';
import { createContainer } from './create-container.js';
import { ExecManager, runcExecFailure } from './exec-manager.js';
import { finishExit, releaseRuntime } from './finish-exit.js';
import { HealthMonitor } from './health-monitor.js';
import { applyProbeResult, ProbeOutput, startingHealth, type HealthcheckResult } from './health-state.js';
import { probeSettings, type ProbeSettings } from './healthcheck-config.js';
import { selectContainers } from './list-filters.js';
import { LiveTable, readRecord, type Live } from './live-table.js';
import { logPolicyOf } from './log-config.js';
import { readMountsUnder } from './mount-table.js';
import { readHostFacts, type HostFacts } from '../host/host-facts.js';
import { mountRootfs, releaseBundle, writeBundle } from './prepare-bundle.js';
import { planRecovery, UNKNOWN_EXIT_CODE } from './recovery-plan.js';
import { decideRestart, policyName } from './restart-policy.js';
import { nameConflict } from './resolve-ref.js';
import { RootfsAccess, type CopyTarget } from './rootfs-access.js';
import { FifoStock } from './fifo-stock.js';
import { Runc } from './runc.js';
import { isShimCmdline, shimRuncArgs } from './shim.js';
import { parseSignal } from './signals.js';
import { failedStartExitCode, shimParams, startFailedError, startShim, type StartFailure } from './start-shim.js';
import { validateName } from './create-config.js';
import { parsePsOutput } from './top-output.js';
import { applyUpdate, cannotUpdate, runcUpdateReason, runcUpdateResources, touchesCgroup } from './update-container.js';
import { cgroupLimitsSummary } from '../cgroups/limits-summary.js';

const DEFAULT_STOP_TIMEOUT_S = 10;
/** how long stop and rm -f wait for the exit after SIGKILL (the kernel needs milliseconds) */
const KILL_WAIT_MS = 30_000;

export class RuncContainerService implements ContainerService {
  private readonly deps: StageDeps;
  private readonly table: LiveTable;
  private readonly execs: ExecManager;
  private readonly rootfs: RootfsAccess;
  private readonly health: HealthMonitor;
  private closed = false;

  constructor(deps: ContainerServiceDeps) {
    const exec = deps.exec ?? run;
    let facts: Promise<HostFacts> | undefined;
    this.deps = {
      ...deps,
      exec,
      runc: new Runc(deps.paths.runcRoot, deps.runc, exec),
      // in tmp/, which the engine empties at its start: beside containers/, so a rename moves one
      fifos: new FifoStock(path.join(deps.paths.tmp, 'fifos'), exec),
      cgroups: deps.cgroups ?? noCgroups,
      resolveMounts: deps.resolveMounts ?? noMounts,
      hostFacts: () => (facts ??= deps.host ? Promise.resolve(deps.host) : readHostFacts()),
      events: new ContainerEvents(),
    };
    this.table = new LiveTable(deps.paths.containers);
    this.execs = new ExecManager({
      runc: this.deps.runc,
      containersDir: deps.paths.containers,
      tracer: deps.tracer,
      onExit: (e) => {
        const r = this.table.byId(e.containerId)?.record;
        if (r) this.deps.events.notify('exec_die', r, { execID: e.id, exitCode: String(e.exitCode) });
      },
    });
    this.health = new HealthMonitor({ runProbe: (id, command, signal) => this.runProbe(id, command, signal), onResult: (id, result) => this.recordProbe(id, result) });
    this.rootfs = new RootfsAccess(deps.snapshotter, deps.mounter);
  }

  /** Docker's container events, as the lifecycle reaches each step (api/docker-events.ts publishes them) */
  subscribeEvents(listener: ContainerEventListener): () => void {
    return this.deps.events.subscribe(listener);
  }

  async resolveId(ref: string): Promise<string> {
    return (await this.table.get(ref)).record.Id;
  }

  private trace(id: string, step: Parameters<StageDeps['tracer']['emit']>[1], details: Record<string, unknown> = {}): void {
    this.deps.tracer.emit(id, step, details);
  }

  // ---------------------------------------------------------------- 1 create (create-container.ts)

  async create(body: ContainerCreateBody, name?: string): Promise<{ Id: string; Warnings: string[] }> {
    await this.table.ensureLoaded();
    const t0 = phaseStart();
    const { record, warnings } = await createContainer(this.deps, {
      body,
      name,
      others: this.table.records(),
      filesOf: (id) => this.table.files(id),
      mountsOf: async (ref) => (await this.table.get(ref)).record.mountPoints,
      anonymousVolumesOf: async (ref) => (await this.table.get(ref)).record.anonymousVolumes,
    });
    this.table.track(record);
    notePhase(record.Id, 'create', t0);
    this.deps.events.notify('create', record);
    return { Id: record.Id, Warnings: warnings };
  }

  // ---------------------------------------------------------------- 2, 3 start (prepare-bundle.ts, start-shim.ts)

  async start(ref: string): Promise<void> {
    const live = await this.table.get(ref);
    let failed = false;
    await this.table.withLock(live, async () => {
      if (!assertOperation('start', live.record.State.Status, live.record.Id)) return;
      live.record.manuallyStopped = false;
      try {
        await this.startExplained(live);
      } catch (err) {
        // network plane (issue 3): as Docker, the container keeps its state (created) with the reason in State.Error
        failed = true;
        live.record.State = { ...live.record.State, Pid: 0, ExitCode: failedStartExitCode(live.record.State.ExitCode), Error: messageOf(err) };
        await this.table.save(live);
        throw err;
      }
    }).catch(async (err: unknown) => {
      // docker run --rm waits for the removal: a start that failed removes the container, as dockerd does
      if (failed && live.record.HostConfig.AutoRemove && !this.closed) await this.table.withLock(live, () => this.removeNow(live, true)).catch(() => undefined);
      throw err;
    });
  }

  /** startProcess, with a full disk said plainly (what, where, how to make room) */
  private startExplained(live: Live): Promise<void> {
    return explainNoSpace(`the runtime files of container ${live.record.Name.slice(1)}`, this.deps.paths.root, () => timed(live.record.Id, 'start', () => this.startProcess(live)));
  }

  /**
   * Mount the rootfs, write the bundle (user, /etc files, network, config.json), start the shim, wait for
   * the pid; or throw with runc's reason, leaving nothing mounted. From then on the exit is the loop's
   * (onExit, when the shim is done).
   */
  private async startProcess(live: Live): Promise<void> {
    const rootfs = await mountRootfs(this.deps, live.record);
    let started = false;
    try {
      await writeBundle(this.deps, { record: live.record, files: live.files, containerOf: async (ref) => (await this.table.get(ref)).record }, rootfs);
      await timed(live.record.Id, 'start.output', () => live.output.open());
      const shim = await timed(live.record.Id, 'start.shim', () => startShim(this.deps, live));
      if (!shim.started) throw await this.startFailed(live, shim.failure);
      started = true;
      const ran = phaseStart();
      live.exitDone = shim.proc.exited.then((code) => (notePhase(live.record.Id, 'run.process', ran), this.onExit(live, shim.proc, code)));
      await this.running(live, shim.pid, shim.proc.shimPid);
    } finally {
      if (!started) {
        await releaseBundle(this.deps, live.record, rootfs);
        await live.output.close();
        await this.releaseVolumes(live.record);
      }
    }
  }

  /**
   * dockerd counts the containers that use a volume with options (tmpfs, a bind): when the last of them
   * stops, the volume's mount comes off, so a tmpfs volume starts empty with the next container.
   */
  private async releaseVolumes(r: ContainerRecord): Promise<void> {
    const release = this.deps.volumes.deactivate?.bind(this.deps.volumes);
    if (!release) return;
    const names = new Set(r.mountPoints.filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name as string));
    for (const c of this.table.records()) {
      if (c.Id === r.Id || (c.State.Status !== 'running' && c.State.Status !== 'paused')) continue;
      for (const m of c.mountPoints) if (m.Type === 'volume' && m.Name) names.delete(m.Name);
    }
    for (const name of names) await release(name).catch(() => undefined);
  }

  /** runc has written init.pid: the container runs (inspect's State.Pid), and docker events says start */
  private async running(live: Live, pid: number, shimPid: number): Promise<void> {
    const r = live.record;
    r.State = { ...r.State, Status: 'running', Pid: pid, ExitCode: 0, Error: '', OOMKilled: false, StartedAt: new Date().toISOString(), FinishedAt: r.State.FinishedAt };
    r.shimPid = shimPid;
    const probe = this.probeOf(r);
    const previousHealth = r.State.Health;
    if (probe) r.State.Health = startingHealth(previousHealth);
    this.table.setStatus(live, 'running');
    this.deps.events.notify('start', r);
    // only now has the shim surely opened its side of the stdin fifo: closing ours earlier would
    // drop what was written and leave the shim's open() waiting for a writer forever
    if (live.pendingStdinEnd) {
      live.pendingStdinEnd = false;
      live.proc?.closeStdin();
    }
    await timed(r.Id, 'start.record', () => this.table.save(live));
    this.trace(r.Id, 'runc.run', { args: ['runc', ...shimRuncArgs(shimParams(this.deps, live))], pid, shimPid });
    if (probe) {
      if (previousHealth?.Status !== 'starting') this.trace(r.Id, 'health.status', { status: 'starting', previous: previousHealth?.Status ?? 'none', command: probe.command });
      this.health.start(r.Id, probe);
    }
  }

  // ---------------------------------------------------------------- health checks (health-monitor.ts, health-state.ts)

  /** the container's HEALTHCHECK as a probe to run, or undefined (none, NONE) */
  private probeOf(r: ContainerRecord): ProbeSettings | undefined {
    return probeSettings(r.Config.Healthcheck, r.Config.Shell ?? r.imageConfig.Shell);
  }

  /**
   * one probe, as dockerd runs it: an exec of the command with the container's user and working dir,
   * stdout and stderr together (cut at 4096 bytes), with docker events' exec_create, exec_start and
   * exec_die; an abort (timeout, stop) sends SIGTERM, then SIGKILL 10 s later
   */
  private async runProbe(id: string, command: string[], signal: AbortSignal): Promise<{ exitCode: number; output: string }> {
    const live = this.table.byId(id);
    if (!live || live.record.State.Status !== 'running') throw failedPrecondition(`container ${id} is not running`);
    const r = live.record;
    const execId = this.execs.create(id, { Cmd: command, AttachStdout: true, AttachStderr: true, User: r.Config.User ?? '', WorkingDir: r.Config.WorkingDir ?? '' });
    const action = command.join(' ');
    this.deps.events.notify(`exec_create: ${action}`, r, { execID: execId });
    let kill: NodeJS.Timeout | undefined;
    const onAbort = () => {
      this.execs.signal(execId, 'SIGTERM');
      kill = setTimeout(() => this.execs.signal(execId, 'SIGKILL'), 10_000);
    };
    try {
      const snapshot = await this.deps.snapshotter.get(r.snapshotKey);
      this.deps.events.notify(`exec_start: ${action}`, r, { execID: execId });
      const session = await this.execs.start(execId, { detach: false, tty: false, specFile: live.files.spec, rootfs: snapshot?.rootfs ?? '' });
      const output = new ProbeOutput();
      session.onOutput((c) => output.write(c.data));
      signal.addEventListener('abort', onAbort, { once: true });
      await session.done;
      const exitCode = this.execs.get(execId).exitCode;
      // a command runc could not start is dockerd's probe error: exit code -1 and the runtime's reason
      const failed = runcExecFailure(exitCode, output.text());
      if (failed) throw new Error(failed);
      return { exitCode: exitCode ?? -1, output: output.text() };
    } finally {
      signal.removeEventListener('abort', onAbort);
      clearTimeout(kill);
      this.execs.forget(execId);
    }
  }

  /** a probe's result: State.Health moves (health-state.ts); a new status is an event and a trace step */
  private async recordProbe(id: string, result: HealthcheckResult): Promise<void> {
    const live = this.table.byId(id);
    const r = live?.record;
    const probe = r && this.probeOf(r);
    if (!live || !r || !probe || !r.State.Health || r.State.Status !== 'running') return;
    const previous = r.State.Health.Status;
    r.State.Health = applyProbeResult(r.State.Health, result, { retries: probe.retries, startPeriodMs: probe.startPeriodMs, startedAt: r.State.StartedAt });
    await this.table.save(live);
    const status = r.State.Health.Status;
    if (status === previous) return;
    this.deps.events.notify(`health_status: ${status}`, r);
    this.trace(r.Id, 'health.status', { status, previous, command: probe.command, failingStreak: r.State.Health.FailingStreak, retries: probe.retries, exitCode: result.ExitCode });
  }

  /** the process could not start: the container stays created, with runc's reason and Docker's exit code */
  private async startFailed(live: Live, failure: StartFailure): Promise<AppError> {
    const r = live.record;
    r.State = { ...r.State, Status: 'created', ExitCode: failedStartExitCode(r.State.ExitCode, failure), Error: failure.why, Pid: 0 };
    await this.table.save(live);
    this.trace(r.Id, 'process.exit', { exitCode: failure.exitCode, error: failure.why });
    this.deps.events.notify('die', r, { exitCode: String(failure.exitCode) });
    return startFailedError(failure);
  }

  // ---------------------------------------------------------------- 4 exit (finish-exit.ts), then restart or remove

  /** the process has exited and its output is in the log: record it, clean up, restart or remove */
  private async onExit(live: Live, proc: ContainerProcess, shimCode: number | undefined, fallbackCode = 255): Promise<void> {
    if (live.proc !== proc) return;
    live.proc = undefined;
    const r = live.record;
    this.health.stop(r.Id);
    const exit = await timed(r.Id, 'exit', () => finishExit(this.deps, live, shimCode, fallbackCode));
    this.execs.containerExited(r.Id);
    await this.releaseVolumes(r);

    const decision = this.closed
      ? { restart: false as const }
      : decideRestart(r.HostConfig.RestartPolicy, {
          exitCode: exit.exitCode,
          manuallyStopped: r.manuallyStopped,
          restartCount: r.RestartCount,
          ranMs: exit.ranMs,
          previousDelayMs: live.lastDelayMs,
        });
    if (decision.restart) {
      live.lastDelayMs = decision.delayMs;
      this.table.setStatus(live, 'restarting');
      await this.table.save(live);
      live.events.emit('exit', exit.exitCode);
      this.trace(r.Id, 'restart.schedule', { policy: policyName(r.HostConfig.RestartPolicy), delayMs: decision.delayMs, count: r.RestartCount + 1 });
      live.restartTimer = setTimeout(() => void this.restartByPolicy(live), decision.delayMs);
      return;
    }
    this.table.setStatus(live, 'exited');
    await timed(r.Id, 'exit.record', () => this.table.save(live));
    live.events.emit('exit', exit.exitCode);
    live.events.emit('stopped', exit.exitCode);
    if (r.HostConfig.AutoRemove && !this.closed) {
      // not awaited: a `docker stop` of this container holds the lock while it waits for this exit
      void this.table.withLock(live, () => this.removeNow(live, true)).catch(() => undefined);
    }
  }

  private async restartByPolicy(live: Live): Promise<void> {
    live.restartTimer = undefined;
    if (this.closed || live.record.State.Status !== 'restarting') return;
    await this.table.withLock(live, async () => {
      if (live.record.State.Status !== 'restarting') return;
      live.record.RestartCount++;
      try {
        await this.startExplained(live);
      } catch (err) {
        live.record.State.Error = messageOf(err);
        live.record.State.ExitCode = failedStartExitCode(live.record.State.ExitCode);
        this.table.setStatus(live, 'exited');
        await this.table.save(live);
        live.events.emit('stopped', live.record.State.ExitCode);
      }
    });
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
    const live = await this.table.get(ref);
    await this.table.withLock(live, () => this.stopNow(live, timeoutSeconds));
  }

  /** the stop signal, SIGKILL after the timeout; docker events says stop once it has exited (also in a restart) */
  private async stopNow(live: Live, timeoutSeconds?: number): Promise<void> {
    const r = live.record;
    r.manuallyStopped = true;
    if (r.State.Status === 'restarting') {
      this.cancelRestart(live);
      this.deps.events.notify('stop', r);
      return;
    }
    if (!assertOperation('stop', r.State.Status, r.Id)) return;
    await this.table.save(live);
    const signal = parseSignal(r.Config.StopSignal, 'SIGTERM');
    const timeout = timeoutSeconds ?? r.Config.StopTimeout ?? DEFAULT_STOP_TIMEOUT_S;
    await this.signal(live, signal.name);
    const exited = timeout < 0 ? await this.awaitExit(live, 2 ** 31 - 1) : await this.awaitExit(live, timeout * 1000);
    if (!exited) {
      await this.signal(live, 'KILL');
      // never a success while it still runs (Docker's words)
      if (!(await this.awaitExit(live, KILL_WAIT_MS))) throw noExitEvent(r);
    }
    this.deps.events.notify('stop', r);
  }

  /** the engine's side of a process whose exit never came: fifos, watches and the shim's ack let go */
  private abandonProcess(live: Live): void {
    live.proc?.release();
    live.proc = undefined;
    ackShim(live.files.ack);
  }

  private cancelRestart(live: Live): void {
    if (live.restartTimer) clearTimeout(live.restartTimer);
    live.restartTimer = undefined;
    this.table.setStatus(live, 'exited');
    void this.table.save(live);
    live.events.emit('stopped', live.record.State.ExitCode);
  }

  private async signal(live: Live, name: string): Promise<void> {
    const r = live.record;
    await this.deps.runc.kill(r.Id, name).catch(() => undefined); // it may have exited a moment ago
    this.trace(r.Id, 'runc.kill', { signal: `SIG${name}` });
    // dockerd's kill event, for docker kill and for each signal of stop, restart and rm -f: the number
    this.deps.events.notify('kill', r, { signal: String(parseSignal(name).number) });
    // a frozen process cannot act on a signal: thaw it (Docker does the same for stop and kill)
    if (r.State.Status === 'paused' && (name === 'KILL' || name === parseSignal(r.Config.StopSignal, 'SIGTERM').name)) {
      await this.deps.runc.resume(r.Id).catch(() => undefined);
      this.table.setStatus(live, 'running');
    }
  }

  async restart(ref: string, timeoutSeconds?: number): Promise<void> {
    const live = await this.table.get(ref);
    await this.table.withLock(live, async () => {
      await this.stopNow(live, timeoutSeconds);
      live.record.manuallyStopped = false;
      await this.startExplained(live);
      this.deps.events.notify('restart', live.record);
    });
  }

  async kill(ref: string, signal?: string): Promise<void> {
    const live = await this.table.get(ref);
    await this.table.withLock(live, async () => {
      const r = live.record;
      const sig = parseSignal(signal, 'SIGKILL');
      assertOperation('kill', r.State.Status, r.Id);
      if (sig.name === 'KILL' || sig.name === parseSignal(r.Config.StopSignal, 'SIGTERM').name) {
        r.manuallyStopped = true;
        await this.table.save(live);
      }
      await this.signal(live, sig.name);
      if (sig.name === 'KILL') await this.awaitExit(live, 10_000);
    });
  }

  async pause(ref: string): Promise<void> {
    const live = await this.table.get(ref);
    await this.table.withLock(live, async () => {
      assertOperation('pause', live.record.State.Status, live.record.Id);
      await this.deps.runc.pause(live.record.Id);
      this.health.stop(live.record.Id); // a frozen container is not probed (dockerd's updateHealthMonitor)
      this.table.setStatus(live, 'paused');
      await this.table.save(live);
      this.trace(live.record.Id, 'runc.pause');
      this.deps.events.notify('pause', live.record);
    });
  }

  async unpause(ref: string): Promise<void> {
    const live = await this.table.get(ref);
    await this.table.withLock(live, async () => {
      assertOperation('unpause', live.record.State.Status, live.record.Id);
      await this.deps.runc.resume(live.record.Id);
      this.table.setStatus(live, 'running');
      await this.table.save(live);
      this.trace(live.record.Id, 'runc.resume');
      this.deps.events.notify('unpause', live.record);
      this.resumeHealth(live.record);
    });
  }

  // ---------------------------------------------------------------- wait, remove, rename

  async wait(ref: string, condition: WaitCondition): Promise<{ StatusCode: number; Error?: { Message: string } | null }> {
    const live = await this.table.get(ref);
    const result = (code: number) => ({ StatusCode: code, Error: null });
    const status = live.record.State.Status;
    if (condition === 'not-running' && !isActive(status)) return result(live.record.State.ExitCode);
    const event = condition === 'removed' ? 'removed' : condition === 'next-exit' ? 'exit' : 'stopped';
    return new Promise((resolve) => live.events.once(event, (code: number) => resolve(result(code))));
  }

  async remove(ref: string, options: { force: boolean; volumes: boolean }): Promise<void> {
    const live = await this.table.get(ref);
    await this.table.withLock(live, async () => {
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
      if (!this.table.has(r.Id)) return; // --rm got there first
      await this.removeNow(live, options.volumes);
    });
  }

  private async removeNow(live: Live, removeVolumes: boolean): Promise<void> {
    const r = live.record;
    if (!this.table.has(r.Id)) return;
    const t0 = phaseStart();
    const wasClean = r.State.Status === 'exited' || r.State.Status === 'created';
    this.table.setStatus(live, 'removing');
    // an exited container was cleaned up when it exited; anything else may still hold runc state or a mount
    if (!wasClean) await releaseRuntime(this.deps, live.record);
    // a shim still waiting for its ack would wait for ever once the folder (and the fifo's name) is gone
    ackShim(live.files.ack);
    await timed(r.Id, 'remove.snapshot', () => this.deps.snapshotter.remove(r.snapshotKey).catch(() => undefined));
    await this.deps.network?.forget(r.Id).catch(() => undefined); // network plane (issue 3)
    this.table.delete(r.Id);
    await live.saving;
    // the trace leaves with the container, but its story is kept for a while (trace/removed-traces.ts)
    await timed(r.Id, 'remove.trace', async () => this.deps.tracer.forget?.(r.Id, { name: r.Name.slice(1) }));
    await timed(r.Id, 'remove.folder', () => fs.rm(live.files.dir, { recursive: true, force: true }));
    if (removeVolumes) {
      for (const name of r.anonymousVolumes) {
        await this.deps.volumes.remove(name, { isInUse: (n) => this.volumeInUse(n) }).catch(() => undefined);
      }
    }
    this.trace(r.Id, 'cleanup', { what: `container ${r.Name.slice(1)} removed`, removed: true });
    this.deps.events.notify('destroy', r);
    notePhase(r.Id, 'remove', t0);
    live.events.emit('removed', r.State.ExitCode);
  }

  /** probing again where it stopped (unpause, engine restart): the status and streak are kept */
  private resumeHealth(r: ContainerRecord): void {
    const probe = this.probeOf(r);
    if (!probe || r.State.Status !== 'running') return;
    r.State.Health ??= startingHealth(undefined);
    this.health.start(r.Id, probe);
  }

  async rename(ref: string, newName: string): Promise<void> {
    const live = await this.table.get(ref);
    const full = validateName(newName);
    if (full === live.record.Name) throw invalidArgument('Renaming a container with the same name as its current name');
    const conflict = nameConflict(full, this.table.records(), live.record.Id);
    // dockerd's words for a rename: `Error when allocating new name: Conflict. ...`
    if (conflict) throw alreadyExists(`Error when allocating new name: ${conflict}`);
    live.record.Name = full;
    await this.table.save(live);
    this.deps.events.notify('rename', live.record);
  }

  // ---------------------------------------------------------------- update (update-container.ts)

  /**
   * `docker update`: the new HostConfig is saved, and a running or paused container's cgroup rewritten by
   * `runc update`; if runc refuses (a memory limit below what the container uses), the old HostConfig stays
   */
  async update(ref: string, update: ContainerUpdateBody): Promise<void> {
    const live = await this.table.get(ref);
    await this.table.withLock(live, async () => {
      const r = live.record;
      if (r.State.Status === 'removing' || r.State.Status === 'dead') throw cannotUpdate(r.Id, new Error('container is marked for removal and cannot be "update"'));
      const before = r.HostConfig;
      let after;
      try {
        after = applyUpdate(before, update);
      } catch (err) {
        throw cannotUpdate(r.Id, err);
      }
      const resources = runcUpdateResources(update);
      const running = (r.State.Status === 'running' || r.State.Status === 'paused') && touchesCgroup(resources);
      if (running) {
        try {
          await this.deps.runc.update(r.Id, resources);
        } catch (err) {
          throw cannotUpdate(r.Id, new Error(runcUpdateReason(messageOf(err))));
        }
      }
      r.HostConfig = after;
      await this.table.save(live);
      this.trace(r.Id, 'runc.update', { running, cgroupsPath: r.cgroupsPath, resources, summary: updateSummary(resources, update) });
      this.deps.events.notify('update', r);
    });
  }

  // ---------------------------------------------------------------- views

  async list(options: ListOptions): Promise<Record<string, unknown>[]> {
    await this.table.ensureLoaded();
    const now = Date.now();
    const picked = selectContainers(this.table.records(), options);
    return Promise.all(
      picked.map(async (r) => withNetworkSummary(toSummary(r, now, options.size ? await this.rootfs.upperSize(r.snapshotKey) : undefined), this.deps.network?.view(r.Id, r.Config.ExposedPorts))),
    );
  }

  async inspect(ref: string): Promise<Record<string, unknown>> {
    const live = await this.table.get(ref);
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

  // ---------------------------------------------------------------- 5, 6 stdio (attach-session.ts, container-logs.ts)

  async attach(ref: string, options: AttachOptions): Promise<StdioSession> {
    return attachSession(await this.table.get(ref), options);
  }

  async resize(ref: string, height: number, width: number): Promise<void> {
    const live = await this.table.get(ref);
    live.size = { cols: width, rows: height };
    if (live.record.State.Status === 'created') return; // used when the pty is made
    assertOperation('resize', live.record.State.Status, live.record.Id);
    live.proc?.resize(width, height);
  }

  async *logs(ref: string, options: LogOptions): AsyncIterable<LogEntry> {
    yield* containerLogs(await this.table.get(ref), options);
  }

  // ---------------------------------------------------------------- inside the container

  async top(ref: string, psArgs?: string): Promise<{ Titles: string[]; Processes: string[][] }> {
    const live = await this.table.get(ref);
    assertOperation('top', live.record.State.Status, live.record.Id);
    const pids = await this.deps.cgroups.listPids(live.record.cgroupsPath);
    const args = (psArgs?.trim() || '-ef').split(/\s+/);
    const ps = await this.deps.exec('ps', args);
    return parsePsOutput(ps.stdout, pids);
  }

  async stats(ref: string): Promise<Record<string, unknown>> {
    const live = await this.table.get(ref);
    // a stopped container has no cgroup: Docker answers with zeros
    if (!isActive(live.record.State.Status) || live.record.State.Status === 'restarting') return stoppedStats(live.record);
    return this.deps.cgroups.stats(live.record.cgroupsPath, { id: live.record.Id, name: live.record.Name });
  }

  async getArchive(ref: string, path: string): Promise<{ stat: Record<string, unknown>; tar: Readable }> {
    const live = await this.table.get(ref);
    return this.rootfs.getArchive(copyTarget(live.record), path);
  }

  async putArchive(ref: string, path: string, tar: Readable): Promise<void> {
    const live = await this.table.get(ref);
    if (live.record.HostConfig.ReadonlyRootfs) throw failedPrecondition('container rootfs is marked read-only');
    await this.rootfs.putArchive(copyTarget(live.record), path, tar);
  }

  async statPath(ref: string, path: string): Promise<Record<string, unknown>> {
    const live = await this.table.get(ref);
    return this.rootfs.statPath(copyTarget(live.record), path);
  }

  async changes(ref: string): Promise<Array<{ Path: string; Kind: 0 | 1 | 2 }>> {
    const live = await this.table.get(ref);
    return this.rootfs.changes(live.record.snapshotKey);
  }

  async exportRootfs(ref: string): Promise<Readable> {
    const live = await this.table.get(ref);
    const r = live.record;
    // dockerd mounts the layer of a container in any state but one being removed
    if (r.State.Status === 'removing' || r.State.Status === 'dead') throw failedPrecondition(`container ${r.Name.slice(1)} is being removed: there is nothing to export`);
    const { rootfs, tar } = await this.rootfs.exportArchive(r.snapshotKey);
    this.trace(r.Id, 'container.export', { rootfs });
    this.deps.events.notify('export', r);
    return tar;
  }

  async execCreate(ref: string, body: ExecCreateBody): Promise<{ Id: string }> {
    const live = await this.table.get(ref);
    assertOperation('exec', live.record.State.Status, live.record.Id);
    if (!body.Cmd || body.Cmd.length === 0) throw invalidArgument('No exec command specified');
    const id = this.execs.create(live.record.Id, body);
    this.deps.events.notify(`exec_create: ${body.Cmd.join(' ')}`, live.record, { execID: id });
    return { Id: id };
  }

  async execStart(execId: string, options: { detach: boolean; tty: boolean }): Promise<StdioSession> {
    const exec = this.execs.get(execId);
    const live = this.table.byId(exec.containerId);
    if (!live) throw notFound(`No such container: ${exec.containerId}`);
    assertOperation('exec', live.record.State.Status, live.record.Id);
    const snapshot = await this.deps.snapshotter.get(live.record.snapshotKey);
    this.deps.events.notify(`exec_start: ${exec.body.Cmd.join(' ')}`, live.record, { execID: execId });
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
    await this.table.ensureLoaded();
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const r of this.table.records()) {
      if (isActive(r.State.Status) || r.State.Status === 'removing') continue;
      if (!filter.matches(r.Config.Labels, r.Created)) continue;
      const live = this.table.byId(r.Id);
      if (!live) continue;
      reclaimed += await this.rootfs.upperSize(r.snapshotKey);
      await this.table.withLock(live, () => this.removeNow(live, false));
      deleted.push(r.Id);
    }
    return { ContainersDeleted: deleted, SpaceReclaimed: reclaimed };
  }

  imageInUse(imageId: string): boolean {
    return this.table.all().some((l) => l.record.ImageId === imageId);
  }

  volumeInUse(name: string): boolean {
    return this.volumeUsers(name).length > 0;
  }

  volumeUsers(name: string): string[] {
    return this.table.all().filter((l) => l.record.mountPoints.some((m) => m.Name === name)).map((l) => l.record.Id);
  }

  // ---------------------------------------------------------------- 7 recovery (recovery-plan.ts)

  /**
   * After an engine restart (or crash): reattach to shims that kept running, finish exits that
   * happened while the engine was down, and remove what half-done work left (mounts, runc state,
   * folders without container.json, snapshots without a container).
   */
  async recover(): Promise<void> {
    await fs.mkdir(this.deps.paths.containers, { recursive: true });
    for (const id of await fs.readdir(this.deps.paths.containers)) {
      const files = this.table.files(id);
      const record = await readRecord(files.record);
      if (!record) {
        // a create that never finished
        await this.deps.runc.delete(id, true);
        await this.deps.snapshotter.remove(id).catch(() => undefined);
        await fs.rm(files.dir, { recursive: true, force: true });
        continue;
      }
      await this.recoverOne(this.table.byId(id) ?? this.table.track(record));
    }
    this.table.markLoaded();
    // runc state and snapshots that belong to no container
    const known = new Set(this.table.ids());
    for (const c of await this.deps.runc.list()) {
      if (!known.has(c.id)) await this.deps.runc.delete(c.id, true);
    }
    for (const key of await this.deps.snapshotter.list().catch(() => [] as string[])) {
      if (known.has(key)) continue;
      const snap = await this.deps.snapshotter.get(key).catch(() => undefined);
      if (snap) for (const m of await readMountsUnder(snap.rootfs).catch(() => [] as string[])) await this.deps.mounter.unmount(m).catch(() => undefined);
      await this.deps.snapshotter.remove(key).catch(() => undefined);
    }
  }

  /** what was found decides (recovery-plan.ts); this carries it out */
  private async recoverOne(live: Live): Promise<void> {
    const r = live.record;
    const f = live.files;
    const active = isActive(r.State.Status);
    const plan = planRecovery({
      hasRecord: true,
      status: r.State.Status,
      ours: live.proc !== undefined,
      shimPid: r.shimPid,
      shimAlive: active && r.shimPid > 0 && (await isShim(r.shimPid, r.Id)),
      exitFile: active && (await fs.stat(f.exitFile).then(() => true, () => false)),
    });
    switch (plan.kind) {
      case 'remove-unfinished-create':
      case 'still-ours':
        return;
      case 'finish-removal':
        return this.removeNow(live, false);
      case 'clean-stopped':
        await releaseRuntime(this.deps, r);
        ackShim(f.ack);
        await this.releaseVolumes(r);
        return;
      case 'restart':
        this.trace(r.Id, 'recover', { state: r.State.Status, action: plan.why });
        live.restartTimer = setTimeout(() => void this.restartByPolicy(live), 0);
        return;
      case 'reattach': {
        this.trace(r.Id, 'recover', { state: r.State.Status, action: plan.why });
        await live.output.open();
        const fifos = { stdinFifo: f.stdin, stdoutFifo: f.stdout, stderrFifo: f.stderr, ackFifo: f.ack, exitFile: f.exitFile, ttyFile: r.Config.Tty ? f.ttyFile : '' };
        const proc = reattachShim(r.shimPid, fifos, live.output, Boolean(r.Config.OpenStdin));
        live.proc = proc;
        live.exitDone = proc.exited.then((code) => this.onExit(live, proc, code, UNKNOWN_EXIT_CODE));
        // it has exited already: the shim only waits for us to read the rest of its output
        if (plan.finishBeforeReturn) await live.exitDone;
        // a HEALTHCHECK is probed again (dockerd's restore does the same with live-restore)
        else this.resumeHealth(r);
        return;
      }
      case 'finish-exit': {
        // the process ended while the engine was down, or its shim was killed: finish the exit now
        this.trace(r.Id, 'recover', { state: r.State.Status, action: plan.why });
        const proc: ContainerProcess = { kind: 'reattached', shimPid: r.shimPid, exited: Promise.resolve(undefined), resize: () => undefined, closeStdin: () => undefined, release: () => undefined };
        live.proc = proc;
        live.exitDone = this.onExit(live, proc, undefined, UNKNOWN_EXIT_CODE);
        await live.exitDone;
        return;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.health.close();
    for (const live of this.table.all()) {
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

/** the trace's one line on what changed: the limits, or the restart policy */
function updateSummary(resources: Parameters<typeof cgroupLimitsSummary>[0], update: ContainerUpdateBody): string {
  const limits = touchesCgroup(resources ?? {}) ? cgroupLimitsSummary(resources) : '';
  const policy = update.RestartPolicy?.Name ? `restart policy ${policyName(update.RestartPolicy)}` : '';
  return [limits, policy].filter(Boolean).join(', ') || 'no change';
}

/** `docker cp` works in the container's own view while it runs (its mounts included), else in its snapshot */
function copyTarget(r: ContainerRecord): CopyTarget {
  const running = r.State.Status === 'running' || r.State.Status === 'paused';
  return { key: r.snapshotKey, pid: running ? r.State.Pid : 0, mounts: r.ociMounts };
}
