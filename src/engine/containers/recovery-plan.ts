// Stage 7: recovery after an engine restart or crash, as a decision table (docs/adr/0001, "Engine
// restart"). Pure: what was found in containers/<id>/ and /proc decides what recover() does; the owner
// (runc-container-service.ts) carries it out, since reattaching and finishing exits are its loop.
//
//   found                                             action
//   no container.json                                 a create that never finished: runc delete --force,
//                                                     remove the snapshot and the folder
//   a shim of this engine already                     nothing (still ours)
//   removing                                          finish the removal
//   exited / created                                  nothing mounted or left in runc; ack a waiting shim
//   restarting                                        restart now (the back-off timer died with the engine)
//   running, shim alive                               reattach: open the fifos again, watch for `exit`
//   running, shim alive, `exit` present               reattach, read the rest, finish the exit before recover() returns
//   running, shim dead, `exit` present                finish the exit with that code
//   running, shim dead, no `exit` (kill -9, full disk) finish the exit as 137: runc delete --force kills an orphan
import type { ContainerStatus } from './container-state.js';
import { isActive } from './container-state.js';

export interface FoundContainer {
  /** container.json was read */
  hasRecord: boolean;
  status?: ContainerStatus;
  /** the engine holds a shim handle for it already */
  ours: boolean;
  /** the shim's pid from the record (0: none) */
  shimPid: number;
  /** /proc/<shimPid>/cmdline names the shim and this container */
  shimAlive: boolean;
  /** the shim has written `exit` */
  exitFile: boolean;
}

export type RecoveryAction =
  | { kind: 'remove-unfinished-create' }
  | { kind: 'still-ours' }
  | { kind: 'finish-removal' }
  | { kind: 'clean-stopped' }
  | { kind: 'restart'; why: string }
  | { kind: 'reattach'; finishBeforeReturn: boolean; why: string }
  | { kind: 'finish-exit'; why: string };

/** the code of an exit nobody recorded (the shim was killed, or could not write the exit file): as for SIGKILL */
export const UNKNOWN_EXIT_CODE = 137;

export function planRecovery(found: FoundContainer): RecoveryAction {
  if (!found.hasRecord || !found.status) return { kind: 'remove-unfinished-create' };
  if (found.ours) return { kind: 'still-ours' };
  if (found.status === 'removing') return { kind: 'finish-removal' };
  // an exit handled halfway, or a start the engine died in: nothing may stay mounted or in runc, and a
  // shim of that start, waiting for someone to read its output, may go
  if (!isActive(found.status)) return { kind: 'clean-stopped' };
  if (found.status === 'restarting') return { kind: 'restart', why: 'restarting it (restart policy)' };
  // a live shim may also be one that has exited its container and waits for us to read the rest
  if (found.shimAlive) return { kind: 'reattach', finishBeforeReturn: found.exitFile, why: `its shim (pid ${found.shimPid}) still runs: reading its output again` };
  return {
    kind: 'finish-exit',
    why: found.exitFile ? 'it exited while the engine was down: recording its exit code' : `its shim is gone without an exit status: marking it exited (${UNKNOWN_EXIT_CODE})`,
  };
}
