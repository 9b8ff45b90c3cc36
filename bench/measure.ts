// Timing helpers for the benchmarks: run a command N times after a warm-up, report the median.
import { spawnSync } from 'node:child_process';

export interface Sample {
  label: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** times `file args` `runs` times (after `warmup` untimed runs); throws if any run fails */
/** `args` may be a function of the run number, e.g. for a fresh container id per run */
export function timeCommand(label: string, file: string, args: string[] | ((i: number) => string[]), options: { runs?: number; warmup?: number; env?: NodeJS.ProcessEnv } = {}): Sample {
  const runs = options.runs ?? 15;
  const warmup = options.warmup ?? 2;
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const argv = typeof args === 'function' ? args(i) : args;
    const t0 = process.hrtime.bigint();
    const r = spawnSync(file, argv, { env: options.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${label}: ${file} ${argv.join(' ')} exited ${r.status}: ${r.stderr?.toString().trim()}`);
    if (i >= warmup) times.push(ms);
  }
  return { label, runs, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) };
}

export function formatSample(s: Sample): string {
  return `${s.label.padEnd(58)} median ${s.medianMs.toFixed(1).padStart(7)} ms  (min ${s.minMs.toFixed(1)}, max ${s.maxMs.toFixed(1)}, n=${s.runs})`;
}

export function ratio(label: string, a: Sample, b: Sample, goal: string): string {
  return `${label.padEnd(58)} ${(a.medianMs / b.medianMs).toFixed(2)}x   goal: ${goal}`;
}
