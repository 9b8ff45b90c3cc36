// State.Health as dockerd's handleProbeResult moves it: streaks, retries, the start period, the log of
// the last 5 results, the probe output cut at 4096 bytes, and what docker ps shows and filters on.
// Cases follow what Debian's dockerd 20.10 showed for the same probes (see the integration test).
import assert from 'node:assert/strict';
import {
  applyProbeResult,
  healthFilterValue,
  healthSuffix,
  MAX_OUTPUT_BYTES,
  ProbeOutput,
  startingHealth,
  type HealthcheckResult,
  type HealthState,
} from '../../../../src/engine/containers/health-state.js';

const STARTED = '2026-12-06T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(STARTED) + seconds * 1000).toISOString();
const result = (second: number, ExitCode: number, Output = ''): HealthcheckResult => ({ Start: at(second), End: at(second + 0.1), ExitCode, Output });
const ctx = { retries: 3, startPeriodMs: 0, startedAt: STARTED };

/** the statuses after each exit code, probes one second apart from the start */
function run(codes: number[], options: Partial<typeof ctx> = {}): HealthState[] {
  let h = startingHealth(undefined);
  return codes.map((code, i) => (h = applyProbeResult(h, result(i + 1, code), { ...ctx, ...options })));
}
const statuses = (hs: HealthState[]) => hs.map((h) => `${h.Status}/${h.FailingStreak}`);

describe('container health (State.Health)', () => {
  const cases: Array<{ name: string; codes: number[]; options?: Partial<typeof ctx>; expect: string[] }> = [
    { name: 'one success makes it healthy', codes: [0], expect: ['healthy/0'] },
    { name: 'failures count up and reach unhealthy at retries (default 3)', codes: [1, 1, 1, 1], expect: ['starting/1', 'starting/2', 'unhealthy/3', 'unhealthy/4'] },
    { name: '--health-retries 2: unhealthy at the second failure (dockerd showed FailingStreak 3 a second later)', codes: [1, 1, 1], options: { retries: 2 }, expect: ['starting/1', 'unhealthy/2', 'unhealthy/3'] },
    { name: 'a success clears the streak and heals an unhealthy container', codes: [1, 1, 1, 0], expect: ['starting/1', 'starting/2', 'unhealthy/3', 'healthy/0'] },
    { name: 'a healthy container stays healthy until retries failures in a row', codes: [0, 1, 1, 0, 1, 1, 1], expect: ['healthy/0', 'healthy/1', 'healthy/2', 'healthy/0', 'healthy/1', 'healthy/2', 'unhealthy/3'] },
    { name: 'any non-zero code fails, -1 (a timeout) and 127 included', codes: [-1, 127, 2], expect: ['starting/1', 'starting/2', 'unhealthy/3'] },
    { name: 'inside the start period a failure is not counted while starting', codes: [1, 1, 1, 1, 1, 1], options: { retries: 1, startPeriodMs: 3500 }, expect: ['starting/0', 'starting/0', 'starting/0', 'unhealthy/1', 'unhealthy/2', 'unhealthy/3'] },
    { name: 'once healthy, the start period no longer shields failures', codes: [0, 1], options: { retries: 1, startPeriodMs: 60_000 }, expect: ['healthy/0', 'unhealthy/1'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(statuses(run(c.codes, c.options)), c.expect));
  }

  it('keeps the last 5 results, oldest first', () => {
    const last = run([1, 2, 3, 4, 5, 6, 7]).at(-1)!;
    assert.deepEqual(last.Log.map((r) => r.ExitCode), [3, 4, 5, 6, 7]);
  });

  it('a start sets it back to starting with no streak, and keeps the log (as dockerd after docker restart)', () => {
    const before = run([1, 1, 1, 1, 1]).at(-1)!;
    const again = startingHealth(before);
    assert.equal(again.Status, 'starting');
    assert.equal(again.FailingStreak, 0);
    assert.equal(again.Log.length, 5);
    assert.deepEqual(startingHealth(undefined), { Status: 'starting', FailingStreak: 0, Log: [] });
  });

  it('does not change the state it is given', () => {
    const h = startingHealth(undefined);
    applyProbeResult(h, result(1, 1), ctx);
    assert.deepEqual(h, { Status: 'starting', FailingStreak: 0, Log: [] });
  });

  it('keeps 4096 bytes of a probe output, then "..." (dockerd kept 4100 characters of `yes | head -c 5000`)', () => {
    const out = new ProbeOutput();
    out.write(Buffer.from('y\n'.repeat(1000)));
    out.write(Buffer.from('y\n'.repeat(1500)));
    const text = out.text();
    assert.equal(text.length, MAX_OUTPUT_BYTES + 3);
    assert.ok(text.endsWith('y\ny\n...'));
    const short = new ProbeOutput();
    short.write(Buffer.from('hi\n'));
    assert.equal(short.text(), 'hi\n');
    const exact = new ProbeOutput();
    exact.write(Buffer.alloc(MAX_OUTPUT_BYTES, 'x'));
    assert.equal(exact.text().length, MAX_OUTPUT_BYTES, 'no "..." when nothing was dropped');
  });

  it('docker ps: the Status suffix and the health= filter value', () => {
    assert.equal(healthSuffix(undefined), '');
    assert.equal(healthSuffix(startingHealth(undefined)), ' (health: starting)');
    assert.equal(healthSuffix({ Status: 'healthy', FailingStreak: 0, Log: [] }), ' (healthy)');
    assert.equal(healthSuffix({ Status: 'unhealthy', FailingStreak: 3, Log: [] }), ' (unhealthy)');
    assert.equal(healthFilterValue(undefined), 'none');
    assert.equal(healthFilterValue({ Status: 'unhealthy', FailingStreak: 3, Log: [] }), 'unhealthy');
  });
});
