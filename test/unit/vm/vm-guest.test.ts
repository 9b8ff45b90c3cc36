// VmGuest: connects on first use, shares one connection while busy, releases it when idle (so a lab
// command ends), reconnects after, and does not cache a failed connect.
import assert from 'node:assert/strict';
import type { Guest, GuestShell } from '../../../src/vm/guest.js';
import { VmGuest } from '../../../src/vm/vm-guest.js';
import { guestForProvider } from '../../../src/vm/sandbox-guest.js';

function fakeConnection(log: string[]): Guest {
  let exitListener: ((c: number) => void) | undefined;
  const shell: GuestShell = {
    write: () => undefined,
    onData: () => undefined,
    onExit: (l) => (exitListener = l),
    resize: () => undefined,
    close: () => exitListener?.(0),
  };
  return {
    name: 'fake',
    async exec(cmd) {
      log.push(`exec ${JSON.stringify(cmd)}`);
      return { exitCode: 0, stdout: 'out', stderr: '' };
    },
    async openShell() {
      log.push('shell');
      return shell;
    },
    async close() {
      log.push('close');
    },
  };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('VmGuest', () => {
  it('connects once for concurrent use, releases the connection when idle and reconnects on next use', async () => {
    const log: string[] = [];
    let connects = 0;
    const g = new VmGuest('boxlab', 'qemu', async () => (connects++, fakeConnection(log)), { idleMs: 20 });
    assert.equal(g.name, 'qemu:boxlab');
    const [a, b] = await Promise.all([g.exec(['true']), g.exec({ script: 'x' })]);
    assert.equal(a.stdout, 'out');
    assert.equal(b.exitCode, 0);
    assert.equal(connects, 1);
    await tick(60);
    assert.deepEqual(log.slice(-1), ['close']);
    await g.exec(['again']);
    assert.equal(connects, 2);
    await g.close();
  });

  it('keeps the connection while a shell is open', async () => {
    const log: string[] = [];
    const g = new VmGuest('boxlab', 'qemu', async () => fakeConnection(log), { idleMs: 10 });
    const shell = await g.openShell();
    await tick(40);
    assert.ok(!log.includes('close'));
    shell.close();
    await tick(40);
    assert.ok(log.includes('close'));
  });

  it('tries again after a failed connect', async () => {
    let n = 0;
    const g = new VmGuest('boxlab', 'qemu', async () => {
      if (n++ === 0) throw new Error('vm not running');
      return fakeConnection([]);
    }, { idleMs: 5 });
    await assert.rejects(g.exec(['true']), /vm not running/);
    assert.equal((await g.exec(['true'])).stdout, 'out');
    await g.close();
  });
});

describe('guestForProvider', () => {
  it('gives a vm guest for qemu, named after the vm, without connecting yet', () => {
    assert.equal(guestForProvider('qemu', null, 'lab1').name, 'qemu:lab1');
    assert.equal(guestForProvider('local', null).name, 'local');
    assert.throws(() => guestForProvider('vbox', null), /unknown provider "vbox"/);
  });
});
