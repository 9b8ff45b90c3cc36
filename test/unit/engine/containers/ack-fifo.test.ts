// The shim's ack fifo: a line lets a waiting shim go; with no shim reading, or no fifo, nothing happens.
import assert from 'node:assert/strict';
import { closeSync, constants, openSync, promises as fs, readSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../../src/core/exec.js';
import { ackShim } from '../../../../src/engine/containers/ack-fifo.js';

describe('the ack fifo', () => {
  let dir: string;
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-ack-'))));
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

  it('writes one line a waiting reader (the shim) gets', async () => {
    const ack = path.join(dir, 'ack');
    await run('mkfifo', [ack]);
    const reader = openSync(ack, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      ackShim(ack);
      const buf = Buffer.alloc(16);
      assert.equal(buf.toString('utf8', 0, readSync(reader, buf)), 'ok\n');
    } finally {
      closeSync(reader);
    }
  });

  it('does not wait or throw when no shim reads, or the folder is gone', async () => {
    const ack = path.join(dir, 'ack');
    await run('mkfifo', [ack]);
    ackShim(ack);
    ackShim(path.join(dir, 'gone', 'ack'));
  });
});
