import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { OciLayoutContentStore } from '../../../../src/engine/content/oci-layout-store.js';
import { fetchBlob } from '../../../../src/engine/distribution/blob-fetch.js';
import type { RegistryClient } from '../../../../src/engine/distribution/registry-client.js';

const BLOB = Buffer.from('x'.repeat(3000) + 'y'.repeat(3000));
const DIGEST = `sha256:${createHash('sha256').update(BLOB).digest('hex')}`;

/** a registry double: each answer is [status, bytes, then the connection drops?] */
function fakeClient(answers: Array<{ status: number; body: Buffer; drop?: boolean }>, seen: Array<string | undefined>): RegistryClient {
  return {
    url: (rest: string) => new URL(`http://registry.test/v2/me/app/${rest}`),
    request: async (_method: string, _url: URL, options: { headers?: Record<string, string> } = {}) => {
      seen.push(options.headers?.Range);
      const a = answers.shift()!;
      const body = a.drop
        ? new Readable({
            read() {
              this.push(a.body);
              this.destroy(new Error('socket hang up'));
            },
          })
        : Readable.from([a.body]);
      return { status: a.status, headers: {}, body };
    },
  } as unknown as RegistryClient;
}

describe('fetchBlob', () => {
  let dir: string;
  let content: OciLayoutContentStore;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-distribution-fetch-'));
    content = new OciLayoutContentStore(path.join(dir, 'content'));
    await content.init();
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const fetch = (client: RegistryClient) =>
    fetchBlob({ client, descriptor: { digest: DIGEST, size: BLOB.length, mediaType: 'application/octet-stream' }, content, tmpDir: path.join(dir, 'tmp'), repo: 'me/app', backoff: () => 0 });

  it('resumes with a Range request after a drop and stores the whole blob once', async () => {
    const seen: Array<string | undefined> = [];
    await fetch(fakeClient([{ status: 200, body: BLOB.subarray(0, 2000), drop: true }, { status: 206, body: BLOB.subarray(2000) }], seen));
    assert.deepEqual(seen, [undefined, 'bytes=2000-']);
    assert.ok((await content.readBytes(DIGEST)).equals(BLOB));
  });

  it('starts over when the registry ignores Range and sends the blob from its first byte', async () => {
    const seen: Array<string | undefined> = [];
    await fetch(fakeClient([{ status: 200, body: BLOB.subarray(0, 2000), drop: true }, { status: 200, body: BLOB }], seen));
    assert.deepEqual(seen, [undefined, 'bytes=2000-']);
    assert.ok((await content.readBytes(DIGEST)).equals(BLOB));
    assert.deepEqual((await content.list()).map((b) => b.digest), [DIGEST]);
  });

  it('refuses bytes that do not hash to the digest and stores nothing, not even a temp file', async () => {
    const lie = Buffer.from(BLOB);
    lie[10] = 0x41;
    await assert.rejects(fetch(fakeClient([{ status: 200, body: lie }], [])), /digest mismatch for blob sha256:[0-9a-f]{64} from me\/app: .*nothing was stored/);
    assert.equal(await content.has(DIGEST), false);
    assert.deepEqual(await content.list(), []);
    assert.deepEqual((await fs.readdir(path.join(dir, 'content/blobs/sha256')).catch(() => [])).filter((n) => n.startsWith('.tmp')), []);
  });

  it('gives up after the attempts, naming how far it got', async () => {
    const drops = Array.from({ length: 5 }, () => ({ status: 200, body: Buffer.alloc(0), drop: true }));
    await assert.rejects(fetch(fakeClient(drops, [])), /download of blob sha256:[0-9a-f]{64} failed after 5 attempts \(0 of 6000 bytes\)/);
    assert.deepEqual(await content.list(), []);
  });
});
