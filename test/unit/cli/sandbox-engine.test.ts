// boxlab explain in VM mode: the VM's engine is asked through the guest's SSH stream to its socket (a
// fake guest whose streams reach a small HTTP server standing in for the VM's boxlabd), the forwarding
// socket is gone afterwards, and an engine that does not answer is named with the way to look at it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { askSandboxEngine, sandboxEngine } from '../../../src/cli/sandbox-engine.js';
import type { Guest } from '../../../src/vm/guest.js';

describe('the sandbox engine of boxlab explain', () => {
  let dir: string;
  let vmEngine: http.Server;
  const asked: string[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-sandbox-engine-'));
    vmEngine = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify([{ step: 'runc.run', objectId: 'c1', time: '', details: {}, text: { en: 'ran', zh: '运行' } }]));
    });
    await new Promise<void>((r) => vmEngine.listen(path.join(dir, 'vm-engine.sock'), r));
  });
  after(async () => {
    await new Promise((r) => vmEngine.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  /** a qemu guest: its "SSH channel" to /run/boxlab/docker.sock is a connection to the stand-in engine */
  const vmGuest = (opened: string[], target = path.join(dir, 'vm-engine.sock')) => {
    let closed = false;
    const guest = {
      name: 'qemu:boxlab',
      exec: () => Promise.reject(new Error('not used')),
      openUnixStream: async (remote: string): Promise<Duplex> => {
        opened.push(remote);
        return net.connect(target);
      },
      close: async () => void (closed = true),
      get closed() {
        return closed;
      },
    };
    return guest as Guest & { closed: boolean };
  };

  it("asks the vm's /run/boxlab/docker.sock over the guest's stream, and leaves nothing behind", async () => {
    const opened: string[] = [];
    const guest = vmGuest(opened);
    const engine = await sandboxEngine({ kind: 'vm', vm: 'boxlab', provider: 'qemu' }, async (vm) => (assert.equal(vm, 'boxlab'), guest));
    assert.equal(engine.where, 'vm "boxlab"');
    const events = await askSandboxEngine(engine, 'boxlab', (c) => c.json<{ step: string }[]>('GET', '/boxlab/trace/web'));
    assert.deepEqual(events.map((e) => e.step), ['runc.run']);
    assert.deepEqual(opened, ['/run/boxlab/docker.sock']);
    assert.equal(asked.at(-1), '/v1.41/boxlab/trace/web');
    const socket = engine.client.socketPath;
    await engine.close();
    assert.equal(existsSync(socket), false, 'the forwarding socket is removed');
    assert.equal(guest.closed, true, 'the SSH connection is closed');
  });

  it('names the vm when its engine does not answer', async () => {
    const engine = await sandboxEngine({ kind: 'vm', vm: 'boxlab', provider: 'qemu' }, async () => vmGuest([], path.join(dir, 'nobody.sock')));
    try {
      await assert.rejects(askSandboxEngine(engine, 'boxlab', (c) => c.json('GET', '/boxlab/trace/web')), (err: Error & { suggestions?: string[] }) => {
        assert.match(err.message, /^cannot reach boxlabd in vm "boxlab" \(\/run\/boxlab\/docker\.sock, over SSH\)/);
        assert.deepEqual(err.suggestions?.[0], 'check it: boxlab vm exec boxlab -- docker version');
        return true;
      });
    } finally {
      await engine.close();
    }
  });

  it('this host: the local socket, no guest opened', async () => {
    const engine = await sandboxEngine({ kind: 'local', why: 'no-vm' }, () => assert.fail('no guest for this host'), '/run/x.sock');
    assert.equal(engine.client.socketPath, '/run/x.sock');
  });
});
