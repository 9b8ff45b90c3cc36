import assert from 'node:assert/strict';
import { EVENT_BUFFER_SIZE, EventHub, eventsInWindow, type DockerEvent } from '../../../../src/engine/api/docker-events.js';

const at = (seconds: number, action: string): DockerEvent => ({
  Type: 'container',
  Action: action,
  Actor: { ID: 'c1', Attributes: {} },
  scope: 'local',
  time: Math.floor(seconds),
  timeNano: seconds * 1e9,
});

describe('docker events --since/--until (the kept past)', () => {
  it("takes dockerd's window: since <= time <= until, to the nanosecond; until 0 has no end", () => {
    const events = [at(100, 'create'), at(100.5, 'start'), at(200, 'die')];
    assert.deepEqual(eventsInWindow(events, 100.5).map((e) => e.Action), ['start', 'die']);
    assert.deepEqual(eventsInWindow(events, 0, 100.5).map((e) => e.Action), ['create', 'start']);
    assert.deepEqual(eventsInWindow(events, 100.25, 199).map((e) => e.Action), ['start']);
    assert.deepEqual(eventsInWindow(events, 201), []);
  });

  it('keeps the last 256 events, oldest first, with the names the hub learnt', () => {
    const hub = new EventHub();
    hub.publish('container', 'create', 'c0', { name: 'first' });
    for (let i = 1; i <= EVENT_BUFFER_SIZE + 9; i++) hub.publish('container', 'start', `c${i}`);
    const past = hub.past(0);
    assert.equal(past.length, EVENT_BUFFER_SIZE);
    assert.equal(past[0].Actor.ID, 'c10');
    assert.equal(past.at(-1)?.Actor.ID, `c${EVENT_BUFFER_SIZE + 9}`);
    assert.deepEqual(hub.past(Date.now() / 1000 + 60), []);
  });
});
