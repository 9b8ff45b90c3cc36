// A real runc container with -m and --pids-limit: CgroupReader finds its cgroup where runc put it
// (checked here: an absolute cgroupsPath is taken from each hierarchy's root on v1, not nested under the
// engine's own memory cgroup), reads the limits back, lists its processes, and reads oom_kill after an
// OOM kill while runc keeps the container (run --keep).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { requires } from '../../helpers/requires.js';
import { waitFor } from '../../helpers/wait-for.js';
import { BusyboxBundle } from '../oci-spec/busybox-bundle.js';
import { CgroupReader } from '../../../src/engine/cgroups/cgroup-reader.js';
import { readSystemCpuSample, toDockerStats, cpuPercent, memoryUsageNoCache } from '../../../src/engine/cgroups/docker-stats.js';
import { run } from '../../../src/core/exec.js';

const MiB = 1024 * 1024;

describe('cgroups of a real runc container', function () {
  let bb: BusyboxBundle;
  const reader = new CgroupReader();

  before(async function () {
    requires(this, 'root', 'runc', 'busybox');
    bb = await new BusyboxBundle('cgroups').init();
  });

  after(async () => {
    if (bb) await bb.cleanup();
  });

  it('reads back -m 32m and --pids-limit 20, the processes, and stats docker can print', async () => {
    const id = await bb.runDetached({ args: ['sh', '-c', 'sleep 60 & sleep 61 & wait'], hostConfig: { Memory: 32 * MiB, PidsLimit: 20 } });
    try {
      const cgroupsPath = `${bb.cgroupParent}/${id}`;
      const d = await reader.dirs(cgroupsPath);
      if (d.version === 1) {
        // the memory cgroup is at the hierarchy root even though ours is nested (see /proc/self/cgroup)
        assert.equal(d.dirs.memory, path.join('/sys/fs/cgroup/memory', cgroupsPath));
      }
      const state = JSON.parse((await run('runc', ['--root', bb.runcRoot, 'state', id])).stdout) as { pid: number };
      const procCgroup = await fs.readFile(`/proc/${state.pid}/cgroup`, 'utf8');
      assert.match(procCgroup, new RegExp(`${cgroupsPath}$`, 'm'), 'the kernel agrees where the process is');

      // the shell may not have forked yet, or be forking (a loaded host saw 5 tasks for a moment): wait
      // for it to settle at sh and its two sleeps
      let stats = await reader.stats(cgroupsPath);
      await waitFor('sh and its two sleeps, and nothing else, in the cgroup', async () => (stats = await reader.stats(cgroupsPath)).pids.current === 3);
      assert.equal(stats.memory.limit, 32 * MiB);
      assert.equal(stats.pids.limit, 20);
      assert.equal(stats.pids.current, 3, 'sh and two sleeps');
      assert.ok(stats.memory.usage > 0);
      assert.ok(stats.cpu.totalNs > 0);

      const pids = await reader.pids(cgroupsPath);
      assert.equal(pids.length, 3);
      assert.ok(pids.includes(state.pid));

      const before = { stats, ...(await readSystemCpuSample()) };
      // a CPU percentage needs a window: 0.4 s of host CPU time (0.2 s on two CPUs) since the first sample
      await waitFor('0.4 s of host CPU time', async () => (await readSystemCpuSample()).systemCpuUsage - before.systemCpuUsage >= 0.4e9);
      const docker = toDockerStats(await reader.stats(cgroupsPath), before, { id, name: id, ...(await readSystemCpuSample()) });
      assert.equal((docker.memory_stats as { limit: number }).limit, 32 * MiB);
      const pct = cpuPercent(docker);
      assert.ok(pct >= 0 && pct < 50, `an idle container uses little CPU (${pct}%)`);
      const used = memoryUsageNoCache(docker);
      assert.ok(used > 0 && used < 32 * MiB);
      assert.equal(await reader.readOomKilled(cgroupsPath), false);
    } finally {
      await bb.delete(id);
    }
    assert.equal(await reader.exists(`${bb.cgroupParent}/${id}`), false, 'runc delete removed the cgroup');
  });

  it('readOomKilled is true after an OOM kill until runc delete', async () => {
    const r = await bb.run({ keep: true, args: ['sh', '-c', 'x=a; while true; do x=$x$x$x$x; done'], hostConfig: { Memory: 16 * MiB, MemorySwap: 16 * MiB } });
    const cgroupsPath = `${bb.cgroupParent}/${r.id}`;
    assert.equal(r.exitCode, 137);
    assert.equal(await reader.exists(cgroupsPath), true, '--keep leaves the cgroup');
    assert.equal(await reader.readOomKilled(cgroupsPath), true);
    assert.equal((await reader.stats(cgroupsPath)).memory.oomKills, 1);
    await bb.delete(r.id);
    assert.equal(await reader.exists(cgroupsPath), false);
  });
});
