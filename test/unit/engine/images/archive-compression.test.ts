import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { decompress, detectCompression, sniffCompression } from '../../../../src/engine/images/archive-compression.js';

describe('archive compression (what docker load reads)', () => {
  const heads: Array<[string, number[], string]> = [
    ['gzip', [0x1f, 0x8b, 0x08, 0x00], 'gzip'],
    ['bzip2', [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41], 'bzip2'],
    ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz'],
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x00], 'zstd'],
    ['a tar (a file name first)', [...Buffer.from('manifest.json')], 'none'],
    ['xz magic cut short', [0xfd, 0x37, 0x7a], 'none'],
    ['nothing', [], 'none'],
  ];
  for (const [what, bytes, expected] of heads) {
    it(`sniffs ${what} as ${expected}`, () => assert.equal(detectCompression(Buffer.from(bytes)), expected));
  }

  it('gives the stream back whole after sniffing, even when it comes one byte at a time', async () => {
    const data = gzipSync(Buffer.from('hello'));
    const { compression, stream } = await sniffCompression(Readable.from([...data].map((b) => Buffer.from([b]))));
    assert.equal(compression, 'gzip');
    const chunks: Buffer[] = [];
    for await (const c of decompress(stream, compression, 'x')) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'hello');
  });
  it('sniffs an empty stream as plain', async () => {
    assert.equal((await sniffCompression(Readable.from([]))).compression, 'none');
  });
  it('refuses zstd by name, with the way out', () => {
    assert.throws(() => decompress(Readable.from([Buffer.from([0x28, 0xb5, 0x2f, 0xfd])]), 'zstd', 'image tarball'), /image tarball is zstd-compressed.*\n?/);
  });
  it('names the format when a gzip stream is cut', async () => {
    const cut = gzipSync(Buffer.alloc(10_000, 1)).subarray(0, 20);
    const out = decompress(Readable.from([cut]), 'gzip', 'image tarball');
    await assert.rejects(async () => {
      for await (const _ of out) {
        /* read */
      }
    }, /image tarball \(gzip\) could not be decompressed: unexpected end of file/);
  });
});
