import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { notFound } from '../../../src/core/errors.js';
import { dockerEnv, FORWARDED_SOCKET, FORWARDER_PID_FILE, type VmLookup } from '../../../src/vm/docker-env.js';

/** vms under a temp folder; "lab1" exists */
function fakeVms(root: string): VmLookup {
  return {
    record: async (name) => {
      if (name !== 'lab1') throw notFound(`vm "${name}" not found`);
      return { name };
    },
    records: { dir: (name) => path.join(root, name) },
    guest: async () => {
      throw new Error('docker-env does not open the guest itself: the forwarder does');
    },
  };
}

describe('docker-env service', () => {
  let root: string;
  const servers: net.Server[] = [];
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-docker-env-'));
    await fs.mkdir(path.join(root, 'lab1'));
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) s.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  /** a forwarder stand-in: listens on the vm's socket and records a pid, as `boxlab vm forward` does */
  const forwarder = (pid: number) => (name: string) => {
    const dir = path.join(root, name);
    const server = net.createServer((c) => c.end());
    servers.push(server);
    server.listen(path.join(dir, FORWARDED_SOCKET));
    void fs.writeFile(path.join(dir, FORWARDER_PID_FILE), String(pid));
  };

  it('starts the forwarder and answers with the socket it serves', async () => {
    const started: string[] = [];
    const start = forwarder(process.pid);
    const env = await dockerEnv(fakeVms(root), 'lab1', { startForwarder: (n) => (started.push(n), start(n)) });
    assert.deepEqual(env, { DOCKER_HOST: `unix://${path.join(root, 'lab1', FORWARDED_SOCKET)}` });
    assert.deepEqual(started, ['lab1']);
  });

  it('reuses a forwarder whose pid is alive, and starts another when it is not', async () => {
    await fs.writeFile(path.join(root, 'lab1', FORWARDER_PID_FILE), String(process.pid));
    let starts = 0;
    await dockerEnv(fakeVms(root), 'lab1', { startForwarder: () => void starts++ });
    assert.equal(starts, 0);
    await fs.writeFile(path.join(root, 'lab1', FORWARDER_PID_FILE), '999999999');
    await dockerEnv(fakeVms(root), 'lab1', { startForwarder: (n) => (starts++, forwarder(process.pid)(n)) });
    assert.equal(starts, 1);
  });

  it('says so when the forwarder never serves the socket, and for an unknown vm', async () => {
    await assert.rejects(dockerEnv(fakeVms(root), 'lab1', { startForwarder: () => undefined, timeoutMs: 300 }), {
      code: 'UNAVAILABLE',
      message: 'the docker socket of vm "lab1" could not be forwarded',
    });
    await assert.rejects(dockerEnv(fakeVms(root), 'nope', { startForwarder: () => assert.fail('started a forwarder for an unknown vm') }), { code: 'NOT_FOUND' });
  });
});
