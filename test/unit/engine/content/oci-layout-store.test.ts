import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { OciLayoutContentStore } from '../../../../src/engine/content/oci-layout-store.js';

const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

describe('OciLayoutContentStore', () => {
  let dir: string;
  let store: OciLayoutContentStore;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-images-content-'));
    store = new OciLayoutContentStore(dir);
    await store.init();
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('lays out oci-layout, index.json and blobs/sha256', async () => {
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(dir, 'oci-layout'), 'utf8')), { imageLayoutVersion: '1.0.0' });
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(dir, 'index.json'), 'utf8')).manifests, []);
    const info = await store.ingest(Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    assert.deepEqual(info, { digest: sha('hello world'), size: 11 });
    assert.equal(await fs.readFile(path.join(dir, 'blobs/sha256', sha('hello world').slice(7)), 'utf8'), 'hello world');
  });

  it('reads back, reports size, lists and deletes', async () => {
    const { digest } = await store.ingest(Buffer.from('abc'));
    assert.ok(await store.has(digest));
    assert.equal((await store.readBytes(digest)).toString(), 'abc');
    assert.deepEqual(await store.info(digest), { digest, size: 3 });
    const chunks: Buffer[] = [];
    for await (const c of store.read(digest)) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'abc');
    assert.deepEqual(await store.list(), [{ digest, size: 3 }]);
    await store.delete(digest);
    assert.equal(await store.has(digest), false);
    await assert.rejects(store.info(digest), (err: Error & { code?: string }) => err.code === 'NOT_FOUND' && err.message.includes(digest));
  });

  it('stores content shared by two images once', async () => {
    await store.ingest(Buffer.from('layer'));
    await store.ingest(Buffer.from('layer'), { digest: sha('layer') });
    assert.equal((await store.list()).length, 1);
  });

  it('refuses bytes that do not match the expected digest or size, and keeps nothing', async () => {
    await assert.rejects(store.ingest(Buffer.from('evil'), { digest: sha('good') }), /digest mismatch: expected sha256:/);
    await assert.rejects(store.ingest(Buffer.from('good'), { size: 99 }), /size mismatch/);
    assert.deepEqual(await store.list(), []);
    assert.deepEqual(await fs.readdir(path.join(dir, 'blobs/sha256')), []);
  });

  it('takes a blob chunk by chunk through a writer, hashed once, and keeps it only on a verified commit', async () => {
    const writer = await store.writer({ digest: sha('hello world'), size: 11 });
    await writer.write(Buffer.from('hello '));
    await writer.write(Buffer.from('world'));
    assert.equal(writer.size, 11);
    assert.equal(writer.digest(), sha('hello world'));
    assert.deepEqual(await store.list(), []);
    assert.deepEqual(await writer.commit(), { digest: sha('hello world'), size: 11 });
    assert.equal(await fs.readFile(store.blobPath(sha('hello world')), 'utf8'), 'hello world');

    const bigger = Buffer.alloc(3 * 1024 * 1024 + 5, 7); // more than one batch of writes
    const many = await store.writer({ digest: `sha256:${createHash('sha256').update(bigger).digest('hex')}` });
    for (let at = 0; at < bigger.length; at += 65536) await many.write(bigger.subarray(at, at + 65536));
    const info = await many.commit();
    assert.ok((await store.readBytes(info.digest)).equals(bigger));
  });

  it('refuses a writer whose bytes do not match, and an aborted one, keeping no temp file', async () => {
    const evil = await store.writer({ digest: sha('good') });
    await evil.write(Buffer.from('evil'));
    await assert.rejects(evil.commit(), /digest mismatch: expected sha256:/);
    const cut = await store.writer({ digest: sha('good') });
    await cut.write(Buffer.from('go'));
    await cut.abort();
    assert.deepEqual(await fs.readdir(path.join(dir, 'blobs/sha256')), []);
  });

  it('refuses digests it does not understand', async () => {
    assert.throws(() => store.blobPath('sha512:abc'), /invalid digest "sha512:abc"/);
    assert.throws(() => store.blobPath('sha256:../../etc/passwd'), /invalid digest/);
  });

  it('writes index.json atomically with the descriptors given', async () => {
    const desc = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha('m'), size: 1, annotations: { 'org.opencontainers.image.ref.name': 'busybox:latest' } };
    await store.setIndex([desc]);
    assert.deepEqual(await store.index(), [desc]);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['blobs', 'index.json', 'oci-layout']);
  });

  it('removes temp files a crash left behind on init', async () => {
    await fs.writeFile(path.join(dir, 'blobs/sha256/.tmp-123456'), 'half');
    await store.init();
    assert.deepEqual(await fs.readdir(path.join(dir, 'blobs/sha256')), []);
  });
});
