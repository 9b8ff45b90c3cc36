// The README's five-minute quick start, exactly as a user types it: the boxlab CLI starts boxlabd, bakes the
// offline busybox image into it, the real docker CLI runs containers, and `boxlab explain` tells the story.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requires } from '../helpers/requires.js';

const BIN = path.resolve('bin/run.js');

describe('quick start (README)', function () {
  let dir: string;
  let socket: string;
  let engine: ChildProcess;
  let engineLog = '';

  const boxlab = (...args: string[]) => spawnSync('node', [BIN, ...args, '--socket', socket], { encoding: 'utf8' });
  const docker = (...args: string[]) =>
    spawnSync('docker', args, { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: `unix://${socket}` } });

  before(async function () {
    requires(this, 'root', 'runc', 'docker-cli', 'busybox');
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-e2e-'));
    socket = path.join(dir, 'docker.sock');
    engine = spawn('node', [BIN, 'engine', 'start', '--socket', socket, '--root', path.join(dir, 'root')], { stdio: ['ignore', 'pipe', 'pipe'] });
    engine.stdout?.on('data', (d) => (engineLog += d));
    engine.stderr?.on('data', (d) => (engineLog += d));
    for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(socket), `boxlabd did not create its socket:\n${engineLog}`);
  });

  after(async function () {
    if (!engine) return;
    docker('rm', '-f', 'web');
    engine.kill('SIGTERM');
    await new Promise((r) => engine.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('bakes busybox and runs `docker run --rm busybox echo hello`', () => {
    const bake = boxlab('image', 'bake', 'busybox');
    assert.equal(bake.status, 0, bake.stderr);
    const out = docker('run', '--rm', 'busybox', 'echo', 'hello');
    assert.equal(out.stderr, '');
    assert.equal(out.stdout, 'hello\n');
  });

  it('runs a limited detached web server, lists it, and explains it in both languages', () => {
    const run = docker('run', '-d', '--name', 'web', '-m', '64m', '--pids-limit', '50', '--restart', 'on-failure:3', '-v', 'data:/data', 'busybox', 'httpd', '-f', '-p', '8080');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^[0-9a-f]{64}\n$/);
    const ps = docker('ps', '--format', '{{.Names}} {{.Status}}');
    assert.match(ps.stdout, /^web Up /m);
    const en = boxlab('explain', 'web');
    assert.equal(en.status, 0, en.stderr);
    assert.match(en.stdout, /mounted overlayfs/);
    assert.match(en.stdout, /runc/);
    assert.match(en.stdout, /memory/i);
    const zh = boxlab('explain', 'web', '--lang', 'zh');
    assert.match(zh.stdout, /挂载 overlayfs/);
    const json = JSON.parse(boxlab('explain', 'web', '--json').stdout) as Array<{ step: string }>;
    assert.ok(json.some((e) => e.step === 'spec.write'));
    const stop = docker('stop', 'web');
    assert.equal(stop.status, 0, stop.stderr);
    assert.equal(docker('rm', 'web').status, 0);
  });

  it('explains an unknown container with a clear error', () => {
    const r = boxlab('explain', 'nosuch');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /No such container or image: nosuch/);
    assert.match(r.stderr, /hint: list them with docker ps -a/);
  });
});
