// samples/counter-app with the real docker CLI against boxlabd: both images build, the store runs with a
// volume on a user network, the web app finds it by name and every request increments the count.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useEngine } from '../../helpers/engine-suite.js';
import { waitFor } from '../../helpers/wait-for.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const SAMPLE = path.join(REPO, 'samples', 'counter-app');
const CLASSIC = { DOCKER_BUILDKIT: '0' };

describe('samples/counter-app: two services on a user network (root)', function () {
  this.timeout(180_000);
  const h = useEngine();
  let work: string;
  const net = `boxlab-build-counter-${process.pid}`;

  before(async function () {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-build-counter-'));
    await fs.cp(SAMPLE, path.join(work, 'app'), { recursive: true });
  });

  after(async () => {
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  it('web counts its page views in the store, by name over the network, kept in the volume', async () => {
    for (const svc of ['store', 'web']) {
      const res = await h.docker(['build', '-t', `counter-${svc}`, path.join(work, 'app', svc)], { env: CLASSIC, timeout: 120_000 });
      assert.equal(res.exitCode, 0, res.stdout + res.stderr);
    }
    await h.dockerOk(['network', 'create', net]);
    await h.dockerOk(['run', '-d', '--name', 'store', '--network', net, '-v', 'counter-vol:/data', 'counter-store']);
    await h.dockerOk(['run', '-d', '--name', 'web', '--network', net, 'counter-web']);
    const view = () => h.dockerOk(['run', '--rm', '--network', net, 'busybox', 'wget', '-qO-', 'http://web:8080/cgi-bin/count']);
    // the web service's httpd listens a moment after its container starts
    const first = await waitFor(
      'the counter page to answer',
      async () => {
        const page = await view().catch(() => '');
        return /viewed \d+ times/.test(page) ? page : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 250 },
    );
    const n = Number(/viewed (\d+) times/.exec(first)?.[1]);
    assert.ok(n >= 1, `first view: ${first}`);
    assert.match(await view(), new RegExp(`viewed ${n + 1} times`));
    assert.match(await view(), new RegExp(`viewed ${n + 2} times`));
    // the count is in the volume, not in the store container
    await h.dockerOk(['rm', '-f', 'store']);
    assert.equal(await h.dockerOk(['run', '--rm', '-v', 'counter-vol:/data', 'busybox', 'cat', '/data/count']), String(n + 2));
  });
});
