// Where a container start's milliseconds go (issue 19): boxlabd started with BOXLAB_PHASE_TIMING=<file>
// (src/core/phase-timing.ts) notes each phase of each container (the API round trips, create, mount,
// config.json, shim, runc, exit, unmount, removal, every process spawned); this runs a docker command N
// times, one at a time, splits the file's lines per run and prints the median of each phase per run, in
// the order the phases start. Phases nest (start holds start.mount, ...; spawn.* lines sit inside the phase
// that spawned them), so the column does not add up: the wall time of the whole command is on top.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { PhaseRecord } from '../src/core/phase-timing.js';
import { median, type Sample } from './measure.js';

export interface PhaseRow {
  phase: string;
  /** how many times it happened in a run (median) */
  count: number;
  /** its total time in a run (median over the runs) */
  medianMs: number;
  /** when it started, ms after the run's first phase (median): the table's order */
  offsetMs: number;
}

export interface PhaseBench {
  wall: Sample;
  rows: PhaseRow[];
}

/** the records of one run: those of its containers, and those without a container that fell in it. Pure. */
export function splitRuns(slices: PhaseRecord[][]): PhaseRecord[][] {
  // a container's late lines (its wait round trip ends as the CLI exits) may land in the next slice
  const home = new Map<string, number>();
  slices.forEach((slice, i) => slice.forEach((r) => r.id && !home.has(r.id) && home.set(r.id, i)));
  const runs: PhaseRecord[][] = slices.map(() => []);
  slices.forEach((slice, i) => slice.forEach((r) => runs[r.id ? (home.get(r.id) ?? i) : i].push(r)));
  return runs;
}

/** one row per phase: median total per run, median count, median start offset. Pure. */
export function phaseRows(runs: PhaseRecord[][]): PhaseRow[] {
  const phases = new Set(runs.flatMap((run) => run.map((r) => r.phase)));
  const rows: PhaseRow[] = [];
  for (const phase of phases) {
    const totals: number[] = [];
    const counts: number[] = [];
    const offsets: number[] = [];
    for (const run of runs) {
      const start = Math.min(...run.map((r) => r.at));
      const mine = run.filter((r) => r.phase === phase);
      totals.push(mine.reduce((sum, r) => sum + r.ms, 0));
      counts.push(mine.length);
      if (mine.length) offsets.push(Math.min(...mine.map((r) => r.at)) - start);
    }
    rows.push({ phase, count: median(counts), medianMs: median(totals), offsetMs: offsets.length ? median(offsets) : 0 });
  }
  return rows.sort((a, b) => a.offsetMs - b.offsetMs || b.medianMs - a.medianMs);
}

/** runs `file args` `runs` times (after 2 untimed), each run's phase lines read from timingFile after it */
export async function benchPhases(label: string, file: string, args: string[], options: { timingFile: string; runs: number; env: NodeJS.ProcessEnv }): Promise<PhaseBench> {
  const slices: PhaseRecord[][] = [];
  const times: number[] = [];
  let offset = 0;
  const readNew = async (): Promise<PhaseRecord[]> => {
    const text = await fs.readFile(options.timingFile, 'utf8').catch(() => '');
    const fresh = text.slice(offset);
    offset = text.length;
    return fresh.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as PhaseRecord);
  };
  for (let i = 0; i < options.runs + 2; i++) {
    const t0 = performance.now();
    const r = spawnSync(file, args, { env: options.env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${label}: ${file} ${args.join(' ')} exited ${r.status}: ${r.stderr?.toString().trim()}`);
    const lines = await readNew();
    if (i >= 2) {
      times.push(ms);
      slices.push(lines);
    }
  }
  const wall: Sample = { label, runs: times.length, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) };
  return { wall, rows: phaseRows(splitRuns(slices).filter((run) => run.length > 0)) };
}

export function formatPhases(bench: PhaseBench): string[] {
  const lines = [`  ${'phase (median per run; nested phases are inside their parent)'.padEnd(56)} ${'ms'.padStart(7)}  count  starts at`];
  for (const row of bench.rows) {
    const depth = row.phase.startsWith('spawn.') ? 2 : row.phase.includes('.') && !row.phase.startsWith('http.') ? 1 : 0;
    lines.push(`  ${(' '.repeat(depth * 2) + row.phase).padEnd(56)} ${row.medianMs.toFixed(1).padStart(7)}  ${String(row.count).padStart(5)}  +${row.offsetMs.toFixed(0)} ms`);
  }
  return lines;
}
