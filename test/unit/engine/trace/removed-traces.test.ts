// A removed container's story is kept for a while: moved at removal, found by name, id or prefix (the
// newest of a name first), later events (the clean-up) follow it, and only the last N, at most M minutes
// old, are kept. A real folder, a clock the test moves.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entriesToKeep, findRemoved, RemovedTraces } from '../../../../src/engine/trace/removed-traces.js';
import { FileTracer } from '../../../../src/engine/trace/tracer.js';

const ID1 = 'a1'.repeat(32);
const ID2 = 'b2'.repeat(32);

describe('removed containers keep their story for a while', () => {
  let dir: string;
  let clock: number;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-removed-trace-'));
    clock = Date.parse('2026-12-06T10:00:00Z');
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const tracerWith = (removed: RemovedTraces) => new FileTracer((id) => path.join(dir, 'containers', id, 'trace.jsonl'), removed);

  it('after docker rm: the trace moves, the clean-up joins it, explain finds it by name and prefix, also after a restart', async () => {
    const removed = new RemovedTraces(path.join(dir, 'traces', 'removed'), () => clock);
    const tracer = tracerWith(removed);
    tracer.emit(ID1, 'runc.run', { args: ['runc', 'run', ID1], pid: 7 });
    await tracer.forget(ID1, { name: 'web' });
    await fs.rm(path.join(dir, 'containers', ID1), { recursive: true }); // the container's folder goes
    tracer.emit(ID1, 'cleanup', { what: 'container web removed', removed: true });
    assert.deepEqual((await tracer.read(ID1)).map((e) => e.step), ['runc.run', 'cleanup']);
    assert.equal((await tracer.findRemoved('web'))?.id, ID1);
    assert.equal((await tracer.findRemoved('a1a1a1'))?.id, ID1);
    assert.equal(await tracer.findRemoved('nosuch'), undefined);

    const afterRestart = tracerWith(new RemovedTraces(path.join(dir, 'traces', 'removed'), () => clock));
    assert.equal((await afterRestart.findRemoved('web'))?.id, ID1);
    assert.deepEqual((await afterRestart.read(ID1)).map((e) => e.step), ['runc.run', 'cleanup']);
  });

  it('without keep (a volume), or without a store, forget deletes as before', async () => {
    const tracer = tracerWith(new RemovedTraces(path.join(dir, 'traces', 'removed'), () => clock));
    tracer.emit('volume:v', 'volume.create', { name: 'v' });
    await tracer.forget('volume:v');
    assert.deepEqual(await tracer.read('volume:v'), []);
    const bare = new FileTracer((id) => path.join(dir, 'bare', id, 'trace.jsonl'));
    bare.emit(ID2, 'runc.run', {});
    await bare.forget(ID2, { name: 'x' });
    assert.deepEqual(await bare.read(ID2), []);
  });

  it('keeps the last 20 removed containers, none older than an hour; a name taken again finds the newest', async () => {
    const removed = new RemovedTraces(path.join(dir, 'traces', 'removed'), () => clock);
    const tracer = tracerWith(removed);
    for (let i = 0; i < 22; i++) {
      const id = i.toString(16).padStart(64, '0');
      tracer.emit(id, 'runc.run', {});
      await tracer.forget(id, { name: i % 2 ? 'odd' : `c${i}` });
      clock += 1000;
    }
    const kept = await removed.list();
    assert.equal(kept.length, 20);
    assert.equal(await fs.stat(removed.fileOf('0'.padStart(64, '0'))).then(() => true, () => false), false, 'the oldest file is gone');
    assert.equal(await tracer.findRemoved('c0'), undefined);
    assert.equal((await tracer.findRemoved('odd'))?.id, (21).toString(16).padStart(64, '0'));
    clock += 61 * 60_000;
    assert.deepEqual(await removed.list(), [], 'an hour later nothing is kept');
    assert.deepEqual((await fs.readdir(removed.dir)).sort(), ['index.json']);
  });

  it('the bounds and the lookup are pure', () => {
    const at = (m: number) => new Date(Date.parse('2026-12-06T10:00:00Z') + m * 60_000).toISOString();
    const entries = [
      { id: 'aaa1', name: 'web', removedAt: at(0) },
      { id: 'bbb2', name: 'web', removedAt: at(5) },
      { id: 'ccc3', name: 'db', removedAt: at(10) },
    ];
    assert.deepEqual(entriesToKeep(entries, Date.parse(at(62)), 2, 60 * 60_000).map((e) => e.id), ['ccc3', 'bbb2']);
    assert.deepEqual(entriesToKeep(entries, Date.parse(at(66)), 20, 60 * 60_000).map((e) => e.id), ['ccc3']);
    assert.equal(findRemoved(entries, 'web')?.id, 'bbb2');
    assert.equal(findRemoved(entries, '/db')?.id, 'ccc3');
    assert.equal(findRemoved(entries, 'aaa')?.id, 'aaa1');
    assert.equal(findRemoved(entries, 'a'), undefined, 'a prefix needs 3 characters');
  });
});
