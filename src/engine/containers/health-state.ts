// A container's health (inspect's State.Health: Status, FailingStreak, Log), as dockerd's
// handleProbeResult moves it (daemon/health.go). Each start sets it back to "starting" with the streak at
// zero (the log is kept); a probe that exits 0 makes it "healthy" and clears the streak; any other result
// (an exit code, a timeout, a probe that could not run) adds one to the streak, unless the container has
// never been healthy and is still inside its start period, and at `retries` failures in a row it is
// "unhealthy". The log keeps the last 5 results, each probe's output cut at 4096 bytes. Pure.

export const HEALTH_STATUSES = ['starting', 'healthy', 'unhealthy'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** dockerd's maxLogEntries and maxOutputLen */
export const MAX_LOG_ENTRIES = 5;
export const MAX_OUTPUT_BYTES = 4096;

/** one probe's result (types.HealthcheckResult): RFC 3339 times, the exit code (-1: timed out or could not run) */
export interface HealthcheckResult {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

export interface HealthState {
  Status: HealthStatus;
  FailingStreak: number;
  Log: HealthcheckResult[];
}

/** at each start: starting, no failures counted, the previous runs' results kept */
export function startingHealth(previous: HealthState | undefined): HealthState {
  return { Status: 'starting', FailingStreak: 0, Log: previous?.Log ?? [] };
}

export interface ProbeContext {
  retries: number;
  startPeriodMs: number;
  /** State.StartedAt of the current run */
  startedAt: string;
}

/** the health after one more probe result (a new object; `health` is not changed) */
export function applyProbeResult(health: HealthState, result: HealthcheckResult, ctx: ProbeContext): HealthState {
  const Log = [...health.Log, result].slice(-MAX_LOG_ENTRIES);
  if (result.ExitCode === 0) return { Status: 'healthy', FailingStreak: 0, Log };
  const inStartPeriod = health.Status === 'starting' && Date.parse(result.Start) - Date.parse(ctx.startedAt) < ctx.startPeriodMs;
  if (inStartPeriod) return { ...health, Log };
  const FailingStreak = health.FailingStreak + 1;
  return { Status: FailingStreak >= ctx.retries ? 'unhealthy' : health.Status, FailingStreak, Log };
}

/**
 * a probe's output as dockerd keeps it (limitedBuffer): the first 4096 bytes, then "..." when more came.
 * Bytes that are not UTF-8 become U+FFFD, as Go's JSON encoder writes them.
 */
export class ProbeOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private truncated = false;

  write(data: Buffer): void {
    const keep = Math.min(MAX_OUTPUT_BYTES - this.size, data.length);
    if (keep > 0) {
      this.chunks.push(data.subarray(0, keep));
      this.size += keep;
    }
    if (keep < data.length) this.truncated = true;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8') + (this.truncated ? '...' : '');
  }
}

/** what `docker ps` adds after "Up 3 seconds": "(health: starting)", "(healthy)", "(unhealthy)" */
export function healthSuffix(health: HealthState | undefined): string {
  if (!health) return '';
  return health.Status === 'starting' ? ' (health: starting)' : ` (${health.Status})`;
}

/** the value `docker ps --filter health=` compares with: a status, or "none" without a healthcheck */
export const HEALTH_FILTER_VALUES = [...HEALTH_STATUSES, 'none'] as const;

export function healthFilterValue(health: HealthState | undefined): string {
  return health?.Status ?? 'none';
}
