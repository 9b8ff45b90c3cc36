import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tar from 'tar-stream';
import { sha256Digest } from '../../../../src/engine/content/digest.js';
import { LayerStore, layersRoot } from '../../../../src/engine/images/layer-store.js';

/** a one-file layer tar owned by whoever runs the test (so no chown needs root) */
async function oneFileTar(name: string, data: string): Promise<Buffer> {
  const pack = tar.pack();
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  pack.entry({ name, mode: 0o644, uid, gid, mtime: new Date('2020-02-02T00:00:00Z') }, data);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('LayerStore (the unpacked layers, one folder per chain id)', () => {
  let work: string;
  let store: LayerStore;
  let blobPath: string;
  let diffId: string;

  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-layer-store-'));
    store = new LayerStore(layersRoot(path.join(work, 'images')));
    await store.init();
    const bytes = await oneFileTar('hello.txt', 'hi\n');
    blobPath = path.join(work, 'blob');
    await fs.writeFile(blobPath, bytes);
    diffId = sha256Digest(bytes);
  });
  afterEach(() => fs.rm(work, { recursive: true, force: true }));

  it('keeps its layers under images/layers/<chain id hex>/fs', () => {
    assert.equal(store.fsDir(`sha256:${'c'.repeat(64)}`), path.join(work, 'images/layers', 'c'.repeat(64), 'fs'));
  });

  it('unpacks a layer once: the second time it is reused, and the callback for an unpack is not called', async () => {
    const layer = { chainId: diffId, diffId, digest: diffId, blobPath, label: 'test layer' };
    let unpacks = 0;
    const first = await store.ensureUnpacked(layer, () => unpacks++);
    assert.deepEqual({ created: first.created, size: first.size, unpacks }, { created: true, size: 3, unpacks: 1 });
    assert.equal(await fs.readFile(path.join(first.fsDir, 'hello.txt'), 'utf8'), 'hi\n');
    assert.equal(await store.has(diffId, diffId), true);
    const again = await store.ensureUnpacked(layer, () => unpacks++);
    assert.deepEqual({ created: again.created, size: again.size, unpacks, fsDir: again.fsDir }, { created: false, size: 3, unpacks: 1, fsDir: first.fsDir });
    const facts = JSON.parse(await fs.readFile(path.join(work, 'images/layers', diffId.slice(7), 'layer.json'), 'utf8'));
    assert.deepEqual(facts, { chainId: diffId, digest: diffId, diffId, size: 3 });
  });

  it('does not take a folder with another diff_id for the layer', async () => {
    await store.ensureUnpacked({ chainId: diffId, diffId, digest: diffId, blobPath, label: 'test layer' });
    assert.equal(await store.has(diffId, `sha256:${'d'.repeat(64)}`), false);
  });

  it('refuses a blob whose content does not hash to the diff_id, and leaves nothing', async () => {
    const wrong = `sha256:${'e'.repeat(64)}`;
    await assert.rejects(store.ensureUnpacked({ chainId: wrong, diffId: wrong, digest: wrong, blobPath, label: 'test layer' }), /hashes to .* but the image config says/);
    assert.deepEqual(await fs.readdir(store.root), []);
  });

  it('removes a layer folder', async () => {
    await store.ensureUnpacked({ chainId: diffId, diffId, digest: diffId, blobPath, label: 'test layer' });
    await store.remove(diffId);
    assert.equal(await store.has(diffId, diffId), false);
    assert.deepEqual(await fs.readdir(store.root), []);
  });
});
