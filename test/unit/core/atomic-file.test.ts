import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readJsonIfExists, removeStaleTemps, writeJsonAtomic } from '../../../src/core/atomic-file.js';

describe('atomic files', () => {
  let dir: string;
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-atomic-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('writes JSON through a temporary file and leaves only the target', async () => {
    await writeJsonAtomic(path.join(dir, 'a.json'), { x: 1 });
    assert.deepEqual(await fs.readdir(dir), ['a.json']);
    assert.deepEqual(await readJsonIfExists(path.join(dir, 'a.json')), { x: 1 });
    assert.equal(await readJsonIfExists(path.join(dir, 'missing.json')), undefined);
  });

  it('removes the temporary files a crash left (random or pid suffixes), and nothing else', async () => {
    for (const name of ['a.json', 'a.json.tmp-0a1b2c3d', 'hosts.tmp-4242', 'notes.tmp', 'b.json']) await fs.writeFile(path.join(dir, name), '');
    const removed = await removeStaleTemps(dir);
    assert.deepEqual(removed.sort(), ['a.json.tmp-0a1b2c3d', 'hosts.tmp-4242']);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['a.json', 'b.json', 'notes.tmp']);
  });
});
