// Guessing join codes is slow: ten wrong ones from an address within the window, then 429 until it passes.
import assert from 'node:assert/strict';
import { JoinThrottle } from '../../../src/classroom/join-throttle.js';

describe('join throttle', () => {
  it('blocks an address after the limit until the first failure leaves the window; others are not affected', () => {
    const t = new JoinThrottle(3, 1000);
    for (const at of [0, 100, 200]) t.fail('a', at);
    assert.equal(t.blockedFor('a', 300), 700);
    assert.equal(t.blockedFor('b', 300), 0);
    assert.equal(t.blockedFor('a', 1000), 0, 'the first failure has left the window');
  });
});
