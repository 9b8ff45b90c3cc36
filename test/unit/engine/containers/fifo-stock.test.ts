// The fifos of a create from a stock: one real mkfifo makes a container's four and seven more
// containers' worth, the next creates rename theirs (no process); a failed mkfifo gives the same error
// as without a stock, for the container's four alone.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../../src/core/exec.js';
import type { ProcessRunner } from '../../../../src/engine/containers/container-deps.js';
import { FIFO_STOCK_EXTRA, FifoStock, mkfifoArgs } from '../../../../src/engine/containers/fifo-stock.js';

describe('the fifo stock (fifo-stock.ts)', () => {
  let root: string;
  let started: string[][];
  /** the real mkfifo, each call kept */
  const mkfifo: ProcessRunner = (file, args, options) => (started.push([file, ...args]), run(file, args, options));
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-fifos-'));
    started = [];
  });
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  const fourOf = async (name: string) => {
    const dir = path.join(root, 'containers', name);
    await fs.mkdir(dir, { recursive: true });
    return ['stdin', 'stdout', 'stderr', 'ack'].map((f) => path.join(dir, f));
  };
  const isFifo600 = async (file: string) => {
    const st = await fs.stat(file);
    return st.isFIFO() && (st.mode & 0o777) === 0o600;
  };

  it('one mkfifo for eight containers: the first makes its four and the stock, the next seven rename', async () => {
    const stock = new FifoStock(path.join(root, 'tmp', 'fifos'), mkfifo);
    for (let i = 0; i < 8; i++) {
      const four = await fourOf(`c${i}`);
      await stock.make(four);
      for (const f of four) assert.ok(await isFifo600(f), `${f} is a fifo, mode 600`);
    }
    assert.equal(started.length, 1);
    assert.equal(started[0].length, 1 + 2 + 4 + FIFO_STOCK_EXTRA); // mkfifo -m 600, four, the stock
    assert.equal(stock.size, 0);
    assert.deepEqual(await fs.readdir(stock.dir), []);
    // the ninth makes the next stock
    await stock.make(await fourOf('c8'));
    assert.equal(started.length, 2);
    assert.equal(stock.size, FIFO_STOCK_EXTRA);
  });

  it('two creates at once never take the same fifo', async () => {
    const stock = new FifoStock(path.join(root, 'tmp', 'fifos'), mkfifo);
    await stock.make(await fourOf('first'));
    const [a, b] = await Promise.all([fourOf('a'), fourOf('b')]);
    await Promise.all([stock.make(a), stock.make(b)]);
    for (const f of [...a, ...b]) assert.ok(await isFifo600(f));
    assert.equal(stock.size, FIFO_STOCK_EXTRA - 8);
  });

  it('a stock emptied under it (tmp/ removed) falls back to mkfifo for the container alone', async () => {
    const stock = new FifoStock(path.join(root, 'tmp', 'fifos'), mkfifo);
    await stock.make(await fourOf('first'));
    await fs.rm(path.join(root, 'tmp'), { recursive: true });
    const four = await fourOf('second');
    await stock.make(four);
    for (const f of four) assert.ok(await isFifo600(f));
    assert.deepEqual(started.at(-1), ['mkfifo', ...mkfifoArgs(four)]);
  });

  it('a failed mkfifo: the container\'s four alone are asked again, and that error is the create\'s', async () => {
    const four = await fourOf('c');
    await fs.writeFile(four[1], 'in the way');
    const stock = new FifoStock(path.join(root, 'tmp', 'fifos'), mkfifo);
    await assert.rejects(stock.make(four), /mkfifo -m 600 \S+\/stdin \S+\/stdout \S+\/stderr \S+\/ack failed: .*File exists/);
    assert.equal(stock.size, 0);
    assert.deepEqual(await fs.readdir(stock.dir), [], 'the stock made by the failed call is gone');
    assert.equal(await fs.readFile(four[1], 'utf8'), 'in the way', 'what was there stays');
    assert.deepEqual(started.at(-1), ['mkfifo', ...mkfifoArgs(four)]);
  });
});
