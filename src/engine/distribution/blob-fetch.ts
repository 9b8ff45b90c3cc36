// Downloading one blob (a layer or a config) from a registry into the content store, verified. Bytes are
// written as they arrive into a content-store writer, which hashes them once (one write to disk, no copy
// through a temp file of ours, no second hash); a dropped connection is resumed with an HTTP Range request from the byte
// received so far, into the same writer (a registry that ignores Range answers 200: the writer is
// aborted and the download restarts from zero); after a few failed attempts the download fails
// cleanly. Only a blob whose sha256 equals its descriptor's digest enters the content store (the store
// checks again): a registry that lies stores nothing.
import { createHash } from 'node:crypto';
import { invalidArgument, isAppError, unavailable } from '../../core/errors.js';
import type { BlobWriter, ContentStore } from '../content/content-store.js';
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

/** downloads and ingests; resolves when the blob is in the content store */
export async function fetchBlob(options: FetchBlobOptions): Promise<void> {
  const { client, descriptor, content } = options;
  const attempts = options.attempts ?? 5;
  const backoff = options.backoff ?? ((n: number) => 250 * n);
  // the content store's writer hashes the bytes once as they are written: its digest is the check below,
  // and its commit checks the same digest (and the size) again before the blob enters the store
  let writer: BlobWriter = await content.writer({ digest: descriptor.digest, size: descriptor.size });
  let lastError: unknown;
  let stored = false;
  try {
    for (let attempt = 1; attempt <= attempts && writer.size < descriptor.size; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, backoff(attempt - 1)));
      try {
        const received = writer.size;
        const headers: Record<string, string> = received > 0 ? { Range: `bytes=${received}-` } : {};
        const res = await client.request('GET', client.url(`blobs/${descriptor.digest}`), { headers });
        if (res.status === 200 && received > 0) {
          // the registry restarted the blob from its first byte
          await writer.abort();
          writer = await content.writer({ digest: descriptor.digest, size: descriptor.size });
        } else if (res.status !== 200 && res.status !== 206) {
          const body = (await readBody(res.body, 64 * 1024).catch(() => Buffer.alloc(0))).toString('utf8');
          throw registryError(res.status, body, `blob ${descriptor.digest}`, options.repo, 'pull');
        }
        for await (const chunk of res.body) {
          const buf = chunk as Buffer;
          if (writer.size + buf.length > descriptor.size) {
            res.body.destroy();
            throw invalidArgument(`registry sent more than the ${descriptor.size} bytes of blob ${descriptor.digest}: refused`);
          }
          await writer.write(buf);
          options.onProgress?.(writer.size, descriptor.size);
        }
        if (writer.size < descriptor.size) lastError = new Error(`connection closed after ${writer.size} of ${descriptor.size} bytes`);
      } catch (err) {
        if (isAppError(err) && err.code !== 'UNAVAILABLE') throw err;
        lastError = err;
      }
    }
    if (writer.size < descriptor.size) {
      throw unavailable(`download of blob ${descriptor.digest} failed after ${attempts} attempts (${writer.size} of ${descriptor.size} bytes): ${(lastError as Error)?.message ?? 'connection lost'}`, {
        cause: lastError,
        suggestions: ['check the network and pull again: layers already downloaded are kept'],
      });
    }
    options.onVerifying?.();
    const digest = writer.digest();
    if (digest !== descriptor.digest) {
      throw invalidArgument(`digest mismatch for blob ${descriptor.digest} from ${options.repo}: the registry sent bytes that hash to ${digest}; nothing was stored`, {
        suggestions: ['the registry or a proxy corrupted the data: pull again, or from another registry'],
      });
    }
    await writer.commit();
    stored = true;
  } finally {
    if (!stored) await writer.abort();
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
