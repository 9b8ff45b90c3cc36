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
import { requires } from '../../helpers/requires.js';
import { freePort } from '../distribution/registry-fixture.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const boxlab = async (args: string[]) => {
  const res = await run(process.execPath, [path.join(REPO, 'bin/run.js'), ...args], { timeout: 120_000, allowFailure: true });
  assert.equal(res.exitCode, 0, `boxlab ${args.join(' ')}: ${res.stderr}`);
  return res.stdout;
};

describe('boxlab mirror start|status|stop: an offline docker.io mirror (root)', function () {
  this.timeout(180_000);
  let dir: string;
  let addr: string;

  before(async function () {
    requires(this, 'root', 'skopeo', 'busybox');
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
    // idempotent: a second start finds it running and seeded
    const again = JSON.parse(await boxlab(['mirror', 'start', '--dir', dir, '--addr', addr, '--json'])) as MirrorStatus;
    assert.equal(again.pid, started.pid);

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

    assert.match(await boxlab(['mirror', 'status', '--dir', dir]), new RegExp(`running at http://${addr.replace(/\./g, '\\.')} \\(pid \\d+\\): library/busybox`));
    const stopped = JSON.parse(await boxlab(['mirror', 'stop', '--dir', dir, '--json'])) as MirrorStatus;
    assert.equal(stopped.running, false);
    assert.match(await boxlab(['mirror', 'status', '--dir', dir]), /not running/);
  });
});
