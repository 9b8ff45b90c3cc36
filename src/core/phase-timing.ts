// Opt-in timing of the engine's phases (issue 19, `npm run bench`): where the milliseconds of a
// `docker run` go (the API round trips, create, mount, config.json, the shim, runc, the exit, unmount,
// removal, each process spawned). Off by default, and then each timed call is the plain call: one check
// of a constant. With BOXLAB_PHASE_TIMING=<file> in boxlabd's environment, each timed phase appends one
// JSON line to that file:
//   {"id":"<container id or ''>","phase":"start.mount","at":<ms since the engine started>,"ms":<duration>}
// bench/phases.ts reads the lines and prints the median of each phase per container start.
// The trace events (engine/trace) tell a student WHAT the kernel was asked to do; this tells the engine's
// developers HOW LONG each step took. It is a developer's tool, not a lesson: no zh/en text.
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const FILE = process.env.BOXLAB_PHASE_TIMING || undefined;

/** true when BOXLAB_PHASE_TIMING names a file: only then are phases measured */
export const phaseTimingOn = FILE !== undefined;

export interface PhaseRecord {
  /** the container the phase worked for ('' when the phase does not know) */
  id: string;
  /** a dotted name, its first part the stage: http.*, create.*, start.*, exit.*, remove.*, spawn.* */
  phase: string;
  /** when it started, ms since the engine process started */
  at: number;
  ms: number;
}

/** notes a phase that started at `t0` (performance.now()) and ends now; does nothing when timing is off */
export function notePhase(id: string, phase: string, t0: number): void {
  if (!FILE) return;
  const record: PhaseRecord = { id, phase, at: Math.round(t0 * 1000) / 1000, ms: Math.round((performance.now() - t0) * 1000) / 1000 };
  try {
    // synchronous, so lines are whole and in order; a lost line only makes the bench's table poorer
    appendFileSync(FILE, JSON.stringify(record) + '\n');
  } catch {
    // a timing file that cannot be written must never fail the engine
  }
}

/** the time now when timing is on (0 otherwise): pass it to notePhase at the phase's end */
export function phaseStart(): number {
  return FILE ? performance.now() : 0;
}

/** runs fn, noting how long it took as `phase` of `id` when timing is on; the plain call when off */
export function timed<T>(id: string, phase: string, fn: () => Promise<T>): Promise<T> {
  if (!FILE) return fn();
  const t0 = performance.now();
  return fn().finally(() => notePhase(id, phase, t0));
}
