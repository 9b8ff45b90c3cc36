// Stage 4: the exit (docs/adr/0001). The shim has written `exit` and boxlabd has read the fifos to EOF,
// so every byte is in the log. Then, in this order:
//   exit code   the exit file is the truth; without one (a full disk) the shim's own status, else a fallback
//   OOM         read from the cgroup, which `runc run --keep` leaves until runc delete
//   runc delete removes runc's state and the cgroup; the rootfs is unmounted at the same time. When the exit
//               file says `runc run` returned, the engine does runc delete's work itself in the plain case
//               (stopped-runc-state.ts: one Go process fewer per container); a killed shim still gets
//               `runc delete --force`, which kills what is left
//   network     veth, address, rules and netns go with the process (network plane)
//   record      ExitCode, FinishedAt, OOMKilled; the trace's process.exit and Docker's die event
// What follows (restart policy, --rm) is the owner's loop: runc-container-service.ts.
import { promises as fs } from 'node:fs';
import { timed } from '../../core/phase-timing.js';
import type { StageDeps } from './container-deps.js';
import type { ContainerRecord, ContainerStateRecord } from './container-record.js';
import type { Live } from './live-table.js';
import { parseExitFile } from './shim.js';

export interface ExitFacts {
  exitCode: number;
  oomKilled: boolean;
  finishedAt: string;
  /** how long this run lasted (the restart policy's back-off resets after 10 s) */
  ranMs: number;
}

/** records the exit of the current run and cleans up after it; the status stays for the caller to set */
export async function finishExit(deps: StageDeps, live: Live, shimCode: number | undefined, fallbackCode: number): Promise<ExitFacts> {
  const r = live.record;
  const fromFile = parseExitFile(await fs.readFile(live.files.exitFile, 'utf8').catch(() => ''));
  const exitCode = exitCodeOf(fromFile, shimCode, fallbackCode);
  // read before runc delete: --keep leaves the cgroup (and its OOM counter) until then
  const oomKilled = await timed(r.Id, 'exit.oom', () => deps.cgroups.readOomKilled(r.cgroupsPath).catch(() => false));
  // the exit file is written after `runc run` returned, so runc has seen its init exit
  await releaseRuntime(deps, r, fromFile !== undefined);
  await timed(r.Id, 'exit.output', () => live.output.close());
  const finishedAt = new Date().toISOString();
  const exit = { exitCode, oomKilled, finishedAt, ranMs: Date.parse(finishedAt) - Date.parse(r.State.StartedAt) };
  r.State = exitedState(r.State, exit);
  r.shimPid = 0;
  deps.tracer.emit(r.Id, 'process.exit', { exitCode, oomKilled });
  deps.events.notify('die', r, { exitCode: String(exitCode) });
  return exit;
}

/** the exit file is the truth; without one (the disk was full) the shim exits with runc's status */
export function exitCodeOf(fromFile: number | undefined, shimCode: number | undefined, fallbackCode: number): number {
  return fromFile ?? shimCode ?? fallbackCode;
}

/** the state after an exit: no pid, the code, OOM, the time (the status is set by the restart decision) */
export function exitedState(state: ContainerStateRecord, exit: Pick<ExitFacts, 'exitCode' | 'oomKilled' | 'finishedAt'>): ContainerStateRecord {
  return { ...state, Status: 'exited', Pid: 0, ExitCode: exit.exitCode, OOMKilled: exit.oomKilled, FinishedAt: exit.finishedAt };
}

/**
 * runc delete (removes the cgroup and runc's state) and unmount the root filesystem, then the network.
 * runReturned: `runc run` has returned (the exit file is there), so the engine may do the delete itself.
 */
export async function releaseRuntime(deps: StageDeps, r: ContainerRecord, runReturned = false): Promise<void> {
  // both at once: the container's processes are gone, so nothing holds the rootfs any more
  const deleted = timed(r.Id, 'exit.runc-delete', async () => (runReturned ? deps.runc.deleteExited(r.Id) : (await deps.runc.delete(r.Id, true)) ? 'runc' : undefined)).then(
    (by) => by && deps.tracer.emit(r.Id, 'runc.delete', by === 'engine' ? { by } : {}),
  );
  const unmounted = timed(r.Id, 'exit.unmount', () =>
    deps.snapshotter
      .get(r.snapshotKey)
      .then((snapshot) => snapshot && deps.mounter.unmount(snapshot.rootfs, r.Id))
      .catch(() => undefined),
  );
  await Promise.all([deleted, unmounted]);
  // network plane (issue 3): veth, address, rules and netns go with the process
  await timed(r.Id, 'exit.network', async () => deps.network?.detach(r.Id).catch(() => undefined));
}
