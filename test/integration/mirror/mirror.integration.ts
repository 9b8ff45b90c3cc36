import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../../src/core/exec.js';
import { enginePaths } from '../../../src/core/paths.js';
import { RegistryDistribution } from '../../../src/engine/distribution/distribution-service.js';
import { LocalImageStore } from '../../../src/engine/images/local-image-store.js';
import type { MirrorStatus } from '../../../src/engine/mirror/local-mirror.js';
import { Engine } from '../../../src/boxlabd.js';
import { NEW_DOCKER } from '../../helpers/engine-harness.js';
import { requires } from '../../helpers/requires.js';
import { freePort } from '../distribution/registry-fixture.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const boxlab = async (args: string[], env: Record<string, string> = {}) => {
  const res = await run(process.execPath, [path.join(REPO, 'bin/run.js'), ...args], { timeout: 600_000, allowFailure: true, env });
  assert.equal(res.exitCode, 0, `boxlab ${args.join(' ')}: ${res.stderr}`);
  return res.stdout;
};

describe('boxlab mirror start|status|stop: an offline docker.io mirror (root)', function () {
  this.timeout(180_000);
  let dir: string;
  let addr: string;

  before(async function () {
    requires(this, 'root', 'skopeo', 'busybox', 'docker-cli');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-mirror-'));
    addr = `127.0.0.1:${await freePort()}`;
  });
  after(async () => {
    if (dir) {
      await run(process.execPath, [path.join(REPO, 'bin/run.js'), 'mirror', 'stop', '--dir', dir], { allowFailure: true });
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('starts a registry seeded with busybox, serves `pull busybox` as a docker.io mirror, and stops', async () => {
    const started = JSON.parse(await boxlab(['mirror', 'start', '--dir', dir, '--addr', addr, '--seed', 'busybox', '--json'])) as MirrorStatus;
    assert.equal(started.running, true);
    assert.equal(started.url, `http://${addr}`);
    assert.deepEqual(started.repositories, ['library/busybox']);
    // idempotent: a second start finds it running and seeded; without --seed it seeds busybox and what
    // the bake cache holds (nothing in this empty cache)
    const again = JSON.parse(await boxlab(['mirror', 'start', '--dir', dir, '--addr', addr, '--json'], { BOXLAB_BAKE_CACHE: path.join(dir, 'empty-bake-cache') })) as MirrorStatus;
    assert.equal(again.pid, started.pid);
    assert.deepEqual(again.repositories, ['library/busybox']);

    const paths = enginePaths(path.join(dir, 'engine-root'));
    const images = new LocalImageStore(paths);
    await images.init();
    const distribution = new RegistryDistribution({ images, content: images.content, tmpDir: paths.tmp, mirrors: [started.url] });
    const pull = await distribution.resolvePull('busybox', {});
    assert.equal(pull.endpoint, started.url);
    const statuses: string[] = [];
    const image = await pull.run((m) => statuses.push(m.status ?? ''));
    assert.deepEqual(image.repoTags, ['busybox:latest']);
    assert.equal(statuses.at(-1), 'Status: Downloaded newer image for busybox:latest');

    // the engine's own option (boxlab engine start --registry-mirror): docker pull with the real CLI
    const engine = await Engine.start({ root: path.join(dir, 'boxlabd-root'), socketPath: path.join(dir, 'boxlabd.sock'), registryMirrors: [started.url] });
    try {
      const env = { DOCKER_HOST: `unix://${path.join(dir, 'boxlabd.sock')}`, DOCKER_CONFIG: path.join(dir, 'docker-config'), PATH: process.env.PATH ?? '' };
      const pulled = await run(NEW_DOCKER, ['pull', 'busybox'], { env, timeout: 60_000, allowFailure: true });
      assert.equal(pulled.exitCode, 0, pulled.stderr);
      assert.match(pulled.stdout, /^latest: Pulling from library\/busybox$/m);
      assert.match(pulled.stdout, /Status: Downloaded newer image for busybox:latest/);
      assert.match((await run(NEW_DOCKER, ['images', '--format', '{{.Repository}}:{{.Tag}}'], { env })).stdout, /^busybox:latest$/m);
    } finally {
      await engine.stop();
    }

    assert.match(await boxlab(['mirror', 'status', '--dir', dir]), new RegExp(`running at http://${addr.replace(/\./g, '\\.')} \\(pid \\d+\\): library/busybox`));
    const stopped = JSON.parse(await boxlab(['mirror', 'stop', '--dir', dir, '--json'])) as MirrorStatus;
    assert.equal(stopped.running, false);
    assert.match(await boxlab(['mirror', 'status', '--dir', dir]), /not running/);
  });

  it('seeds lab images under their docker.io paths; pulling a second one reuses the shared debian layer', async function () {
    requires(this, 'root', 'runc', 'debootstrap');
    this.timeout(15 * 60_000);
    // baked already when the lab images test ran before (same bake cache); else this bakes them
    const started = JSON.parse(await boxlab(['mirror', 'start', '--dir', dir, '--addr', addr, '--seed', 'nginx,network-tools', '--json'])) as MirrorStatus;
    for (const repo of ['library/nginx', 'lab/netshoot-lite', 'library/network-tools']) assert.ok(started.repositories.includes(repo), `${repo} in ${started.repositories.join(' ')}`);
    const socket = path.join(dir, 'boxlabd-2.sock');
    const engine = await Engine.start({ root: path.join(dir, 'boxlabd-root-2'), socketPath: socket, registryMirrors: [started.url] });
    try {
      const env = { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: path.join(dir, 'docker-config'), PATH: process.env.PATH ?? '' };
      const first = await run(NEW_DOCKER, ['pull', 'nginx'], { env, timeout: 300_000, allowFailure: true });
      assert.equal(first.exitCode, 0, first.stderr);
      assert.doesNotMatch(first.stdout, /Already exists/);
      const second = await run(NEW_DOCKER, ['pull', 'lab/netshoot-lite'], { env, timeout: 300_000, allowFailure: true });
      assert.equal(second.exitCode, 0, second.stderr);
      assert.match(second.stdout, /^latest: Pulling from lab\/netshoot-lite$/m);
      assert.equal(second.stdout.match(/: Already exists$/gm)?.length, 1, second.stdout);
      assert.match(second.stdout, /Status: Downloaded newer image for lab\/netshoot-lite:latest/);
    } finally {
      await engine.stop();
    }
  });
});
