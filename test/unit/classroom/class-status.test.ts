// The teacher's rows: where each student is, and the order that puts the stuck ones first.
import assert from 'node:assert/strict';
import type { CheckResult, ClassRecord, HintUse, Seat } from '../../../src/classroom/class-model.js';
import { classStatus, DEFAULT_DEAD_AFTER_MS, seatStatus, STUCK_IDLE_MS } from '../../../src/classroom/class-status.js';
import type { Heartbeat } from '../../../src/classroom/class-model.js';

const cls: ClassRecord = {
  name: 'c',
  labs: [
    { id: 'l1', steps: ['a', 'b'] },
    { id: 'l2', steps: ['x'] },
  ],
  seats: 10,
  createdAt: '2026-12-06T09:00:00.000Z',
};
const now = new Date('2026-12-06T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
const seat = (id: string, name: string, idleMin: number): Seat => ({ id, className: 'c', name, joinedAt: minutesAgo(60), lastSeenAt: minutesAgo(idleMin) });
let n = 0;
const check = (seatId: string, labId: string, stepIndex: number, passed: boolean, attempt: number, checksPassed = passed ? 2 : 1): CheckResult => ({
  seatId,
  labId,
  stepIndex,
  stepId: labId === 'l1' ? ['a', 'b'][stepIndex] : 'x',
  stepCount: labId === 'l1' ? 2 : 1,
  passed,
  checksPassed,
  checksTotal: 2,
  at: minutesAgo(50 - n++),
  attempt,
});

describe('class status', () => {
  it('a student who passed step a and failed b twice is on l1 step 2, working, with the last check', () => {
    const results = [check('s1', 'l1', 0, true, 1), check('s1', 'l1', 1, false, 1), check('s1', 'l1', 1, false, 2)];
    const hints: HintUse[] = [{ seatId: 's1', labId: 'l1', stepIndex: 1, stepId: 'b', shown: 2, at: results[2].at }];
    const row = seatStatus(cls, seat('s1', 'Ana', 1), results, hints, now);
    assert.deepEqual(
      { state: row.state, lab: row.labId, step: row.step, of: row.stepCount, passed: row.stepsPassed, failed: row.failedAttempts, hints: row.hintsUsed, idle: row.idleMs },
      { state: 'working', lab: 'l1', step: 2, of: 2, passed: 1, failed: 2, hints: 2, idle: 60_000 },
    );
    assert.deepEqual(row.lastCheck, { stepId: 'b', passed: false, checksPassed: 1, checksTotal: 2, at: results[2].at });
  });

  it('three failed checks of the same step, or ten idle minutes, is stuck; every lab done is finished', () => {
    const three = [check('s1', 'l1', 0, false, 1), check('s1', 'l1', 0, false, 2), check('s1', 'l1', 0, false, 3)];
    assert.equal(seatStatus(cls, seat('s1', 'A', 0), three, [], now).state, 'stuck');
    assert.equal(seatStatus(cls, seat('s2', 'B', STUCK_IDLE_MS / 60_000), [check('s2', 'l1', 0, true, 1)], [], now).state, 'stuck');
    const all = [check('s3', 'l1', 0, true, 1), check('s3', 'l1', 1, true, 1), check('s3', 'l2', 0, true, 1)];
    const done = seatStatus(cls, seat('s3', 'C', 30), all, [], now);
    assert.equal(done.state, 'finished', 'a finished student idle for 30 minutes is not stuck');
    assert.equal(done.labsFinished, 2);
    assert.equal(seatStatus(cls, seat('s4', 'D', 1), [], [], now).state, 'not-started');
  });

  it('sorts stuck first (most failures, then longest idle), then not started, working, finished', () => {
    const seats = [seat('f', 'Finished', 1), seat('w1', 'Working short', 1), seat('w2', 'Working long', 5), seat('n', 'New', 2), seat('s1', 'Stuck idle', 12), seat('s2', 'Stuck failing', 0)];
    const results = [
      check('f', 'l1', 0, true, 1),
      check('f', 'l1', 1, true, 1),
      check('f', 'l2', 0, true, 1),
      check('w1', 'l1', 0, false, 1),
      check('w2', 'l1', 0, true, 1),
      check('s1', 'l1', 0, true, 1),
      ...[1, 2, 3, 4].map((a) => check('s2', 'l1', 0, false, a)),
    ];
    assert.deepEqual(
      classStatus(cls, seats, results, [], now).map((r) => r.name),
      ['Stuck failing', 'Stuck idle', 'New', 'Working long', 'Working short', 'Finished'],
    );
  });

  it('after the teacher resets a student to step 1 the step column says 1, then counts on; the grades stay', () => {
    const results = [{ ...check('s1', 'l1', 0, true, 1), at: minutesAgo(40) }, { ...check('s1', 'l1', 1, false, 1), at: minutesAgo(35) }];
    const reset = { id: 'c1', seatId: 's1', kind: 'reset', labId: 'l1', step: 1, requestedAt: minutesAgo(30), state: 'done', doneAt: minutesAgo(29) } as const;
    const row = seatStatus(cls, seat('s1', 'Ana', 1), results, [], now, { commands: [reset] });
    assert.deepEqual({ step: row.step, passed: row.stepsPassed, failed: row.failedAttempts }, { step: 1, passed: 1, failed: 0 });
    const again = seatStatus(cls, seat('s1', 'Ana', 1), [...results, { ...check('s1', 'l1', 0, true, 2), at: minutesAgo(20) }], [], now, { commands: [reset] });
    assert.equal(again.step, 2);
    const failedReset = seatStatus(cls, seat('s1', 'Ana', 1), results, [], now, { commands: [{ ...reset, state: 'failed' }] });
    assert.equal(failedReset.step, 2, 'a reset that failed moved nothing');
  });

  it('reads only the seat\'s own results and hints', () => {
    const row = seatStatus(cls, seat('s1', 'A', 0), [check('s2', 'l1', 0, true, 1)], [{ seatId: 's2', labId: 'l1', stepIndex: 0, stepId: 'a', shown: 3, at: minutesAgo(1) }], now);
    assert.equal(row.stepsPassed, 0);
    assert.equal(row.hintsUsed, 0);
  });

  describe('a dead sandbox', () => {
    const secondsAgo = (sec: number) => new Date(now.getTime() - sec * 1000).toISOString();
    const beat = (seatId: string, sec: number, sandbox: Heartbeat['sandbox'] = 'up', downSince?: string): Heartbeat => ({ seatId, at: secondsAgo(sec), sandbox, ...(downSince ? { downSince } : {}) });
    const working = [check('s1', 'l1', 0, true, 1)];

    it('is a seat whose heartbeat is older than the threshold, dead since that heartbeat', () => {
      const row = seatStatus(cls, seat('s1', 'A', 1), working, [], now, { heartbeats: [beat('s1', 61)] });
      assert.equal(row.state, 'dead');
      assert.deepEqual(row.dead, { since: secondsAgo(61), why: 'silent' });
      assert.equal(row.heartbeatAt, secondsAgo(61));
      assert.equal(seatStatus(cls, seat('s1', 'A', 1), working, [], now, { heartbeats: [beat('s1', DEFAULT_DEAD_AFTER_MS / 1000)] }).state, 'working', 'at the threshold, still alive');
    });

    it("follows the teacher's threshold", () => {
      const life = { heartbeats: [beat('s1', 61)], deadAfterMs: 120_000 };
      assert.equal(seatStatus(cls, seat('s1', 'A', 1), working, [], now, life).state, 'working');
      assert.equal(seatStatus(cls, seat('s1', 'A', 1), working, [], now, { ...life, deadAfterMs: 5_000 }).state, 'dead');
    });

    it('is a seat whose heartbeat says the sandbox is down, since the first such heartbeat', () => {
      const row = seatStatus(cls, seat('s1', 'A', 1), working, [], now, { heartbeats: [beat('s1', 2, 'down', secondsAgo(40))] });
      assert.deepEqual({ state: row.state, dead: row.dead }, { state: 'dead', dead: { since: secondsAgo(40), why: 'sandbox-down' } });
    });

    it('is never a seat that sent no heartbeat (no agent), nor a finished one', () => {
      assert.equal(seatStatus(cls, seat('s1', 'A', 1), working, [], now, { heartbeats: [] }).state, 'working');
      const all = [check('s3', 'l1', 0, true, 1), check('s3', 'l1', 1, true, 1), check('s3', 'l2', 0, true, 1)];
      assert.equal(seatStatus(cls, seat('s3', 'C', 30), all, [], now, { heartbeats: [beat('s3', 600)] }).state, 'finished');
    });

    it('comes before stuck, the longest dead first', () => {
      const seats = [seat('s1', 'Stuck', 12), seat('d1', 'Dead lately', 1), seat('d2', 'Dead long', 1)];
      const life = { heartbeats: [beat('s1', 1), beat('d1', 70), beat('d2', 300)] };
      assert.deepEqual(classStatus(cls, seats, [], [], now, life).map((r) => [r.name, r.state]), [['Dead long', 'dead'], ['Dead lately', 'dead'], ['Stuck', 'stuck']]);
    });
  });
});
