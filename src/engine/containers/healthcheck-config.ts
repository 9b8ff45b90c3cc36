// Docker's HEALTHCHECK as configuration (container.HealthConfig: Test, Interval, Timeout, StartPeriod,
// Retries): how `docker run --health-*` merges with the image's HEALTHCHECK (dockerd's merge at create:
// each field the request leaves zero comes from the image), what dockerd refuses at create, and the probe
// the engine runs from it (Test[0] says how: CMD runs the rest as is, CMD-SHELL through the container's
// shell, NONE disables). Durations are Go's nanoseconds, zero meaning "the default". Pure.
import { invalidArgument } from '../../core/errors.js';
import { formatGoDuration } from '../../core/go-time.js';
import type { HealthConfig } from '../docker-model.js';

/** dockerd's defaults (daemon/health.go): a probe every 30 s, 30 s to answer, unhealthy after 3 failures */
export const HEALTH_DEFAULTS = { intervalNs: 30e9, timeoutNs: 30e9, startPeriodNs: 0, retries: 3 } as const;

/** container.MinimumDuration: the shortest interval, timeout or start period dockerd accepts */
export const MINIMUM_DURATION_NS = 1e6;

/** what the engine runs, and when: a HealthConfig with its defaults filled in */
export interface ProbeSettings {
  /** the command exec'd in the container ("CMD-SHELL x" becomes [...shell, "x"]) */
  command: string[];
  intervalMs: number;
  timeoutMs: number;
  startPeriodMs: number;
  retries: number;
  /** Go's text of the timeout, for "Health check exceeded timeout (30s)" */
  timeoutText: string;
}

/**
 * dockerd's merge (daemon/commit.go merge): no healthcheck in the request takes the image's; one in the
 * request takes each field it leaves empty (Test, Interval, Timeout, StartPeriod, Retries) from the
 * image's. So `--health-interval 2s` alone keeps the image's command, and `--no-healthcheck` (Test NONE)
 * keeps the image's durations next to NONE, as `docker inspect` shows on dockerd.
 */
export function mergeHealthcheck(request: HealthConfig | undefined | null, image: HealthConfig | undefined | null): HealthConfig | undefined {
  if (!image) return request ?? undefined;
  if (!request) return { ...image };
  const merged: HealthConfig = { ...request };
  if (!merged.Test?.length && image.Test?.length) merged.Test = image.Test;
  for (const key of ['Interval', 'Timeout', 'StartPeriod', 'Retries'] as const) {
    if (!merged[key] && image[key]) merged[key] = image[key];
  }
  return merged;
}

/** dockerd's verifyContainerSettings for Config.Healthcheck, in its words (a 400 of `docker create`) */
export function checkHealthcheck(hc: HealthConfig | undefined | null): void {
  if (!hc) return;
  const tooShort = (field: 'Interval' | 'Timeout' | 'StartPeriod', flag: string) => {
    const v = hc[field] ?? 0;
    if (v !== 0 && v < MINIMUM_DURATION_NS) {
      throw invalidArgument(`${field} in Healthcheck cannot be less than ${formatGoDuration(MINIMUM_DURATION_NS)}`, {
        suggestions: [`give ${flag} a duration of at least 1ms, e.g. ${flag} 5s`],
      });
    }
  };
  tooShort('Interval', '--health-interval');
  tooShort('Timeout', '--health-timeout');
  if ((hc.Retries ?? 0) < 0) throw invalidArgument('Retries in Healthcheck cannot be negative', { suggestions: ['give --health-retries a count of 1 or more'] });
  tooShort('StartPeriod', '--health-start-period');
}

/** Docker writes Healthcheck with Go's omitempty: zero durations and retries are left out */
export function compactHealthcheck(hc: HealthConfig): HealthConfig {
  const out: HealthConfig = {};
  if (hc.Test?.length) out.Test = hc.Test;
  for (const key of ['Interval', 'Timeout', 'StartPeriod', 'Retries'] as const) if (hc[key]) out[key] = hc[key];
  return out;
}

/**
 * the probe of a container, or undefined when it has none: no healthcheck, Test empty or NONE, or a type
 * dockerd does not know (it logs a warning and runs nothing). shell: the container's SHELL (default sh -c).
 */
export function probeSettings(hc: HealthConfig | undefined | null, shell: readonly string[] | null | undefined): ProbeSettings | undefined {
  const test = hc?.Test ?? [];
  if (test.length === 0) return undefined;
  const [kind, ...rest] = test;
  let command: string[];
  if (kind === 'CMD') command = rest;
  else if (kind === 'CMD-SHELL') command = [...(shell?.length ? shell : ['/bin/sh', '-c']), ...rest];
  else return undefined;
  if (command.length === 0) return undefined;
  const timeoutNs = hc?.Timeout || HEALTH_DEFAULTS.timeoutNs;
  return {
    command,
    intervalMs: (hc?.Interval || HEALTH_DEFAULTS.intervalNs) / 1e6,
    timeoutMs: timeoutNs / 1e6,
    startPeriodMs: (hc?.StartPeriod || HEALTH_DEFAULTS.startPeriodNs) / 1e6,
    retries: hc?.Retries && hc.Retries > 0 ? hc.Retries : HEALTH_DEFAULTS.retries,
    timeoutText: formatGoDuration(timeoutNs),
  };
}
