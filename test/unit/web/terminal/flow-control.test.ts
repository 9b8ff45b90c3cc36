import assert from 'node:assert/strict';
import { FlowControl } from '../../../../src/web/terminal/flow-control.js';

describe('FlowControl', () => {
  const limits = { highWater: 100, lowWater: 20 };

  it('pauses once more than the high-water mark is unacknowledged, and only once', () => {
    const f = new FlowControl(limits);
    assert.equal(f.sent(60), 'none');
    assert.equal(f.sent(41), 'pause');
    assert.equal(f.paused, true);
    assert.equal(f.sent(50), 'none');
    assert.equal(f.inFlight, 151);
  });

  it('resumes only under the low-water mark (hysteresis, no flapping)', () => {
    const f = new FlowControl(limits);
    f.sent(150);
    assert.equal(f.acked(100), 'none'); // 50 in flight: below high, above low
    assert.equal(f.paused, true);
    assert.equal(f.acked(31), 'resume'); // 19
    assert.equal(f.paused, false);
    assert.equal(f.acked(1000), 'none');
    assert.equal(f.inFlight, 0);
  });

  it('also pauses on the socket buffer alone, for clients that never acknowledge', () => {
    const f = new FlowControl(limits);
    f.acked(0);
    assert.equal(f.sent(10, 500), 'pause');
    f.acked(10);
    assert.equal(f.drained(50), 'none');
    assert.equal(f.drained(0), 'resume');
  });

  it('forgets what was in flight when a new socket takes over', () => {
    const f = new FlowControl(limits);
    f.sent(500, 500);
    assert.equal(f.reset(), 'resume');
    assert.equal(f.inFlight, 0);
  });

  it('refuses limits that cannot work', () => {
    assert.throws(() => new FlowControl({ highWater: 10, lowWater: 10 }), /lowWater < highWater/);
  });
});
