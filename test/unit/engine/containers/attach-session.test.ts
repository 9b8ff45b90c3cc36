// Stage 5, attach: `docker run` attaches before the start, so output waits for the first listener,
// stdin typed before the process exists is kept for the shim (and its end, with StdinOnce), and the
// session ends with the process's exit.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attachSession } from '../../../../src/engine/containers/attach-session.js';
import type { OutputChunk } from '../../../../src/engine/containers/container-service.js';
import { LiveTable } from '../../../../src/engine/containers/live-table.js';
import { record } from './fixtures.js';

describe('attach (stage 5)', () => {
  let root: string;
  beforeEach(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-attach-'))));
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  const options = { stream: true, logs: false, stdin: true, stdout: true, stderr: false };
  const created = () => new LiveTable(root).track(record({ Id: 'a'.repeat(64), Config: { Image: 'busybox', OpenStdin: true, StdinOnce: true } }));

  it('keeps stdin and its end until the process starts (docker run -i attaches first)', async () => {
    const live = created();
    const session = await attachSession(live, options);
    session.stdin?.write(Buffer.from('hello\n'));
    await new Promise<void>((r) => session.stdin?.end(r));
    assert.deepEqual(live.pendingStdin.map(String), ['hello\n']);
    assert.equal(live.pendingStdinEnd, true);
  });

  it('delivers the streams asked for, from before the first listener, and ends with the exit', async () => {
    const live = created();
    const session = await attachSession(live, options);
    live.output.emit('chunk', { stream: 'stdout', data: Buffer.from('out') } satisfies OutputChunk);
    live.output.emit('chunk', { stream: 'stderr', data: Buffer.from('err') } satisfies OutputChunk);
    const got: string[] = [];
    session.onOutput((c) => got.push(`${c.stream}:${c.data}`));
    live.events.emit('exit', 0);
    await session.done;
    live.output.emit('chunk', { stream: 'stdout', data: Buffer.from('late') } satisfies OutputChunk);
    assert.deepEqual(got, ['stdout:out']);
  });
});
