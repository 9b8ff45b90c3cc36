// The swarm and plugin routes over a real socket with fake services: status and message as Debian's
// dockerd 20.10 answered the same requests outside a swarm (recorded with curl on its socket).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiServer } from '../../../../../src/engine/api/api-server.js';
import { dockerApiRouter } from '../../../../../src/engine/api/docker-api.js';
import { NOT_A_SWARM_MANAGER } from '../../../../../src/engine/api/routes/swarm-routes.js';
import { request } from '../api-client.js';
import { fakeServices } from '../fake-services.js';

const CASES: Array<{ method: string; path: string; status: number; message?: string; body?: unknown }> = [
  { method: 'GET', path: '/swarm', status: 503, message: NOT_A_SWARM_MANAGER },
  { method: 'POST', path: '/swarm/leave', status: 503, message: 'This node is not part of a swarm' },
  { method: 'POST', path: '/swarm/update', status: 400, message: `invalid swarm version '': strconv.ParseUint: parsing "": invalid syntax` },
  { method: 'POST', path: '/swarm/update?version=1', status: 503, message: NOT_A_SWARM_MANAGER },
  { method: 'GET', path: '/swarm/unlockkey', status: 503, message: NOT_A_SWARM_MANAGER },
  { method: 'GET', path: '/services', status: 503, message: NOT_A_SWARM_MANAGER },
  { method: 'POST', path: '/services/create', status: 503, message: NOT_A_SWARM_MANAGER },
  { method: 'DELETE', path: '/services/web', status: 503, message: NOT_A_SWARM_MANAGER },
  { method: 'POST', path: '/services/web/update', status: 400, message: `invalid service version '': strconv.ParseUint: parsing "": invalid syntax` },
  { method: 'GET', path: '/services/web/logs', status: 500, message: 'Bad parameters: you must choose at least one stream' },
  { method: 'GET', path: '/services/web/logs?stdout=1', status: 503, message: NOT_A_SWARM_MANAGER },
  { method: 'GET', path: '/nodes', status: 503, message: NOT_A_SWARM_MANAGER },
  { method: 'POST', path: '/nodes/n1/update?version=x', status: 400, message: `invalid node version 'x': strconv.ParseUint: parsing "x": invalid syntax` },
  { method: 'GET', path: '/tasks/t1', status: 503, message: NOT_A_SWARM_MANAGER },
  { method: 'GET', path: '/secrets', status: 503, message: NOT_A_SWARM_MANAGER },
  { method: 'POST', path: '/secrets/s1/update', status: 400, message: 'invalid secret version' },
  { method: 'GET', path: '/configs/c1', status: 503, message: NOT_A_SWARM_MANAGER },
  { method: 'POST', path: '/configs/c1/update', status: 400, message: 'invalid config version' },
  { method: 'GET', path: '/plugins', status: 200, body: [] },
  { method: 'GET', path: '/plugins/privileges?remote=x', status: 200, body: [] },
  { method: 'GET', path: '/plugins/x/json', status: 404, message: 'plugin "x" not found' },
  { method: 'DELETE', path: '/plugins/x', status: 404, message: 'plugin "x" not found' },
  { method: 'POST', path: '/plugins/x/disable', status: 404, message: 'plugin "x" not found' },
];

describe('swarm and plugin routes outside a swarm', () => {
  let dir: string;
  let socketPath: string;
  let server: ApiServer;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-swarm-api-'));
    socketPath = path.join(dir, 'docker.sock');
    server = new ApiServer(dockerApiRouter(fakeServices()));
    await server.listenUnix(socketPath);
  });
  after(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`${c.method} ${c.path}: ${c.status}`, async () => {
      const res = await request(socketPath, c.method, `/v1.41${c.path}`, c.method === 'POST' ? '{}' : undefined, { 'Content-Type': 'application/json' });
      assert.equal(res.status, c.status, res.text);
      const body = JSON.parse(res.text);
      if (c.message !== undefined) assert.equal(body.message, c.message);
      else assert.deepEqual(body, c.body);
    });
  }

  it('docker swarm init and join: 503 saying boxlabd has no swarm mode', async () => {
    for (const p of ['/swarm/init', '/swarm/join']) {
      const res = await request(socketPath, 'POST', `/v1.41${p}`, '{"ListenAddr":"0.0.0.0:2377"}', { 'Content-Type': 'application/json' });
      assert.equal(res.status, 503);
      assert.match(JSON.parse(res.text).message, /boxlabd has no swarm mode/);
    }
  });
});
