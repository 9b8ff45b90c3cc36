import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquirePidLock, waitForPidLock } from '../../../src/core/pid-lock.js';

describe('pid lock', () => {
  let dir: string;
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-api-lock-'))));
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

  it('writes our pid and removes the file on release', async () => {
    const file = path.join(dir, 'engine.lock');
    const lock = await acquirePidLock(file, 'boxlabd');
    assert.equal((await fs.readFile(file, 'utf8')).trim(), String(process.pid));
    await lock.release();
    await assert.rejects(fs.stat(file));
  });

  it('refuses when a live process holds it, naming the pid', async () => {
    const file = path.join(dir, 'engine.lock');
    await fs.writeFile(file, '4242\n');
    await assert.rejects(acquirePidLock(file, 'boxlabd', (pid) => pid === 4242), /another boxlabd \(pid 4242\) holds the lock/);
    assert.equal((await fs.readFile(file, 'utf8')).trim(), '4242');
  });

  it('takes over the lock of a dead process', async () => {
    const file = path.join(dir, 'engine.lock');
    await fs.writeFile(file, '4243\n');
    const lock = await acquirePidLock(file, 'boxlabd', () => false);
    assert.equal(lock.tookOverFrom, 4243);
    assert.equal((await fs.readFile(file, 'utf8')).trim(), String(process.pid));
    await lock.release();
  });

  it('waits while a live process holds it, says who once, and takes it when that process lets go', async () => {
    const file = path.join(dir, 'build.lock');
    await fs.writeFile(file, '4244\n');
    const told: number[] = [];
    // the holder lets go when we are told we wait: the file goes
    const lock = await waitForPidLock(file, { pollMs: 5, alive: (pid) => pid === 4244, onWait: (pid) => { told.push(pid); void fs.rm(file); } });
    assert.deepEqual(told, [4244]);
    assert.equal((await fs.readFile(file, 'utf8')).trim(), String(process.pid));
    await lock.release();
    await assert.rejects(fs.stat(file));
  });

  it('lets one caller of this process hold it at a time; the others take it in turn', async () => {
    const file = path.join(dir, 'build.lock');
    let inside = 0;
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map(async (n) => {
      const lock = await waitForPidLock(file);
      inside++;
      assert.equal(inside, 1, `caller ${n} holds it with another`);
      await fs.readFile(file, 'utf8');
      order.push(n);
      inside--;
      await lock.release();
    }));
    assert.deepEqual(order, [1, 2, 3, 4]);
    await assert.rejects(fs.stat(file));
  });
});
