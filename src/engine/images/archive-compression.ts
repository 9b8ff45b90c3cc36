// Compressed tarballs, as Docker's archive.DecompressStream reads them: `docker load` takes an image
// tarball plain or compressed (`docker save busybox | gzip > busybox.tar.gz` is common), and a layer
// blob may be compressed too. The format is sniffed from the first bytes (the magic numbers of gzip,
// bzip2, xz and zstd), never from a file name. gzip is inflated with node's zlib; bzip2 and xz by the
// Debian tools (`bzip2 -dc`, `xz -dc`, run with an argument array and fed through stdin). dockerd 20.10
// reads the same three formats and refuses zstd in `docker load` ("archive/tar: invalid tar header"):
// boxlab refuses it too, saying what it is and how to decompress it.
import { promises as fs, createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { execa } from 'execa';
import { invalidArgument } from '../../core/errors.js';

export const COMPRESSIONS = ['none', 'gzip', 'bzip2', 'xz', 'zstd'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/**
 * the size of the pieces a layer is read and inflated in. zlib's default (16 KiB) cuts a 25 MB layer into
 * 1,600 pieces, each a trip through the hash, the tar parser and a write: a quarter of a MiB makes it 100,
 * and halves the CPU an unpack takes (docs/adr/0021)
 */
export const STREAM_CHUNK = 256 * 1024;

/** bytes needed to tell the formats apart (xz's magic is the longest) */
export const SNIFF_BYTES = 6;

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

/** the format of a stream from its first bytes: gzip 1f 8b, bzip2 "BZh", xz fd "7zXZ" 00, zstd 28 b5 2f fd */
export function detectCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'BZh') return 'bzip2';
  if (head.length >= 6 && head.subarray(0, 6).equals(XZ_MAGIC)) return 'xz';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x28b52ffd) return 'zstd';
  return 'none';
}

export async function blobCompression(file: string): Promise<Compression> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return detectCompression(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** the plain tar inside source, whose format is compression; label names it in errors */
export function decompress(source: Readable, compression: Compression, label: string): Readable {
  if (compression === 'none') return source;
  if (compression === 'zstd') {
    source.destroy();
    throw invalidArgument(`${label} is zstd-compressed, which docker load does not read`, {
      suggestions: ['decompress it first (zstd -d <file>), or compress it with gzip, bzip2 or xz'],
    });
  }
  const failed = (err: unknown) =>
    invalidArgument(`${label} (${compression}) could not be decompressed: ${(err as Error).message}`, {
      suggestions: ['the file is truncated or corrupt: make it again (docker save <image> | gzip > image.tar.gz)'],
      cause: err,
    });
  const out = new PassThrough();
  if (compression === 'gzip') {
    const gunzip = createGunzip({ chunkSize: STREAM_CHUNK });
    source.on('error', (err) => out.destroy(err));
    gunzip.on('error', (err) => out.destroy(failed(err)));
    source.pipe(gunzip).pipe(out);
    return out;
  }
  // bzip2 and xz: the Debian tools, fed through stdin. The output ends only when the tool has exited 0,
  // so a corrupt input fails the reader instead of looking like a short tar
  source.on('error', (err) => out.destroy(err));
  const child = execa(compression, ['-d', '-c'], { input: source, buffer: { stdout: false, stderr: true }, stripFinalNewline: true });
  child.stdout.pipe(out, { end: false });
  child.then(
    () => out.end(),
    (err: { stderr?: unknown; shortMessage?: string; code?: string }) => {
      if (err.code === 'ENOENT') {
        out.destroy(
          invalidArgument(`${label} is ${compression}-compressed and ${compression} is not installed here`, {
            suggestions: [`install it (apt-get install ${compression === 'xz' ? 'xz-utils' : 'bzip2'}), or decompress the file first`],
          }),
        );
        return;
      }
      const detail = typeof err.stderr === 'string' && err.stderr.trim() !== '' ? err.stderr.trim().replace(/^[^:]*: \(stdin\): /, '') : (err.shortMessage ?? 'failed');
      out.destroy(failed(new Error(detail)));
    },
  );
  // a reader that stops early (a refused entry) must not leave the tool running
  out.on('close', () => {
    if (child.exitCode === null) child.kill();
  });
  return out;
}

/** reads the first bytes of source, then gives the stream back whole with the format they show */
export async function sniffCompression(source: Readable): Promise<{ compression: Compression; stream: Readable }> {
  const head: Buffer[] = [];
  let have = 0;
  const failure = new Promise<never>((_resolve, reject) => source.once('error', reject));
  failure.catch(() => undefined);
  while (have < SNIFF_BYTES) {
    const chunk = source.read() as Buffer | null;
    if (chunk !== null) {
      head.push(chunk);
      have += chunk.length;
      continue;
    }
    if (source.readableEnded) break;
    const ended = new Promise<boolean>((resolve) => {
      const onReadable = () => finish(false);
      const onEnd = () => finish(true);
      const finish = (end: boolean) => {
        source.off('readable', onReadable);
        source.off('end', onEnd);
        resolve(end);
      };
      source.once('readable', onReadable);
      source.once('end', onEnd);
    });
    if (await Promise.race([ended, failure])) break;
  }
  const bytes = Buffer.concat(head);
  if (bytes.length > 0) source.unshift(bytes);
  return { compression: detectCompression(bytes), stream: source };
}

/** a plain tar stream of a blob on disk, decompressing what it must */
export async function openUncompressed(file: string, label: string): Promise<Readable> {
  return decompress(createReadStream(file, { highWaterMark: STREAM_CHUNK }), await blobCompression(file), label);
}
