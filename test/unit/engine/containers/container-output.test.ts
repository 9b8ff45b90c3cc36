import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ContainerOutput, type EntryEvent } from '../../../../src/engine/containers/container-output.js';
import type { OutputChunk } from '../../../../src/engine/containers/container-service.js';
import { parseLogFile } from '../../../../src/engine/containers/json-log.js';

describe('container output (json-file log + fan-out)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-containers-unit-out-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('logs whole lines, hands raw chunks to attached sessions at once, and counts file offsets', async () => {
    const file = path.join(dir, 'c-json.log');
    await fs.writeFile(file, '{"log":"old\\n","stream":"stdout","time":"2026-01-01T00:00:00Z"}\n');
    const before = (await fs.stat(file)).size;
    const out = new ContainerOutput(file);
    await out.open();
    const chunks: OutputChunk[] = [];
    const entries: EntryEvent[] = [];
    out.on('chunk', (c: OutputChunk) => chunks.push(c));
    out.on('entry', (e: EntryEvent) => entries.push(e));
    await out.pump('stdout', Readable.from([Buffer.from('$ '), Buffer.from('prompt\nnext'), Buffer.from(' line\nno newline at the end')]));
    await out.close();
    assert.deepEqual(chunks.map((c) => c.data.toString()), ['$ ', 'prompt\nnext', ' line\nno newline at the end']);
    const logged = parseLogFile(await fs.readFile(file, 'utf8')).map((e) => e.log);
    assert.deepEqual(logged, ['old\n', '$ prompt\n', 'next line\n', 'no newline at the end']);
    assert.equal(entries.at(-1)?.endOffset, (await fs.stat(file)).size);
    assert.ok(entries[0].endOffset > before);
  });
});
