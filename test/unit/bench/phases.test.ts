// The bench's phase table (bench/phases.ts): lines the engine noted (src/core/phase-timing.ts) split per
// run and summed per phase, on recorded lines.
import assert from 'node:assert/strict';
import { phaseRows, splitRuns } from '../../../bench/phases.js';
import type { PhaseRecord } from '../../../src/core/phase-timing.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const line = (id: string, phase: string, at: number, ms: number): PhaseRecord => ({ id, phase, at, ms });

describe('bench phase table', () => {
  it('keeps a container\'s late line (its wait round trip) with its own run', () => {
    const slices = [
      [line('', 'http.POST /containers/create', 0, 10), line(A, 'start', 12, 40), line('', 'spawn.mount', 13, 5)],
      // run 1's wait ended as the CLI exited: its line is read after run 2
      [line(A, 'http.POST /containers/:id/wait', 11, 60), line('', 'http.POST /containers/create', 100, 8), line(B, 'start', 110, 30)],
    ];
    const runs = splitRuns(slices);
    assert.deepEqual(runs[0].map((r) => r.phase), ['http.POST /containers/create', 'start', 'spawn.mount', 'http.POST /containers/:id/wait']);
    assert.deepEqual(runs[1].map((r) => r.phase), ['http.POST /containers/create', 'start']);
  });

  it('gives each phase its median total per run, how many times it ran, and orders by start', () => {
    const runs = [
      [line(A, 'start', 10, 40), line('', 'spawn.umount', 50, 3), line('', 'spawn.umount', 55, 5), line('', 'http.HEAD /_ping', 0, 1)],
      [line(B, 'start', 210, 50), line('', 'spawn.umount', 250, 4), line('', 'spawn.umount', 260, 4), line('', 'http.HEAD /_ping', 200, 1)],
      [line(A, 'start', 410, 60), line('', 'spawn.umount', 450, 6), line('', 'spawn.umount', 460, 6), line('', 'http.HEAD /_ping', 400, 1)],
    ];
    assert.deepEqual(phaseRows(runs), [
      { phase: 'http.HEAD /_ping', count: 1, medianMs: 1, offsetMs: 0 },
      { phase: 'start', count: 1, medianMs: 50, offsetMs: 10 },
      { phase: 'spawn.umount', count: 2, medianMs: 8, offsetMs: 50 },
    ]);
  });
});
