// SshProvider and SshGuest against a real OpenSSH server on 127.0.0.1: the provider contract, then
// what only ssh2 gives: streaming, a pty shell with resize, sftp copies both ways, timeouts.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SshGuest } from '../../../src/vm/providers/ssh/ssh-guest.js';
import { forwardUnixSocket } from '../../../src/vm/socket-forward.js';
import { SshProvider } from '../../../src/vm/providers/ssh/ssh-provider.js';
import { requires } from '../../helpers/requires.js';
import { waitFor } from '../../helpers/wait-for.js';
import { vmProviderContract } from '../../unit/vm/vm-provider-contract.js';
import { startLocalSshd, type LocalSshd } from './local-sshd.js';

describe('ssh provider (local sshd)', function () {
  let sshd: LocalSshd | undefined;
  const target = { host: '127.0.0.1', port: 0, user: 'root', identity: '' };
  before(async function () {
    requires(this, 'root', 'sshd');
    sshd = await startLocalSshd();
    Object.assign(target, { port: sshd.port, identity: sshd.identity });
  });
  after(async () => sshd?.stop());

  vmProviderContract({ provider: 'ssh', name: 'boxlab-vm-ssh1', make: () => new SshProvider(), spec: { cpus: 1, memoryMiB: 512, ssh: target } });

  describe('SshGuest', () => {
    let g: SshGuest;
    let tmp: string;
    before(async function () {
      if (!sshd) return this.skip();
      g = await SshGuest.connect('ssh:test', { host: '127.0.0.1', port: sshd.port, user: 'root', privateKey: await fs.readFile(sshd.identity) });
      tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-sftp-'));
    });
    after(async () => {
      await g?.close();
      if (tmp) await fs.rm(tmp, { recursive: true, force: true });
    });

    it('streams output as it comes, over one connection', async () => {
      const chunks: string[] = [];
      const t0 = Date.now();
      let firstAt = 0;
      const code = await g.execStream(['sh', '-c', 'echo one; sleep 0.5; echo two; exit 3'], {
        stdout: (b) => { if (!firstAt) firstAt = Date.now() - t0; chunks.push(b.toString()); },
        stderr: () => undefined,
      });
      assert.equal(code, 3);
      assert.equal(chunks.join(''), 'one\ntwo\n');
      assert.ok(firstAt < Date.now() - t0 - 300, 'the first line arrived before the command ended');
    });

    it('kills a command at its timeout with exit 124', async () => {
      const t0 = Date.now();
      assert.equal((await g.exec(['sleep', '30'], { timeoutMs: 300 })).exitCode, 124);
      assert.ok(Date.now() - t0 < 5000);
    });

    it('opens a pty shell that sees its window size and resizes', async () => {
      const sh = await g.openShell({ cols: 100, rows: 30, term: 'xterm' });
      let out = '';
      sh.onData((d) => (out += d.toString()));
      const exited = new Promise<number>((r) => sh.onExit(r));
      sh.write('stty size; echo TERM=$TERM; tty\n');
      await waitFor('the shell to print its size and its tty', () => /30 100/.test(out) && /\/dev\/pts\//.test(out));
      sh.resize(120, 40);
      // the window-change request travels to the remote pty on its own: ask until the shell sees the new size
      await waitFor(
        'the shell to see 40 rows by 120 columns',
        () => {
          if (!/40 120/.test(out)) sh.write('stty size\n');
          return /40 120/.test(out);
        },
        { intervalMs: 200 },
      );
      sh.write('exit 5\n');
      assert.equal(await exited, 5);
      assert.match(out, /40 120/);
      assert.match(out, /TERM=xterm/);
    });

    it('forwards a unix socket of the host it reaches to a local socket (docker-env)', async () => {
      const remote = path.join(tmp, 'remote.sock');
      const echo = net.createServer((c) => c.pipe(c));
      await new Promise<void>((r) => echo.listen(remote, r));
      const local = path.join(tmp, 'local.sock');
      const server = await forwardUnixSocket(g, remote, local);
      try {
        const reply = await new Promise<string>((resolve, reject) => {
          const c = net.connect(local, () => c.write('ping through ssh'));
          c.once('data', (d) => {
            resolve(d.toString());
            c.destroy();
          });
          c.once('error', reject);
        });
        assert.equal(reply, 'ping through ssh');
        assert.equal((await fs.stat(local)).mode & 0o777, 0o600);
      } finally {
        server.close();
        echo.close();
      }
    });

    it('a forwarded connection half-closed by the client still gets its answer (docker run shuts its write side)', async () => {
      const remote = path.join(tmp, 'late.sock');
      // answers only once the client has finished sending, as boxlabd answers an attach after stdin ends
      const late = net.createServer({ allowHalfOpen: true }, (c) => {
        let got = '';
        c.on('data', (d) => (got += d.toString()));
        c.on('end', () => c.end(`got ${got}`));
      });
      await new Promise<void>((r) => late.listen(remote, r));
      const local = path.join(tmp, 'late-local.sock');
      const server = await forwardUnixSocket(g, remote, local);
      try {
        const reply = await new Promise<string>((resolve, reject) => {
          let out = '';
          const c = net.connect({ path: local, allowHalfOpen: true }, () => c.end('request'));
          c.on('data', (d) => (out += d.toString()));
          c.once('end', () => resolve(out));
          c.once('error', reject);
        });
        assert.equal(reply, 'got request');
      } finally {
        server.close();
        late.close();
      }
    });

    it('copies a folder in and out with sftp, keeping modes', async () => {
      const src = path.join(tmp, 'app');
      await fs.mkdir(path.join(src, 'sub'), { recursive: true });
      await fs.writeFile(path.join(src, 'run.sh'), '#!/bin/sh\necho ran\n', { mode: 0o755 });
      await fs.writeFile(path.join(src, 'sub', 'data.txt'), 'x'.repeat(100_000));
      const remote = path.join(tmp, 'remote-app');
      await g.copyTo(src, remote);
      assert.equal((await g.exec([path.join(remote, 'run.sh')])).stdout, 'ran\n');
      const back = path.join(tmp, 'back');
      await g.copyFrom(remote, back);
      assert.equal((await fs.readFile(path.join(back, 'sub', 'data.txt'), 'utf8')).length, 100_000);
      assert.equal((await fs.stat(path.join(back, 'run.sh'))).mode & 0o777, 0o755);
    });
  });
});
