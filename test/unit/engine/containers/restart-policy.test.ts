import assert from 'node:assert/strict';
import { decideRestart, nextDelay, policyName } from '../../../../src/engine/containers/restart-policy.js';

const facts = { exitCode: 1, manuallyStopped: false, restartCount: 0, ranMs: 50, previousDelayMs: 0 };

describe('restart policies', () => {
  it('no: never; always and unless-stopped: unless stopped by the user', () => {
    assert.deepEqual(decideRestart({ Name: 'no' }, facts), { restart: false });
    assert.deepEqual(decideRestart(undefined, facts), { restart: false });
    assert.deepEqual(decideRestart({ Name: 'always' }, { ...facts, exitCode: 0 }), { restart: true, delayMs: 100 });
    assert.deepEqual(decideRestart({ Name: 'unless-stopped' }, { ...facts, manuallyStopped: true }), { restart: false });
  });

  it('on-failure:N restarts non-zero exits N times', () => {
    const p = { Name: 'on-failure' as const, MaximumRetryCount: 3 };
    assert.deepEqual(decideRestart(p, { ...facts, exitCode: 0 }), { restart: false });
    assert.equal(decideRestart(p, { ...facts, restartCount: 2 }).restart, true);
    assert.deepEqual(decideRestart(p, { ...facts, restartCount: 3 }), { restart: false });
    assert.equal(decideRestart({ Name: 'on-failure' }, { ...facts, restartCount: 100 }).restart, true);
    assert.equal(policyName(p), 'on-failure:3');
  });

  it('backs off 100 ms, doubling, at most a minute, reset after 10 s of running', () => {
    assert.deepEqual([0, 100, 200, 400].map((d) => nextDelay(d, 50)), [100, 200, 400, 800]);
    assert.equal(nextDelay(40_000, 50), 60_000);
    assert.equal(nextDelay(60_000, 50), 60_000);
    assert.equal(nextDelay(3200, 10_000), 100);
  });
});
