// The sandbox end to end, as a user drives it: the boxlab CLI builds the image (cached), boots a VM
// under TCG, runs `docker run --rm busybox echo hi` through boxlabd inside, points the host's docker CLI at
// it (docker-env), snapshots, changes something, restores, deletes; then nothing is left (no qemu process,
// no forwarded port, no forwarder). On the way, `vm cp` copies a folder in and a file out over sftp
// (dropbear's sftp-server), modes kept. Then two VMs on one lab network ping each other by name.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { portOpen } from '../../../src/vm/providers/qemu/free-port.js';
import { requires } from '../../helpers/requires.js';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';

const run = promisify(execFile);
const BIN = BOXLAB_BIN;

describe('qemu sandbox (e2e, TCG)', function () {
  this.timeout(600_000);
  let home: string;
  const env = () => ({ ...process.env, BOXLAB_HOME: home, BOXLAB_QEMU_ACCEL: process.env.BOXLAB_QEMU_ACCEL ?? '' });
  const boxlab = async (...args: string[]) => run(process.execPath, [BIN, ...args], { env: env(), maxBuffer: 1 << 24 });
  const name = `e2e${process.pid}`;

  before(async function () {
    requires(this, 'root', 'qemu', 'docker-cli');
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-e2e-'));
  });

  after(async () => {
    if (!home) return;
    await boxlab('vm', 'delete', name, 'n1', 'n2').catch(() => undefined);
    await fs.rm(home, { recursive: true, force: true });
  });

  function qemuOf(vm: string): string[] {
    try {
      return execFileSync('pgrep', ['-a', '-f', `process=boxlab-${vm}`]).toString().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  it('boots a vm, runs a container through boxlabd, snapshots, restores, deletes, and leaves nothing', async () => {
    const created = JSON.parse((await boxlab('vm', 'create', name, '--provider', 'qemu', '--cpus', '1', '--memory', '1G', '--json')).stdout);
    assert.equal(created[0].state, 'running');
    const port = Number(String(created[0].address).split(':')[1]);

    const hi = await boxlab('vm', 'exec', name, '--', 'docker', 'run', '--rm', 'busybox', 'echo', 'hi');
    assert.equal(hi.stdout, 'hi\n');

    // vm cp: a folder in (a script, a private file, a subfolder), a file out, modes kept both ways
    const src = path.join(home, 'app');
    await fs.mkdir(path.join(src, 'conf'), { recursive: true });
    await fs.writeFile(path.join(src, 'run.sh'), '#!/bin/sh\necho ran\n', { mode: 0o755 });
    await fs.writeFile(path.join(src, 'conf', 'secret'), 'key\n', { mode: 0o600 });
    await fs.chmod(path.join(src, 'run.sh'), 0o755);
    await fs.chmod(path.join(src, 'conf', 'secret'), 0o600);
    await boxlab('vm', 'cp', src, `${name}:/root/app`);
    const modes = await boxlab('vm', 'exec', name, '--', 'sh', '-c', 'cd /root/app && stat -c "%a %n" run.sh conf/secret && ./run.sh && cat conf/secret');
    assert.equal(modes.stdout, '755 run.sh\n600 conf/secret\nran\nkey\n');
    await boxlab('vm', 'exec', name, '--', 'sh', '-c', 'echo report > /root/out.txt && chmod 640 /root/out.txt');
    await boxlab('vm', 'cp', `${name}:/root/out.txt`, path.join(home, 'out.txt'));
    assert.equal(await fs.readFile(path.join(home, 'out.txt'), 'utf8'), 'report\n');
    assert.equal((await fs.stat(path.join(home, 'out.txt'))).mode & 0o777, 0o640);

    // the host's docker CLI talks to boxlabd in the vm through the forwarded socket
    const envOut = (await boxlab('vm', 'docker-env', name)).stdout;
    const dockerHost = envOut.match(/export DOCKER_HOST=(\S+)/)![1]!;
    const images = await run('docker', ['images', '--format', '{{.Repository}}'], { env: { ...process.env, DOCKER_HOST: dockerHost } });
    assert.match(images.stdout, /busybox/);

    await boxlab('vm', 'snapshot', name, 'clean');
    await boxlab('vm', 'exec', name, '--', 'docker', 'create', '--name', 'changed', 'busybox', 'true');
    await boxlab('vm', 'exec', name, '--', 'sh', '-c', 'echo changed > /root/file');
    assert.match((await boxlab('vm', 'exec', name, '--', 'docker', 'ps', '-a', '--format', '{{.Names}}')).stdout, /changed/);
    await boxlab('vm', 'restore', name, 'clean');
    assert.equal((await boxlab('vm', 'exec', name, '--', 'docker', 'ps', '-a', '--format', '{{.Names}}')).stdout, '');
    const file = await boxlab('vm', 'exec', name, '--', 'sh', '-c', 'cat /root/file 2>/dev/null || echo absent');
    assert.equal(file.stdout, 'absent\n');

    const list = JSON.parse((await boxlab('vm', 'list', '--json')).stdout);
    assert.deepEqual(list.map((v: { name: string; state: string }) => [v.name, v.state]), [[name, 'running']]);

    await boxlab('vm', 'delete', name);
    assert.deepEqual(qemuOf(name), []);
    assert.equal(await portOpen(port), false);
    assert.deepEqual(JSON.parse((await boxlab('vm', 'list', '--json')).stdout), []);
    assert.deepEqual(await fs.readdir(path.join(home, 'vms')), []);
  });

  it('two vms on one lab network reach each other by name', async function () {
    if (os.cpus().length < 2 && process.env.CI !== 'true') return this.skip();
    await boxlab('vm', 'create', 'n1', 'n2', '--provider', 'qemu', '--cpus', '1', '--memory', '768M', '--network', 'labnet');
    const ping = await boxlab('vm', 'exec', 'n1', '--', 'ping', '-c', '2', '-W', '5', 'n2');
    assert.match(ping.stdout, /2 packets received|2 received/);
    const back = await boxlab('vm', 'exec', 'n2', '--', 'ping', '-c', '1', '-W', '5', 'n1');
    assert.match(back.stdout, /1 packets received|1 received/);
    await boxlab('vm', 'delete', 'n1', 'n2');
    assert.deepEqual([...qemuOf('n1'), ...qemuOf('n2')], []);
  });
});
