import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { enginePaths } from '../../../src/core/paths.js';
import { cleanCrashLeftovers, traceFileFor } from '../../../src/engine/engine-services.js';

describe('engine composition root', () => {
  let root: string;
  beforeEach(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-api-engine-'))));
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  it('puts an image\'s trace next to its record and a container\'s in its folder', () => {
    const file = traceFileFor(enginePaths('/r'));
    assert.equal(file('sha256:' + 'a'.repeat(64)), `/r/images/${'a'.repeat(64)}.trace.jsonl`);
    assert.equal(file('b'.repeat(64)), `/r/containers/${'b'.repeat(64)}/trace.jsonl`);
    // an anonymous volume's name looks like a container id: its trace lives in the volume's folder
    assert.equal(file('volume:' + 'b'.repeat(64)), `/r/volumes/${'b'.repeat(64)}/trace.jsonl`);
  });

  it('after a crash, empties tmp/ and removes half-written records but keeps complete ones', async () => {
    const paths = enginePaths(root);
    const id = 'c'.repeat(64);
    await fs.mkdir(path.join(paths.tmp, 'upload-1'), { recursive: true });
    await fs.writeFile(path.join(paths.tmp, 'upload-1', 'layer.tar'), 'x');
    await fs.mkdir(path.join(paths.containers, id), { recursive: true });
    await fs.writeFile(path.join(paths.containers, id, 'container.json'), '{}');
    await fs.writeFile(path.join(paths.containers, id, 'container.json.tmp-0123abcd'), '{"half');
    await fs.mkdir(paths.images, { recursive: true });
    await fs.writeFile(path.join(paths.images, 'x.json.tmp-deadbeef'), '');

    const removed = await cleanCrashLeftovers(paths);
    assert.deepEqual(removed.sort(), [path.join(paths.containers, id, 'container.json.tmp-0123abcd'), path.join(paths.images, 'x.json.tmp-deadbeef')].sort());
    assert.deepEqual(await fs.readdir(paths.tmp), []);
    assert.equal(await fs.readFile(path.join(paths.containers, id, 'container.json'), 'utf8'), '{}');
  });
});
