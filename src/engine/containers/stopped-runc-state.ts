// What `runc delete` does for a container whose process has exited, done by the engine itself: remove the
// container's cgroup folders and runc's state folder (runc 1.1's libcontainer `destroy`). `runc run --keep`
// leaves both after the exit so the engine can read the OOM counter (finish-exit.ts); starting runc once
// more only to remove them is a Go process started twice more per container (~25 ms on a host, ~300 ms
// in a sandbox VM under TCG, issue 19). The engine does it only in the plain case and leaves every other
// one to `runc delete --force`, which knows them all:
//   - runc's own rule for "stopped": the init's pid is gone, a zombie, or another process (its start time
//     in /proc/<pid>/stat differs from state.json's init_process_start);
//   - a private pid namespace: when its init dies the kernel kills every process in it, so the cgroup is
//     empty (a shared one, `--pid host` or `--pid container:x`, may keep processes runc must kill);
//   - no poststop hooks (runc runs them after the removal);
//   - every cgroup folder removed (rmdir refuses while a process is still in it: runc retries and kills).
// The trace still says `runc.delete` (the same step of the lifecycle), with who did it.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** what the engine reads from runc's <root>/<id>/state.json */
export interface RuncStateFacts {
  initPid: number;
  /** the init's start time in clock ticks since boot, field 22 of /proc/<pid>/stat */
  initStart: number;
  /** the container's cgroup folders, one per hierarchy (v1) or one (v2) */
  cgroupPaths: string[];
  /** the container has a pid namespace of its own */
  privatePidNamespace: boolean;
  /** runc runs poststop hooks when it deletes */
  poststopHooks: number;
}

interface StateJson {
  init_process_pid?: number;
  init_process_start?: number;
  cgroup_paths?: Record<string, string>;
  config?: { namespaces?: Array<{ type?: string; path?: string }>; Hooks?: { poststop?: unknown[] | null } | null };
}

/** pure: the facts of runc 1.1's state.json, or undefined when it is not one */
export function parseRuncState(text: string): RuncStateFacts | undefined {
  let v: StateJson;
  try {
    v = JSON.parse(text) as StateJson;
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || !Number.isInteger(v.init_process_pid) || !Number.isInteger(v.init_process_start)) return undefined;
  const pidNs = v.config?.namespaces?.find((n) => n.type === 'NEWPID');
  return {
    initPid: v.init_process_pid as number,
    initStart: v.init_process_start as number,
    cgroupPaths: Object.values(v.cgroup_paths ?? {}).filter((p) => typeof p === 'string' && p !== ''),
    privatePidNamespace: pidNs !== undefined && !pidNs.path,
    poststopHooks: v.config?.Hooks?.poststop?.length ?? 0,
  };
}

/** pure: the state letter and the start time (field 22) of /proc/<pid>/stat; the name may hold spaces and ')' */
export function parseProcStat(text: string): { state: string; startTime: number } | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // fields from 3 (state) on; the start time is field 22
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const startTime = Number(rest[22 - 3]);
  return rest[0] && Number.isInteger(startTime) ? { state: rest[0], startTime } : undefined;
}

/** pure: runc's rule for a stopped container (libcontainer runType): no such pid, a zombie or dead one, or a newer process */
export function initStopped(facts: Pick<RuncStateFacts, 'initStart'>, stat: ReturnType<typeof parseProcStat>): boolean {
  return stat === undefined || stat.startTime !== facts.initStart || stat.state === 'Z' || stat.state === 'X';
}

/** pure: may the engine remove this stopped container's runc state itself, or must runc do it? */
export function engineMayDelete(facts: RuncStateFacts): boolean {
  return facts.privatePidNamespace && facts.poststopHooks === 0;
}

export type StoppedDelete =
  /** runc did not know the container (no state folder): nothing to do, as `runc delete` of an unknown id */
  | 'absent'
  /** the engine removed the cgroup folders and the state folder */
  | 'removed'
  /** not the plain case (running, shared pid namespace, hooks, a cgroup that would not go): ask runc */
  | 'needs-runc';

/**
 * Removes a stopped container's cgroup folders and runc's state folder, as `runc delete` would, when that
 * is the plain case; says 'needs-runc' (having changed nothing runc needs) otherwise.
 */
export async function deleteStoppedState(runcRoot: string, id: string, procRoot = '/proc'): Promise<StoppedDelete> {
  const stateDir = path.join(runcRoot, id);
  let text: string;
  try {
    text = await fs.readFile(path.join(stateDir, 'state.json'), 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'needs-runc';
  }
  const facts = parseRuncState(text);
  if (!facts || !engineMayDelete(facts)) return 'needs-runc';
  const stat = parseProcStat(await fs.readFile(path.join(procRoot, String(facts.initPid), 'stat'), 'utf8').catch(() => ''));
  if (!initStopped(facts, stat)) return 'needs-runc';
  // one folder per v1 hierarchy, each removed on its own: all at once (the kernel takes ms per memory cgroup)
  const removed = await Promise.all(
    facts.cgroupPaths.map((dir) =>
      fs.rmdir(dir).then(
        () => true,
        // a folder that is gone is removed; anything else (EBUSY: a process still in it, a child cgroup) is runc's
        (err: NodeJS.ErrnoException) => err.code === 'ENOENT',
      ),
    ),
  );
  if (removed.includes(false)) return 'needs-runc';
  // last, as runc: without it runc would still list the container
  await fs.rm(stateDir, { recursive: true, force: true });
  return 'removed';
}
