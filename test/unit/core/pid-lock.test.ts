import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquirePidLock } from '../../../src/core/pid-lock.js';

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
});
