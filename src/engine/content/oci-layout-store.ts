// ContentStore on disk as an OCI image layout (image-spec image-layout.md). Ingest writes to
// blobs/sha256/.tmp-<random> while hashing, checks the digest and size, fsyncs and renames: a blob is either
// complete and correct, or absent. Readers never see a partial blob.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { invalidArgument, notFound } from '../../core/errors.js';
import { readJsonIfExists, writeJsonAtomic } from '../../core/atomic-file.js';
import type { BlobInfo, BlobWriter, ContentStore, Descriptor, IngestExpectation } from './content-store.js';
import { digestHex } from './digest.js';

const OCI_LAYOUT = { imageLayoutVersion: '1.0.0' };

interface OciIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

export class OciLayoutContentStore implements ContentStore {
  private readonly blobDir: string;

  constructor(readonly root: string) {
    this.blobDir = path.join(root, 'blobs', 'sha256');
  }

  /** creates the layout files if missing and removes temp files a crash left behind */
  async init(): Promise<void> {
    await fs.mkdir(this.blobDir, { recursive: true });
    if ((await readJsonIfExists(path.join(this.root, 'oci-layout'))) === undefined) {
      await writeJsonAtomic(path.join(this.root, 'oci-layout'), OCI_LAYOUT);
    }
    if ((await readJsonIfExists(path.join(this.root, 'index.json'))) === undefined) {
      await this.setIndex([]);
    }
    for (const name of await fs.readdir(this.blobDir)) {
      if (name.startsWith('.tmp-')) await fs.rm(path.join(this.blobDir, name), { force: true });
    }
  }

  blobPath(digest: string): string {
    return path.join(this.blobDir, digestHex(digest));
  }

  async ingest(source: Readable | Buffer, expected: IngestExpectation = {}): Promise<BlobInfo> {
    // nothing reads the stream until the temp file is open: an error meanwhile (a file gone, a body cut)
    // must not be an 'error' event nobody listens to, which ends the process; the read loop rethrows it
    if (!Buffer.isBuffer(source)) source.on('error', () => undefined);
    const writer = await this.writer(expected);
    try {
      const chunks: Iterable<Buffer> | AsyncIterable<Buffer> = Buffer.isBuffer(source) ? [source] : (source as AsyncIterable<Buffer>);
      for await (const chunk of chunks) await writer.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    } catch (err) {
      await writer.abort();
      throw err;
    }
    return writer.commit();
  }

  async writer(expected: IngestExpectation = {}): Promise<BlobWriter> {
    if (expected.digest !== undefined) digestHex(expected.digest);
    await fs.mkdir(this.blobDir, { recursive: true });
    const tmp = path.join(this.blobDir, `.tmp-${randomBytes(6).toString('hex')}`);
    return new TempBlobWriter(await fs.open(tmp, 'w', 0o644), tmp, expected, (digest) => this.blobPath(digest));
  }

  async has(digest: string): Promise<boolean> {
    try {
      await fs.access(this.blobPath(digest));
      return true;
    } catch {
      return false;
    }
  }

  read(digest: string): Readable {
    return createReadStream(this.blobPath(digest));
  }

  async readBytes(digest: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.blobPath(digest));
    } catch (err) {
      throw this.missing(digest, err);
    }
  }

  async info(digest: string): Promise<BlobInfo> {
    try {
      const st = await fs.stat(this.blobPath(digest));
      return { digest, size: st.size };
    } catch (err) {
      throw this.missing(digest, err);
    }
  }

  async delete(digest: string): Promise<void> {
    await fs.rm(this.blobPath(digest), { force: true });
  }

  async list(): Promise<BlobInfo[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.blobDir);
    } catch {
      return [];
    }
    const out: BlobInfo[] = [];
    for (const name of names.sort()) {
      if (!/^[a-f0-9]{64}$/.test(name)) continue;
      const st = await fs.stat(path.join(this.blobDir, name));
      out.push({ digest: `sha256:${name}`, size: st.size });
    }
    return out;
  }

  async index(): Promise<Descriptor[]> {
    const idx = await readJsonIfExists<OciIndex>(path.join(this.root, 'index.json'));
    return idx?.manifests ?? [];
  }

  async setIndex(manifests: Descriptor[]): Promise<void> {
    const idx: OciIndex = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests };
    await writeJsonAtomic(path.join(this.root, 'index.json'), idx);
  }

  private missing(digest: string, err: unknown): Error {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return notFound(`blob ${digest} not found in the content store ${this.root}`, {
        suggestions: ['load or pull the image again'],
        cause: err,
      });
    }
    return err as Error;
  }
}

/** chunks are gathered up to this many bytes and written with one writev (a download arrives in 64 KiB pieces) */
const WRITE_BATCH = 1 << 20;

/** a blob being written to blobs/sha256/.tmp-<random>: hashed once, written in batches, fsynced, renamed */
class TempBlobWriter implements BlobWriter {
  size = 0;
  private readonly hash = createHash('sha256');
  private batch: Buffer[] = [];
  private batched = 0;
  private hex?: string;
  private closed = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly tmp: string,
    private readonly expected: IngestExpectation,
    private readonly finalPath: (digest: string) => string,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    if (this.hex !== undefined) throw new Error('blob writer: write after digest()');
    this.hash.update(chunk);
    this.size += chunk.length;
    this.batch.push(chunk);
    this.batched += chunk.length;
    if (this.batched >= WRITE_BATCH) await this.flush();
  }

  digest(): string {
    this.hex ??= this.hash.digest('hex');
    return `sha256:${this.hex}`;
  }

  async commit(): Promise<BlobInfo> {
    try {
      await this.flush();
      await this.handle.sync();
    } catch (err) {
      await this.abort();
      throw err;
    }
    await this.close();
    const digest = this.digest();
    const { expected, size } = this;
    const problem =
      expected.digest !== undefined && expected.digest !== digest
        ? `digest mismatch: expected ${expected.digest}, the bytes hash to ${digest}`
        : expected.size !== undefined && expected.size !== size
          ? `size mismatch for ${digest}: expected ${expected.size} bytes, got ${size}`
          : undefined;
    if (problem) {
      await fs.rm(this.tmp, { force: true });
      throw invalidArgument(`refused blob: ${problem}`, { suggestions: ['the image data is corrupt or truncated: fetch or export it again'] });
    }
    // identical content may already be there (shared layers): keep one copy
    await fs.rename(this.tmp, this.finalPath(digest));
    return { digest, size };
  }

  async abort(): Promise<void> {
    await this.close();
    await fs.rm(this.tmp, { force: true });
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const chunks = this.batch;
    this.batch = [];
    const total = this.batched;
    this.batched = 0;
    const { bytesWritten } = await this.handle.writev(chunks);
    // a regular file takes the whole batch; should the kernel stop short, the rest is written after it
    if (bytesWritten < total) {
      const rest = Buffer.concat(chunks).subarray(bytesWritten);
      for (let at = 0; at < rest.length; ) at += (await this.handle.write(rest, at)).bytesWritten;
    }
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}
