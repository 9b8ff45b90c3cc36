// `docker update` with the real docker CLI: the same sequence of updates against boxlabd and Debian's
// dockerd 20.10 prints the same output, errors and warnings and leaves the same HostConfig; on boxlabd
// the running container's cgroup files change at once, a stopped container gets the limits at its next
// start, and the limits survive an engine restart.
import assert from 'node:assert/strict';
import { useEngine } from '../../helpers/engine-suite.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { cgroupFile, cgroupV2 } from './cgroup-files.js';

const MiB = 1024 * 1024;

/** applied in this order to one container made with -m 64m on each engine: later steps see earlier ones */
const SEQUENCE: string[][] = [
  ['-m', '5m'],
  ['-m', '100m'],
  ['-m', '200m'],
  ['-m', '200m', '--memory-swap', '400m'],
  ['--memory-reservation', '5m'],
  ['--memory-reservation', '32m'],
  ['--kernel-memory', '5m'],
  ['--cpus', '64'],
  ['--cpus', '0.5'],
  ['--cpu-period', '50000'],
  ['--cpu-quota', '20000'],
  ['--cpu-shares', '512'],
  ['--cpuset-cpus', '5'],
  ['--cpuset-cpus', '0'],
  ['--cpuset-mems', '1'],
  ['--pids-limit', '10'],
  ['--blkio-weight', '5'],
  ['--blkio-weight', '300'],
  ['--restart', 'bogus'],
  ['--restart', 'no:3'],
  ['--restart', 'on-failure:3'],
  [],
];

const FIELDS = ['Memory', 'MemorySwap', 'MemoryReservation', 'NanoCpus', 'CpuPeriod', 'CpuQuota', 'CpuShares', 'CpusetCpus', 'CpusetMems', 'PidsLimit', 'BlkioWeight', 'RestartPolicy'];

type Runner = (args: string[]) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

/** what the user sees, with the container's id (different on each engine) replaced */
async function seen(docker: Runner, args: string[], id: string) {
  const res = await docker(args);
  const clean = (s: string) => s.split(id).join('<id>');
  return { exitCode: res.exitCode, stdout: clean(res.stdout), stderr: clean(res.stderr) };
}

async function hostConfig(docker: Runner, name: string): Promise<Record<string, unknown>> {
  const res = await docker(['inspect', name]);
  assert.equal(res.exitCode, 0, res.stderr);
  const hc = JSON.parse(res.stdout)[0].HostConfig as Record<string, unknown>;
  return Object.fromEntries(FIELDS.map((f) => [f, hc[f]]));
}

describe('docker CLI: docker update, as dockerd 20.10 does it', function () {
  this.timeout(120_000);
  const engine = useEngine({ needs: ['dockerd'], removeAfterEach: 'containers' });
  let dockerd: ReferenceDockerd;
  const boxlab: Runner = (args) => engine.docker(args);
  const reference: Runner = (args) => dockerd.docker(args);

  before(async () => {
    dockerd = await ReferenceDockerd.start('boxlab-container-update');
  });
  after(async function () {
    this.timeout(60_000);
    await dockerd?.stop();
  });
  afterEach(async () => {
    await dockerd?.docker(['rm', '-f', 'up-seq', 'up-rm', 'up-stopped']);
  });

  it('the same updates give the same answers, warnings and HostConfig on a running container', async () => {
    const both = [
      { docker: boxlab, id: '' },
      { docker: reference, id: '' },
    ];
    for (const e of both) e.id = (await e.docker(['run', '-d', '--name', 'up-seq', '-m', '64m', 'busybox', 'sleep', '1000'])).stdout.trim();
    assert.deepEqual(await hostConfig(boxlab, 'up-seq'), await hostConfig(reference, 'up-seq'), 'after run -m 64m');
    for (const flags of SEQUENCE) {
      const args = ['update', ...flags, 'up-seq'];
      const [got, expected] = [await seen(boxlab, args, both[0].id), await seen(reference, args, both[1].id)];
      assert.deepEqual(got, expected, `docker ${args.join(' ')}`);
    }
    assert.deepEqual(await hostConfig(boxlab, 'up-seq'), await hostConfig(reference, 'up-seq'), 'after the updates');
  });

  it('a --rm container keeps its restart policy; an unknown container is a 404; a stopped one changes its HostConfig', async () => {
    for (const e of [boxlab, reference]) {
      assert.equal((await e(['run', '-d', '--rm', '--name', 'up-rm', 'busybox', 'sleep', '1000'])).exitCode, 0);
      assert.equal((await e(['create', '--name', 'up-stopped', 'busybox', 'true'])).exitCode, 0);
    }
    const ids = { boxlab: '', reference: '' };
    ids.boxlab = (await boxlab(['inspect', '-f', '{{.Id}}', 'up-rm'])).stdout.trim();
    ids.reference = (await reference(['inspect', '-f', '{{.Id}}', 'up-rm'])).stdout.trim();
    for (const args of [['update', '--restart', 'always', 'up-rm'], ['update', '--restart', 'no', 'up-rm']]) {
      assert.deepEqual(await seen(boxlab, args, ids.boxlab), await seen(reference, args, ids.reference), `docker ${args.join(' ')}`);
    }
    const nosuch = ['update', '--cpu-shares', '512', 'up-nosuch'];
    assert.deepEqual(await seen(boxlab, nosuch, 'x'), await seen(reference, nosuch, 'x'));
    const stopped = ['update', '-m', '32m', '--memory-swap', '64m', '--pids-limit', '20', '--restart', 'always', 'up-stopped'];
    assert.deepEqual(await seen(boxlab, stopped, 'x'), await seen(reference, stopped, 'x'));
    assert.deepEqual(await hostConfig(boxlab, 'up-stopped'), await hostConfig(reference, 'up-stopped'));
  });

  it('rewrites the running container\'s cgroup at once; docker events says update', async () => {
    const id = (await engine.dockerOk(['run', '-d', '--name', 'up-live', '-m', '64m', 'busybox', 'sleep', '1000'])).trim();
    const since = String(Math.floor(Date.now() / 1000) - 1);
    const pid = Number((await engine.dockerOk(['inspect', '-f', '{{.State.Pid}}', 'up-live'])).trim());
    await engine.dockerOk(['update', '-m', '100m', '--cpus', '0.5', '--cpu-shares', '256', '--pids-limit', '30', 'up-live']);
    if (cgroupV2()) {
      assert.equal(await cgroupFile(pid, 'memory', 'memory.max'), String(100 * MiB));
      assert.equal(await cgroupFile(pid, 'cpu', 'cpu.max'), '50000 100000');
    } else {
      assert.equal(await cgroupFile(pid, 'memory', 'memory.limit_in_bytes'), String(100 * MiB));
      assert.equal(await cgroupFile(pid, 'cpu', 'cpu.cfs_quota_us'), '50000');
      assert.equal(await cgroupFile(pid, 'cpu', 'cpu.shares'), '256');
    }
    assert.equal(await cgroupFile(pid, 'pids', 'pids.max'), '30');
    const events = await engine.dockerOk(['events', '--since', since, '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', 'event=update', '--filter', `container=${id}`, '--format', '{{.Actor.ID}} {{.Action}}']);
    assert.equal(events.trim(), `${id} update`);
    // --pids-limit -1 lifts the limit: pids.max says max again
    await engine.dockerOk(['update', '--pids-limit', '-1', 'up-live']);
    assert.equal(await cgroupFile(pid, 'pids', 'pids.max'), 'max');
  });

  it('a limit runc cannot write leaves the HostConfig as it was and says why', async () => {
    const id = (await engine.dockerOk(['run', '-d', '--name', 'up-refused', 'busybox', 'sleep', '1000'])).trim();
    const before = await hostConfig(boxlab, 'up-refused');
    // a container without -m has no memory limit: memory+swap cannot be set below it
    const res = await engine.docker(['update', '--memory-swap', '32m', 'up-refused']);
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, new RegExp(`^Error response from daemon: Cannot update container ${id}: runc did not terminate successfully: exit status 1: failed to write "33554432"`));
    assert.deepEqual(await hostConfig(boxlab, 'up-refused'), before);
  });

  it('a stopped container gets the new limits at its next start; they survive an engine restart', async () => {
    await engine.dockerOk(['create', '--name', 'up-later', 'busybox', 'sleep', '1000']);
    await engine.dockerOk(['update', '-m', '48m', '--memory-swap', '96m', '--pids-limit', '40', 'up-later']);
    await engine.restartEngine();
    const hc = await hostConfig(boxlab, 'up-later');
    assert.equal(hc.Memory, 48 * MiB);
    assert.equal(hc.PidsLimit, 40);
    await engine.dockerOk(['start', 'up-later']);
    const pid = Number((await engine.dockerOk(['inspect', '-f', '{{.State.Pid}}', 'up-later'])).trim());
    assert.ok(pid > 0, 'the container runs');
    assert.equal(await cgroupFile(pid, 'memory', cgroupV2() ? 'memory.max' : 'memory.limit_in_bytes'), String(48 * MiB));
    assert.equal(await cgroupFile(pid, 'pids', 'pids.max'), '40');
  });
});
