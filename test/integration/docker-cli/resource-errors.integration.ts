// The real docker CLI against boxlabd and against Debian's dockerd 20.10: the resource limits dockerd
// refuses (`docker create -m 5m`, `--memory-swap` without `-m`, more CPUs than the host has, ...) are
// refused by boxlabd with the same words, at `docker create` (a 400, no container left), never at start.
import assert from 'node:assert/strict';
import { EngineHarness } from '../../helpers/engine-harness.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { requires } from '../../helpers/requires.js';

/** `dockerdAt`: where dockerd says no; boxlabd always says it at create */
const CASES: Array<{ flags: string[]; dockerdAt: 'create' | 'start' }> = [
  { flags: ['-m', '5m'], dockerdAt: 'create' },
  { flags: ['--memory-swap', '1g'], dockerdAt: 'create' },
  { flags: ['-m', '64m', '--memory-swap', '32m'], dockerdAt: 'create' },
  { flags: ['--memory-reservation', '5m'], dockerdAt: 'create' },
  { flags: ['-m', '64m', '--memory-reservation', '128m'], dockerdAt: 'create' },
  { flags: ['--cpus', '64'], dockerdAt: 'create' },
  { flags: ['--cpus', '1', '--cpu-period', '50000'], dockerdAt: 'create' },
  { flags: ['--cpus', '1', '--cpu-quota', '50000'], dockerdAt: 'create' },
  { flags: ['--cpu-period', '500'], dockerdAt: 'create' },
  { flags: ['--cpu-quota', '500'], dockerdAt: 'create' },
  { flags: ['--cpuset-cpus', '1000'], dockerdAt: 'create' },
  { flags: ['--cpuset-cpus', 'x'], dockerdAt: 'create' },
  { flags: ['--cpuset-mems', '1000'], dockerdAt: 'create' },
  // dockerd creates it and its start fails
  { flags: ['--cpu-shares', '-5'], dockerdAt: 'start' },
];

/** dockerd's error line, from create or from start as the case says */
async function dockerdError(dockerd: ReferenceDockerd, flags: string[], at: 'create' | 'start'): Promise<string> {
  const created = await dockerd.docker(['create', ...flags, 'busybox', 'true']);
  if (at === 'create') {
    assert.notEqual(created.exitCode, 0, `dockerd created a container with ${flags.join(' ')}`);
    return created.stderr.trim();
  }
  assert.equal(created.exitCode, 0, created.stderr);
  const id = created.stdout.trim();
  const started = await dockerd.docker(['start', id]);
  await dockerd.docker(['rm', '-f', id]);
  assert.notEqual(started.exitCode, 0, `dockerd started a container with ${flags.join(' ')}`);
  return started.stderr.trim().split('\n')[0];
}

describe('docker CLI: resource limits refused at create, as dockerd 20.10 words them', function () {
  this.timeout(120_000);
  let engine: EngineHarness;
  let dockerd: ReferenceDockerd;

  before(async function () {
    requires(this, 'root', 'runc', 'docker-cli', 'busybox', 'overlayfs', 'dockerd');
    engine = await EngineHarness.start();
    await engine.loadBusybox();
    dockerd = await ReferenceDockerd.start('boxlab-resource-errors');
  });
  after(async function () {
    this.timeout(90_000);
    await dockerd?.stop();
    await engine?.stop();
  });

  for (const c of CASES) {
    it(`docker create ${c.flags.join(' ')}: dockerd's message (dockerd: at ${c.dockerdAt}), a 400 and no container`, async () => {
      const expected = await dockerdError(dockerd, c.flags, c.dockerdAt);
      assert.match(expected, /^Error response from daemon: /);
      const res = await engine.docker(['create', ...c.flags, 'busybox', 'true']);
      assert.notEqual(res.exitCode, 0, 'boxlabd created the container');
      assert.equal(res.stderr.trim(), expected);
      assert.equal(await engine.dockerOk(['ps', '-aq']), '');
    });
  }

  it('what dockerd accepts, boxlabd runs: -m 6m, --memory-swap -1, --cpus 1, --cpuset-cpus 0', async () => {
    const flags = ['-m', '6m', '--memory-swap', '-1', '--cpus', '1', '--cpuset-cpus', '0'];
    await dockerd.dockerOk(['run', '--rm', ...flags, 'busybox', 'true']);
    await engine.dockerOk(['run', '--rm', ...flags, 'busybox', 'true']);
  });
});
