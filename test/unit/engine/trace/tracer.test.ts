import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileTracer } from '../../../../src/engine/trace/tracer.js';
import { TRACE_STEPS } from '../../../../src/engine/trace/trace-event.js';
import { traceText } from '../../../../src/engine/trace/trace-messages.js';

describe('FileTracer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-trace-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('keeps events in order on disk and tells live listeners', async () => {
    const tracer = new FileTracer((id) => path.join(dir, id, 'trace.jsonl'));
    const seen: string[] = [];
    const stop = tracer.subscribe((e) => seen.push(e.step));
    tracer.emit('c1', 'snapshot.prepare', { upperdir: '/u', lowerCount: 1 });
    tracer.emit('c1', 'runc.run', { args: ['runc', 'run', 'c1'], pid: 42 });
    stop();
    tracer.emit('c1', 'process.exit', { exitCode: 0 });
    const events = await tracer.read('c1');
    assert.deepEqual(events.map((e) => e.step), ['snapshot.prepare', 'runc.run', 'process.exit']);
    assert.deepEqual(seen, ['snapshot.prepare', 'runc.run']);
    assert.match(events[1].text.en, /runc run c1/);
    assert.match(events[1].text.zh, /pid 42/);
  });

  it('skips a line cut short by a crash', async () => {
    const file = path.join(dir, 'c2', 'trace.jsonl');
    const tracer = new FileTracer(() => file);
    tracer.emit('c2', 'cleanup', { what: 'mounts' });
    await tracer.flush();
    await fs.appendFile(file, '{"time":"2026-');
    assert.equal((await tracer.read('c2')).length, 1);
  });

  it('has an English and a Chinese text for every step', () => {
    for (const step of TRACE_STEPS) {
      const text = traceText(step, {});
      assert.ok(text.en.length > 0 && text.zh.length > 0, step);
      assert.match(text.zh, /[\u4e00-\u9fff]/, `${step} has Chinese text`);
    }
  });
});

describe('FileTracer.forget', () => {
  it('deletes the trace of a removed object and keeps later events off the disk, but live', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-trace-'));
    try {
      const tracer = new FileTracer((id) => path.join(dir, id, 'trace.jsonl'));
      const live: string[] = [];
      tracer.subscribe((e) => live.push(e.step));
      tracer.emit('gone', 'runc.run', { pid: 1 });
      await tracer.forget('gone');
      tracer.emit('gone', 'cleanup', { what: 'container removed' });
      await tracer.flush();
      assert.deepEqual(await tracer.read('gone'), []);
      await assert.rejects(fs.stat(path.join(dir, 'gone', 'trace.jsonl')));
      assert.deepEqual(live, ['runc.run', 'cleanup']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
