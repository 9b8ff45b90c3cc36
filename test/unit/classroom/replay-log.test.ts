// The replay log on a real SQLite file: a seat's moments and its checks merged in time order, the cap
// that drops the oldest first and says so, another seat's replay apart; and the watch frames a malformed
// peer cannot turn into anything but a refusal.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClassStore } from '../../../src/classroom/class-store.js';
import { ReplayLog } from '../../../src/classroom/replay-log.js';
import { decodeSeatDown, decodeSeatUp, decodeWatcherUp } from '../../../src/classroom/watch-protocol.js';

describe('replay log (SQLite) and watch frames', () => {
  let dir: string;
  let store: ClassStore;
  let seats: string[];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-replay-'));
    store = new ClassStore(path.join(dir, 'classroom.db'));
    const { code } = store.create('c', [{ id: 'l1', steps: ['a'] }], 3);
    seats = ['Ana', 'Bo'].map((n) => store.join(code.code, n).seat.id);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('merges a seat\'s terminal and its checks in time order, and keeps seats apart', () => {
    const log = new ReplayLog(store.sqlite());
    log.record(seats[0], [
      { at: '2026-12-07T01:00:00.000Z', frame: { t: 'open', session: 's1', cols: 80, rows: 24 } },
      { at: '2026-12-07T01:00:01.000Z', frame: { t: 'data', session: 's1', d: 'one' } },
      { at: '2026-12-07T01:00:03.000Z', frame: { t: 'data', session: 's1', d: 'two' } },
    ]);
    store.recordCheck(seats[0], 'r1', { labId: 'l1', stepIndex: 0, stepId: 'a', stepCount: 1, passed: true, checksPassed: 1, checksTotal: 1, at: '2026-12-07T01:00:02.000Z' });
    const r = log.replay(seats[0], store.results('c', seats[0]));
    assert.deepEqual(r.events.map((e) => (e.t === 'data' ? e.d : e.t)), ['open', 'one', 'check', 'two']);
    assert.equal(r.dropped, undefined);
    assert.deepEqual(log.replay(seats[1], store.results('c', seats[1])).events, []);
  });

  it('drops the oldest past the cap and says how much', () => {
    const log = new ReplayLog(store.sqlite(), 1000);
    for (let i = 0; i < 10; i++) log.record(seats[0], [{ at: `2026-12-07T01:00:0${i}.000Z`, frame: { t: 'data', session: 's1', d: String(i).repeat(200) } }]);
    const r = log.replay(seats[0], []);
    const size = r.events.reduce((n, e) => n + JSON.stringify({ ...e, at: undefined }).length, 0);
    assert.ok(size <= 1000, `${size} characters kept`);
    assert.equal((r.events.at(-1) as { d?: string } | undefined)?.d?.[0], '9', 'the newest stays');
    assert.ok(r.dropped && r.dropped.chars > 0 && r.dropped.until < '2026-12-07T01:00:09.000Z');
  });

  it('refuses malformed frames with a reason', () => {
    assert.equal(decodeSeatUp('not json').ok, false);
    assert.equal(decodeSeatUp(JSON.stringify({ t: 'data', session: '../x', d: 'a' })).ok, false);
    assert.equal(decodeSeatUp(JSON.stringify({ t: 'open', session: 's', cols: 0, rows: 24 })).ok, false);
    assert.deepEqual(decodeSeatUp(JSON.stringify({ t: 'sessions', n: 2 })), { ok: true, frame: { t: 'sessions', n: 2 } });
    assert.equal(decodeWatcherUp(JSON.stringify({ t: 'input', d: 'x'.repeat(5000) })).ok, false);
    assert.equal(decodeWatcherUp(JSON.stringify({ t: 'watch-start' })).ok, false, 'a watcher cannot start a seat');
    assert.deepEqual(decodeSeatDown(JSON.stringify({ t: 'watch-start', record: 'yes' })), { ok: true, frame: { t: 'watch-start', record: false } });
  });
});
