import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { enginePaths } from '../../../src/core/paths.js';
import { bakeImages } from '../../../src/engine/images/bake/bake-service.js';
import { LocalImageStore } from '../../../src/engine/images/local-image-store.js';
import { requires } from '../../helpers/requires.js';

// Debian's real dockerd (docker.io, 20.10) as the oracle for the docker-archive format: what boxlab saves,
// dockerd loads with the same image id, and the other way round. A private dockerd (own data root, exec
// root and socket, no bridge, no iptables) so nothing on the host changes.
const DOCKERD = '/usr/sbin/dockerd';

describe('docker-archive interop with Debian\'s dockerd (root)', function () {
  this.timeout(120_000);
  let work: string;
  let dockerd: ChildProcess | undefined;
  let env: Record<string, string>;

  before(async function () {
    requires(this, 'root', 'docker-cli', 'busybox');
    if (!existsSync(DOCKERD)) {
      if (process.env.CI === 'true') throw new Error(`needs ${DOCKERD} (apt package docker.io): CI must install it (.ci/run)`);
      console.log(`      skipped: needs ${DOCKERD}`);
      this.skip();
    }
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-images-dockerd-'));
    const sock = path.join(work, 'd.sock');
    const log = await fs.open(path.join(work, 'dockerd.log'), 'w');
    dockerd = spawn(
      DOCKERD,
      ['--data-root', path.join(work, 'data'), '--exec-root', path.join(work, 'exec'), '--pidfile', path.join(work, 'dockerd.pid'),
        '-H', `unix://${sock}`, '--bridge=none', '--iptables=false', '--ip-masq=false', '--storage-driver=overlay2'],
      { stdio: ['ignore', log.fd, log.fd] },
    );
    await log.close();
    env = { ...(process.env as Record<string, string>), DOCKER_HOST: `unix://${sock}` };
    for (let i = 0; i < 60; i++) {
      if ((await run('docker', ['version'], { env, allowFailure: true })).exitCode === 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`dockerd did not start: ${await fs.readFile(path.join(work, 'dockerd.log'), 'utf8')}`);
  });

  after(async () => {
    if (dockerd && dockerd.exitCode === null) {
      const exited = new Promise((r) => dockerd!.once('exit', r));
      dockerd.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (dockerd.exitCode === null) dockerd.kill('SIGKILL');
    }
    if (work) {
      // dockerd unmounts its own overlays on shutdown; anything left under our folder goes too
      const mounts = (await fs.readFile('/proc/mounts', 'utf8')).split('\n').map((l) => l.split(' ')[1]).filter((m) => m?.startsWith(work));
      for (const m of mounts.reverse()) await run('umount', ['-l', m], { allowFailure: true });
      await fs.rm(work, { recursive: true, force: true });
    }
  });

  it('dockerd loads what boxlab saves with the same id, and boxlab loads what dockerd saves', async () => {
    const baked = path.join(work, 'baked.tar');
    const { images } = await bakeImages({ names: ['busybox'], output: baked });
    const id = images[0].id;
    const store = new LocalImageStore(enginePaths(path.join(work, 'boxlab')));
    await store.init();
    await store.load(createReadStream(baked));
    const saved = path.join(work, 'saved-by-boxlab.tar');
    await store.save(['busybox'], createWriteStream(saved));

    assert.match((await run('docker', ['load', '-i', saved], { env })).stdout, /Loaded image: busybox:latest/);
    assert.equal((await run('docker', ['image', 'inspect', '--format', '{{.Id}}', 'busybox'], { env })).stdout, id);
    assert.equal((await run('docker', ['run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', 'echo hi from $(readlink /bin/sh)'], { env })).stdout, 'hi from /bin/busybox');

    await run('docker', ['tag', 'busybox', 'localhost:5000/me/x:1'], { env });
    const fromDockerd = path.join(work, 'saved-by-dockerd.tar');
    await run('docker', ['save', '-o', fromDockerd, 'localhost:5000/me/x:1'], { env });
    const other = new LocalImageStore(enginePaths(path.join(work, 'boxlab2')));
    await other.init();
    assert.deepEqual(await other.load(createReadStream(fromDockerd)), ['localhost:5000/me/x:1']);
    assert.equal((await other.resolve('localhost:5000/me/x:1')).id, id);
  });
});
