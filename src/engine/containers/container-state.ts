// The container state machine, as Docker shows it in `docker ps` and inspect's State.Status:
//   created -> running -> paused -> running
//   running -> exited -> running (start again) | restarting (restart policy) -> running
//   any -> removing -> (gone); dead when cleanup failed
// Pure: which operation is allowed in which state, and Docker's wording when it is not.
import { AppError, failedPrecondition } from '../../core/errors.js';

export const CONTAINER_STATUSES = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'] as const;
export type ContainerStatus = (typeof CONTAINER_STATUSES)[number];

export const CONTAINER_OPERATIONS = ['start', 'stop', 'kill', 'pause', 'unpause', 'remove', 'exec', 'attach', 'top', 'resize'] as const;
export type ContainerOperation = (typeof CONTAINER_OPERATIONS)[number];

/** 'ok': do it; 'noop': nothing to do (Docker answers 304 Not Modified); an AppError: refuse */
export type Verdict = 'ok' | 'noop' | AppError;

/** a process of the container exists (runc has it): running, paused, or between restarts */
export function isActive(status: ContainerStatus): boolean {
  return status === 'running' || status === 'paused' || status === 'restarting';
}

export function checkOperation(op: ContainerOperation, status: ContainerStatus, id: string, force = false): Verdict {
  const notRunning = () => failedPrecondition(`Container ${id} is not running`, { suggestions: [`start it first: docker start ${id.slice(0, 12)}`] });
  switch (op) {
    case 'start':
      if (status === 'running' || status === 'restarting') return 'noop';
      if (status === 'paused') return failedPrecondition('cannot start a paused container, try unpause instead');
      if (status === 'removing' || status === 'dead') return failedPrecondition(`container ${id} is marked for removal and cannot be started`);
      return 'ok';
    case 'stop':
      return isActive(status) ? 'ok' : 'noop';
    case 'kill':
      return status === 'running' || status === 'paused' ? 'ok' : notRunning();
    case 'pause':
      if (status === 'paused') return failedPrecondition(`Container ${id} is already paused`);
      return status === 'running' ? 'ok' : notRunning();
    case 'unpause':
      return status === 'paused' ? 'ok' : failedPrecondition(`Container ${id} is not paused`);
    case 'remove':
      if (status === 'removing') return failedPrecondition(`removal of container ${id} is already in progress`);
      if (force) return 'ok';
      if (status === 'paused')
        return failedPrecondition(`You cannot remove a paused container ${id}. Unpause and then stop the container before attempting removal or force remove`);
      if (isActive(status))
        return failedPrecondition(`You cannot remove a running container ${id}. Stop the container before attempting removal or force remove`);
      return 'ok';
    case 'exec':
      if (status === 'paused') return failedPrecondition(`Container ${id} is paused, unpause the container before exec`);
      if (status === 'restarting') return failedPrecondition(`Container ${id} is restarting, wait until the container is running`);
      return status === 'running' ? 'ok' : notRunning();
    case 'attach':
      // `docker run` and `docker start -a` attach before they start, so a created or exited container can be
      // attached to (as with dockerd; `docker attach` itself refuses a stopped container, in the CLI)
      if (status === 'dead' || status === 'removing')
        return failedPrecondition('You cannot attach to a stopped container, start it first');
      return 'ok';
    case 'top':
    case 'resize':
      return status === 'running' || status === 'paused' ? 'ok' : notRunning();
  }
}

/** throws the refusal; true when there is something to do, false for a no-op */
export function assertOperation(op: ContainerOperation, status: ContainerStatus, id: string, force = false): boolean {
  const verdict = checkOperation(op, status, id, force);
  if (verdict instanceof AppError) throw verdict;
  return verdict === 'ok';
}
