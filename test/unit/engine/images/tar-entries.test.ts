import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { drainEntry, tarEntryConsumer } from '../../../../src/engine/images/tar-entries.js';

/** a 512-byte header promising `size` bytes of "big", then `keep` bytes and the end */
async function truncatedTar(size: number, keep: number): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  pack.entry({ name: 'big', size: keep }, Buffer.alloc(keep, 0x61));
  pack.finalize();
  await collected;
  const header = Buffer.from(Buffer.concat(chunks).subarray(0, 512));
  header.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return Buffer.concat([header, Buffer.alloc(keep, 0x61)]);
}

describe('tarEntryConsumer (entry streams whose errors nobody would hear)', () => {
  it('fails the pipeline, not the process, when the archive ends while the handler awaits before reading', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const tarball = await truncatedTar(1024 * 1024 * 1024, 6);
      const consumer = tarEntryConsumer(async (_header, stream) => {
        // what an unpacker does first: open a file, check a parent (here: a few turns of the event loop)
        await new Promise((resolve) => setTimeout(resolve, 20));
        await drainEntry(stream);
      });
      await assert.rejects(pipeline(Readable.from([tarball]), consumer), /unexpected end of data/i);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(uncaught, []);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
