// Restart policies (`docker run --restart no|always|unless-stopped|on-failure[:N]`) and Docker's
// back-off between restarts: 100 ms, doubling each time, at most 1 minute, back to 100 ms once the
// container has run for 10 s. Pure: the service asks "restart, and after how long?".
import type { RestartPolicy } from '../docker-model.js';

export const BACKOFF_START_MS = 100;
export const BACKOFF_MAX_MS = 60_000;
export const BACKOFF_RESET_AFTER_MS = 10_000;

export interface ExitFacts {
  exitCode: number;
  /** stopped with docker stop/kill: no restart until started again */
  manuallyStopped: boolean;
  /** restarts so far (RestartCount) */
  restartCount: number;
  /** how long the process ran, ms */
  ranMs: number;
  /** the delay used for the previous restart, ms (0 if none) */
  previousDelayMs: number;
}

export type RestartDecision = { restart: false } | { restart: true; delayMs: number };

export function policyName(policy: RestartPolicy | undefined): string {
  const name = policy?.Name || 'no';
  return name === 'on-failure' && policy?.MaximumRetryCount ? `on-failure:${policy.MaximumRetryCount}` : name;
}

export function decideRestart(policy: RestartPolicy | undefined, facts: ExitFacts): RestartDecision {
  const name = policy?.Name || 'no';
  if (facts.manuallyStopped || name === 'no') return { restart: false };
  if (name === 'on-failure') {
    if (facts.exitCode === 0) return { restart: false };
    const max = policy?.MaximumRetryCount ?? 0;
    if (max > 0 && facts.restartCount >= max) return { restart: false };
  }
  return { restart: true, delayMs: nextDelay(facts.previousDelayMs, facts.ranMs) };
}

export function nextDelay(previousDelayMs: number, ranMs: number): number {
  if (previousDelayMs <= 0 || ranMs >= BACKOFF_RESET_AFTER_MS) return BACKOFF_START_MS;
  return Math.min(previousDelayMs * 2, BACKOFF_MAX_MS);
}

/** dockerd's validateRestartPolicy (daemon/container.go), its words: create and `docker update --restart` */
export function restartPolicyProblem(policy: RestartPolicy | undefined): string | undefined {
  const name: string = policy?.Name ?? '';
  const retries = policy?.MaximumRetryCount ?? 0;
  switch (name) {
    case 'always':
    case 'unless-stopped':
    case 'no':
      return retries !== 0 ? `maximum retry count cannot be used with restart policy '${name}'` : undefined;
    case 'on-failure':
      return retries < 0 ? 'maximum retry count cannot be negative' : undefined;
    case '':
      return undefined;
    default:
      return `invalid restart policy '${name}'`;
  }
}
