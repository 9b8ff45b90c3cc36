// Downloading one blob (a layer or a config) from a registry into the content store, verified. Bytes go to
// a temp file while being hashed; a dropped connection is resumed with an HTTP Range request from the
// byte already on disk (a registry that ignores Range answers 200 and the download restarts from zero);
// after a few failed attempts the download fails cleanly and the temp file is removed. Only a blob whose
// sha256 equals its descriptor's digest enters the content store: a registry that lies stores nothing.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument, isAppError, unavailable } from '../../core/errors.js';
import type { ContentStore } from '../content/content-store.js';
import type { BlobDescriptor } from './manifest-parse.js';
import { readBody, type RegistryClient } from './registry-client.js';
import { registryError } from './registry-errors.js';

export interface FetchBlobOptions {
  client: RegistryClient;
  descriptor: BlobDescriptor;
  content: ContentStore;
  tmpDir: string;
  /** familiar repository name, for error messages */
  repo: string;
  /** bytes received so far (called often; the caller throttles) */
  onProgress?: (current: number, total: number) => void;
  /** called once when all bytes are in, before the digest check ("Verifying Checksum") */
  onVerifying?: () => void;
  /** attempts in all, default 5 */
  attempts?: number;
  /** wait before attempt n (ms), default 250 * n */
  backoff?: (attempt: number) => number;
}

/** downloads and ingests; resolves when the blob is in the content store */
export async function fetchBlob(options: FetchBlobOptions): Promise<void> {
  const { client, descriptor, content } = options;
  const attempts = options.attempts ?? 5;
  const backoff = options.backoff ?? ((n: number) => 250 * n);
  await fs.mkdir(options.tmpDir, { recursive: true });
  const tmp = path.join(options.tmpDir, `blob-${randomBytes(6).toString('hex')}`);
  let hash: Hash = createHash('sha256');
  let received = 0;
  let lastError: unknown;
  const handle = await fs.open(tmp, 'w', 0o600);
  try {
    for (let attempt = 1; attempt <= attempts && received < descriptor.size; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, backoff(attempt - 1)));
      try {
        const headers: Record<string, string> = received > 0 ? { Range: `bytes=${received}-` } : {};
        const res = await client.request('GET', client.url(`blobs/${descriptor.digest}`), { headers });
        if (res.status === 200 && received > 0) {
          // the server ignored Range: start over
          hash = createHash('sha256');
          received = 0;
          await handle.truncate(0);
        } else if (res.status !== 200 && res.status !== 206) {
          const body = (await readBody(res.body, 64 * 1024).catch(() => Buffer.alloc(0))).toString('utf8');
          throw registryError(res.status, body, `blob ${descriptor.digest}`, options.repo, 'pull');
        }
        for await (const chunk of res.body) {
          const buf = chunk as Buffer;
          if (received + buf.length > descriptor.size) {
            res.body.destroy();
            throw invalidArgument(`registry sent more than the ${descriptor.size} bytes of blob ${descriptor.digest}: refused`);
          }
          await handle.write(buf, 0, buf.length, received);
          hash.update(buf);
          received += buf.length;
          options.onProgress?.(received, descriptor.size);
        }
        if (received < descriptor.size) lastError = new Error(`connection closed after ${received} of ${descriptor.size} bytes`);
      } catch (err) {
        // answers from the registry (404, 401, too many bytes) are final; network trouble is retried
        if (isAppError(err) && err.code !== 'UNAVAILABLE') throw err;
        lastError = err;
      }
    }
    if (received < descriptor.size) {
      throw unavailable(`download of blob ${descriptor.digest} failed after ${attempts} attempts (${received} of ${descriptor.size} bytes): ${(lastError as Error)?.message ?? 'connection lost'}`, {
        cause: lastError,
        suggestions: ['check the network and pull again: layers already downloaded are kept'],
      });
    }
    options.onVerifying?.();
    const digest = `sha256:${hash.digest('hex')}`;
    if (digest !== descriptor.digest) {
      throw invalidArgument(`digest mismatch for blob ${descriptor.digest} from ${options.repo}: the registry sent bytes that hash to ${digest}; nothing was stored`, {
        suggestions: ['the registry or a proxy corrupted the data: pull again, or from another registry'],
      });
    }
    await handle.close();
    // ingest hashes again: cheap insurance that what is renamed into blobs/ is what was checked
    await content.ingest(createReadStream(tmp), { digest: descriptor.digest, size: descriptor.size });
  } finally {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
  }
}

/** a small blob (config, manifest) fetched into memory, verified against its digest */
export async function fetchSmallBlob(client: RegistryClient, descriptor: BlobDescriptor, repo: string): Promise<Buffer> {
  const res = await client.request('GET', client.url(`blobs/${descriptor.digest}`));
  const body = await readBody(res.body, 8 * 1024 * 1024);
  if (res.status !== 200) throw registryError(res.status, body.toString('utf8'), `blob ${descriptor.digest}`, repo, 'pull');
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  if (digest !== descriptor.digest) {
    throw invalidArgument(`digest mismatch for blob ${descriptor.digest} from ${repo}: the registry sent bytes that hash to ${digest}; nothing was stored`);
  }
  return body;
}
