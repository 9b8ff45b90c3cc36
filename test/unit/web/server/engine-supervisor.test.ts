// EngineSupervisor against real child processes: a fake "engine" (node serving /_ping on a unix socket)
// that comes up, one that dies at once, and an engine that is already running.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { EngineSupervisor, pingEngine } from '../../../../src/web/server/engine-supervisor.js';
import type { EngineStatus } from '../../../../src/web/server/web-backend.js';

const FAKE_ENGINE = `
const http = require('node:http');
console.log('fake boxlabd starting');
setTimeout(() => {
  http.createServer((req, res) => res.end('OK')).listen(process.argv[1], () => console.log('listening on ' + process.argv[1]));
}, 200);
process.on('SIGTERM', () => process.exit(0));
`;

describe('EngineSupervisor', () => {
  let dir: string;
  let socket: string;
  let supervisor: EngineSupervisor | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-web-engine-'));
    socket = path.join(dir, 'docker.sock');
  });
  afterEach(async () => {
    await supervisor?.stop();
    supervisor = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the engine when nothing answers, shows its output, becomes ready, and stops it', async () => {
    supervisor = new EngineSupervisor({ socket, startCommand: [process.execPath, '-e', FAKE_ENGINE, socket], pollMs: 50 });
    const seen: EngineStatus['state'][] = [];
    supervisor.onChange((s) => seen.push(s.state));
    const status = await supervisor.start();
    assert.equal(status.state, 'ready');
    assert.equal(status.message, `boxlabd started on ${socket}`);
    assert.ok(status.log.includes('fake boxlabd starting'), status.log.join('\n'));
    assert.deepEqual([...new Set(seen)], ['checking', 'starting', 'ready']);
    await supervisor.stop();
    assert.equal(await pingEngine(socket), false, 'the engine child is gone');
  });

  it('reports a start that fails with its output, and retries', async () => {
    supervisor = new EngineSupervisor({ socket, startCommand: [process.execPath, '-e', 'console.error("boxlabd needs root"); process.exit(3)'], pollMs: 50 });
    const status = await supervisor.start();
    assert.equal(status.state, 'failed');
    assert.equal(status.message, 'boxlabd could not be started: exited with code 3; see the log below, fix it and press retry');
    assert.deepEqual(status.log, ['boxlabd needs root']);
    const again = new Promise<EngineStatus>((resolve) => supervisor!.onChange((s) => s.state === 'failed' && resolve(s)));
    supervisor.retry();
    assert.equal((await again).state, 'failed');
  });

  it('without a start command, turns ready by itself when the engine answers later (no retry pressed)', async () => {
    supervisor = new EngineSupervisor({ socket, watchMs: 50 });
    assert.equal((await supervisor.start()).state, 'external-down');
    const ready = new Promise<EngineStatus>((resolve) => supervisor!.onChange((s) => s.state === 'ready' && resolve(s)));
    const running = http.createServer((_req, res) => res.end('OK'));
    await new Promise<void>((r) => running.listen(socket, r));
    try {
      assert.equal((await ready).message, `boxlabd answers on ${socket}`);
    } finally {
      running.close();
    }
  });

  it('uses an engine that already answers, and never starts one without a start command', async () => {
    supervisor = new EngineSupervisor({ socket });
    assert.equal((await supervisor.start()).state, 'external-down');
    assert.match(supervisor.status().message, /boxlabd does not answer on .*docker\.sock; start it \(boxlab engine start --socket .*\) and press retry/);
    const running = http.createServer((_req, res) => res.end('OK'));
    await new Promise<void>((r) => running.listen(socket, r));
    try {
      assert.equal((await supervisor.start()).state, 'ready');
    } finally {
      running.close();
    }
  });
});
