// The health-check loop of each running container (dockerd's monitor goroutine, daemon/health.go): wait
// the interval, run the probe (an exec in the container, given by the owner), give up on it after the
// timeout ("Health check exceeded timeout (30s)", exit code -1, the probe told to stop), hand the result
// over, and wait the interval again from there. At most one loop per container; stop() ends it at once,
// between probes or during one (a result that arrives after a stop is dropped, as dockerd drops it).
// The owner starts a loop when a container starts or is unpaused and stops it when it exits or is paused.
import type { HealthcheckResult } from './health-state.js';
import type { ProbeSettings } from './healthcheck-config.js';

/** runs `command` once in the container; `signal` aborts it (timeout or stop). Throws when it could not run */
export type ProbeRunner = (containerId: string, command: string[], signal: AbortSignal) => Promise<{ exitCode: number; output: string }>;

export interface HealthMonitorDeps {
  runProbe: ProbeRunner;
  /** a probe's result, to record; the next interval starts once this resolves */
  onResult: (containerId: string, result: HealthcheckResult) => Promise<void>;
  now?: () => Date;
}

export class HealthMonitor {
  private readonly loops = new Map<string, AbortController>();

  constructor(private readonly deps: HealthMonitorDeps) {}

  /** starts the loop of a container unless one runs already */
  start(containerId: string, settings: ProbeSettings): void {
    if (this.loops.has(containerId)) return;
    const stop = new AbortController();
    this.loops.set(containerId, stop);
    void this.loop(containerId, settings, stop.signal).finally(() => {
      if (this.loops.get(containerId) === stop) this.loops.delete(containerId);
    });
  }

  stop(containerId: string): void {
    this.loops.get(containerId)?.abort();
    this.loops.delete(containerId);
  }

  running(containerId: string): boolean {
    return this.loops.has(containerId);
  }

  close(): void {
    for (const id of [...this.loops.keys()]) this.stop(id);
  }

  private async loop(id: string, s: ProbeSettings, stopped: AbortSignal): Promise<void> {
    const now = this.deps.now ?? (() => new Date());
    while (!stopped.aborted) {
      if (!(await delay(s.intervalMs, stopped))) return;
      const start = now();
      const probe = new AbortController();
      const onStop = () => probe.abort();
      stopped.addEventListener('abort', onStop, { once: true });
      const run = this.deps.runProbe(id, s.command, probe.signal).then(
        (r) => ({ ExitCode: r.exitCode, Output: r.output }),
        (err: unknown) => ({ ExitCode: -1, Output: err instanceof Error ? err.message : String(err) }),
      );
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), s.timeoutMs)));
      const first = await Promise.race([run, timedOut]);
      clearTimeout(timer);
      let outcome: Omit<HealthcheckResult, 'Start' | 'End'>;
      if (first === 'timeout') {
        outcome = { ExitCode: -1, Output: `Health check exceeded timeout (${s.timeoutText})` };
      } else outcome = first;
      const end = now();
      if (first === 'timeout') {
        // dockerd waits for the probe to go before the next interval, so dying probes do not pile up
        probe.abort();
        await run;
      }
      stopped.removeEventListener('abort', onStop);
      if (stopped.aborted) return;
      await this.deps.onResult(id, { Start: start.toISOString(), End: end.toISOString(), ...outcome }).catch(() => undefined);
    }
  }
}

/** resolves true after ms, or false as soon as signal aborts */
function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
