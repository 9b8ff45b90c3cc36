// Downloading one blob (a layer or a config) from a registry into the content store, verified. Bytes are
// hashed as they arrive and streamed straight into the content store's ingest (one write to disk, no
// copy through a temp file); a dropped connection is resumed with an HTTP Range request from the byte
// received so far, into the same ingest (a registry that ignores Range answers 200: the ingest is
// abandoned and the download restarts from zero); after a few failed attempts the download fails
// cleanly. Only a blob whose sha256 equals its descriptor's digest enters the content store (the store
// checks again): a registry that lies stores nothing.
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import { PassThrough } from 'node:stream';
import { invalidArgument, isAppError, unavailable } from '../../core/errors.js';
import type { ContentStore } from '../content/content-store.js';
import type { BlobDescriptor } from './manifest-parse.js';
import { readBody, type RegistryClient } from './registry-client.js';
import { registryError } from './registry-errors.js';

export interface FetchBlobOptions {
  client: RegistryClient;
  descriptor: BlobDescriptor;
  content: ContentStore;
  /** kept for callers; blobs no longer pass through a temp file of ours */
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

/** one content-store ingest fed chunk by chunk; abandon() makes the store drop what it got */
class IngestFeed {
  private readonly sink = new PassThrough({ highWaterMark: 1 << 20 });
  readonly done: Promise<unknown>;
  constructor(content: ContentStore, descriptor: BlobDescriptor) {
    // the error reaches the store through its read loop; this keeps it from also being an uncaught event
    this.sink.on('error', () => undefined);
    this.done = content.ingest(this.sink, { digest: descriptor.digest, size: descriptor.size });
    this.done.catch(() => undefined); // awaited in finish() or abandon()
  }
  async write(buf: Buffer): Promise<void> {
    if (!this.sink.write(buf)) await once(this.sink, 'drain');
  }
  async finish(): Promise<void> {
    this.sink.end();
    await this.done;
  }
  async abandon(reason: string): Promise<void> {
    this.sink.destroy(new Error(reason));
    await this.done.catch(() => undefined);
  }
}

/** downloads and ingests; resolves when the blob is in the content store */
export async function fetchBlob(options: FetchBlobOptions): Promise<void> {
  const { client, descriptor, content } = options;
  const attempts = options.attempts ?? 5;
  const backoff = options.backoff ?? ((n: number) => 250 * n);
  await fs.mkdir(options.tmpDir, { recursive: true });
  let hash: Hash = createHash('sha256');
  let received = 0;
  let lastError: unknown;
  let feed = new IngestFeed(content, descriptor);
  let stored = false;
  try {
    for (let attempt = 1; attempt <= attempts && received < descriptor.size; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, backoff(attempt - 1)));
      try {
        const headers: Record<string, string> = received > 0 ? { Range: `bytes=${received}-` } : {};
        const res = await client.request('GET', client.url(`blobs/${descriptor.digest}`), { headers });
        if (res.status === 200 && received > 0) {
          await feed.abandon('the registry restarted the blob from its first byte');
          feed = new IngestFeed(content, descriptor);
          hash = createHash('sha256');
          received = 0;
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
          hash.update(buf);
          received += buf.length;
          await feed.write(buf);
          options.onProgress?.(received, descriptor.size);
        }
        if (received < descriptor.size) lastError = new Error(`connection closed after ${received} of ${descriptor.size} bytes`);
      } catch (err) {
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
    await feed.finish();
    stored = true;
  } finally {
    if (!stored) await feed.abandon('download failed');
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
