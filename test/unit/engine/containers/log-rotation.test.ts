import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContainerOutput, type EntryEvent } from '../../../../src/engine/containers/container-output.js';
import { alreadyRead, readLogFiles } from '../../../../src/engine/containers/log-reader.js';

const line = (i: number) => `line ${String(i).padStart(5, '0')} ${'x'.repeat(80)}\n`;

describe('log rotation (json-file max-size/max-file)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-containers-unit-rot-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('keeps at most max-file files, none past max-size by more than one record, newest lines in order', async () => {
    const file = path.join(dir, 'c-json.log');
    const out = new ContainerOutput(file, { driver: 'json-file', maxSize: 10_000, maxFile: 3 });
    await out.open();
    for (let i = 0; i < 2000; i++) out.write('stdout', Buffer.from(line(i)));
    await out.close();
    const names = (await fs.readdir(dir)).sort();
    assert.deepEqual(names, ['c-json.log', 'c-json.log.1', 'c-json.log.2']);
    for (const name of names) assert.ok((await fs.stat(path.join(dir, name))).size < 10_000 + 200, name);
    const { entries } = await readLogFiles(file, 3);
    const numbers = entries.map((e) => Number(e.log.split(' ')[1]));
    assert.equal(numbers.at(-1), 1999);
    assert.deepEqual(numbers, numbers.map((_, i) => numbers[0] + i), 'consecutive lines, oldest first');
    assert.ok(numbers[0] > 1500, 'the oldest lines were dropped');
  });

  it('max-file 1 starts the one file again', async () => {
    const file = path.join(dir, 'c-json.log');
    const out = new ContainerOutput(file, { driver: 'json-file', maxSize: 1000, maxFile: 1 });
    await out.open();
    for (let i = 0; i < 50; i++) out.write('stdout', Buffer.from(line(i)));
    await out.close();
    assert.deepEqual(await fs.readdir(dir), ['c-json.log']);
    assert.ok((await fs.stat(file)).size < 1200);
  });

  it('a follower that read the files mid-stream sees every later line once, across rotations', async () => {
    const file = path.join(dir, 'c-json.log');
    const out = new ContainerOutput(file, { driver: 'json-file', maxSize: 2000, maxFile: 2 });
    await out.open();
    const events: EntryEvent[] = [];
    out.on('entry', (e: EntryEvent) => events.push(e));
    for (let i = 0; i < 30; i++) out.write('stdout', Buffer.from(line(i)));
    const snapshot = await readLogFiles(file, 2, out);
    for (let i = 30; i < 100; i++) out.write('stdout', Buffer.from(line(i)));
    await out.close();
    const seen = [...snapshot.entries.map((e) => e.log), ...events.filter((e) => !alreadyRead(snapshot, e)).map((e) => e.entry.log)];
    const numbers = seen.map((l) => Number(l.split(' ')[1]));
    assert.equal(numbers.at(-1), 99);
    assert.deepEqual(numbers, numbers.map((_, i) => numbers[0] + i), 'no line twice, none missing');
  });

  it('writes nothing with --log-driver none, yet hands output to attached sessions', async () => {
    const file = path.join(dir, 'c-json.log');
    const out = new ContainerOutput(file, { driver: 'none', maxSize: 0, maxFile: 0 });
    await out.open();
    const chunks: string[] = [];
    out.on('chunk', (c: { data: Buffer }) => chunks.push(c.data.toString()));
    out.write('stdout', Buffer.from('hello\n'));
    await out.close();
    assert.deepEqual(chunks, ['hello\n']);
    assert.deepEqual(await fs.readdir(dir), []);
  });
});
