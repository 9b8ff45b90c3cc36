// `boxlab serve` restarted keeps its address: the same port and token (a bookmarked page still opens),
// a new token only on request, another port only when the old one is taken; with --host 0.0.0.0 it
// prints the addresses others can reach; the address is the last thing it prints.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve('bin/run.js');

interface Running {
  child: ChildProcess;
  out: string;
  url: string;
}

describe('boxlab serve across restarts', function () {
  this.timeout(60_000);
  let dir: string;
  const running: Running[] = [];

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-serve-restart-'));
    mkdirSync(path.join(dir, 'labs'));
    // the page needs no engine here: a plain file where the engine wants a folder
    writeFileSync(path.join(dir, 'not-a-dir'), '');
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await stop(r);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** starts serve and resolves when it has printed its address (and the blank line after it) */
  const start = (...args: string[]): Promise<Running> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'serve', '--no-open', '--provider', 'local', '--socket', path.join(dir, 'not-a-dir', 'd.sock'), '--engine-root', path.join(dir, 'not-a-dir', 'r'), '--labs', path.join(dir, 'labs'), ...args], {
        env: { ...process.env, BOXLAB_HOME: path.join(dir, 'home') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const r: Running = { child, out: '', url: '' };
      running.push(r);
      child.stdout!.on('data', (d: Buffer) => {
        r.out += d;
        const m = /boxlab is ready: (http:\/\/\S+)\n(?:.*\n)*?\n/.exec(r.out);
        if (m && !r.url) {
          r.url = m[1];
          resolve(r);
        }
      });
      child.stderr!.on('data', (d: Buffer) => (r.out += d));
      child.once('exit', (code) => reject(new Error(`serve exited (${code}) before printing its address:\n${r.out}`)));
    });

  /** Ctrl-C, as soon as the address shows: serve must stop cleanly (exit 0), not die of the signal */
  const stop = async (r: Running) => {
    if (r.child.exitCode !== null || r.child.signalCode !== null) return;
    const exited = new Promise<[number | null, string | null]>((resolve) => r.child.once('exit', (code, signal) => resolve([code, signal])));
    r.child.kill('SIGINT');
    assert.deepEqual(await exited, [0, null], `serve did not stop cleanly on Ctrl-C:\n${r.out}`);
  };

  it('comes back at the same address; a new token only on request', async () => {
    const first = await start();
    assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{16,}$/);
    assert.match(first.out.trimEnd().split('\n').at(-1)!, /boxlab is ready: /, 'the address is printed last');
    await stop(first);
    const second = await start();
    assert.equal(second.url, first.url);
    await stop(second);
    const third = await start('--new-token');
    assert.equal(new URL(third.url).port, new URL(first.url).port);
    assert.notEqual(new URL(third.url).searchParams.get('token'), new URL(first.url).searchParams.get('token'));
    assert.match(third.out, /a new token: links with the old one no longer open the page/);
  });

  it('moves to a free port when the last one is taken, and says so', async () => {
    const first = await start();
    await stop(first);
    const port = Number(new URL(first.url).port);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const moved = await start();
      assert.notEqual(Number(new URL(moved.url).port), port);
      assert.match(moved.out, new RegExp(`port ${port} \\(used last time\\) is taken now`));
    } finally {
      squatter.close();
    }
  });

  it('on 0.0.0.0 prints the addresses other machines can reach', async () => {
    const r = await start('--host', '0.0.0.0', '--port', '0');
    const external = Object.values(os.networkInterfaces()).flatMap((l) => l ?? []).filter((i) => i.family === 'IPv4' && !i.internal).map((i) => i.address);
    const printed = [...r.out.matchAll(/from other machines: http:\/\/([\d.]+):\d+\//g)].map((m) => m[1]);
    assert.deepEqual(printed, external);
    assert.match(r.out, /anyone who can reach this address and has[\s›]+the token gets a root shell/);
  });
});
