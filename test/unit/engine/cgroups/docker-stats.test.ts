import assert from 'node:assert/strict';
import { cpuPercent, memoryUsageNoCache, toDockerStats, ZERO_TIME } from '../../../../src/engine/cgroups/docker-stats.js';
import { parseProcStatCpuTicks, parseFlatKeyed, parseProcCgroup } from '../../../../src/engine/cgroups/cgroup-files.js';
import { cgroupLimitsSummary } from '../../../../src/engine/cgroups/limits-summary.js';
import type { CgroupStats } from '../../../../src/engine/cgroups/cgroup-stats.js';

const MiB = 1024 * 1024;

function sample(read: string, totalNs: number, usage: number, limit?: number): CgroupStats {
  return {
    version: 1,
    read,
    memory: { usage, limit, maxUsage: usage, oomKills: 0, stats: { total_inactive_file: 1 * MiB, rss: 3 * MiB } },
    cpu: { totalNs, perCpuNs: [totalNs / 2, totalNs / 2] },
    pids: { current: 3, limit: 50 },
    blkio: { ioServiceBytes: [] },
  };
}

describe('toDockerStats', () => {
  const ctx = { id: 'abc', name: 'web', onlineCpus: 2, systemCpuUsage: 2_000_000_000_000, machineMemory: 1024 * MiB };

  it('has the fields the docker CLI reads', () => {
    const s = toDockerStats(sample('2026-11-23T10:00:01Z', 500_000_000, 10 * MiB, 64 * MiB), undefined, ctx);
    assert.equal(s.name, '/web');
    assert.equal(s.id, 'abc');
    assert.equal(s.preread, ZERO_TIME);
    assert.deepEqual(s.pids_stats, { current: 3, limit: 50 });
    const mem = s.memory_stats as Record<string, unknown>;
    assert.equal(mem.usage, 10 * MiB);
    assert.equal(mem.limit, 64 * MiB);
    const cpu = s.cpu_stats as { cpu_usage: { total_usage: number; percpu_usage: number[] }; online_cpus: number; system_cpu_usage: number };
    assert.equal(cpu.cpu_usage.total_usage, 500_000_000);
    assert.deepEqual(cpu.cpu_usage.percpu_usage, [250_000_000, 250_000_000]);
    assert.equal(cpu.online_cpus, 2);
    assert.equal((s.precpu_stats as { system_cpu_usage: number }).system_cpu_usage, 0);
  });

  it('CPU % like the docker CLI: half a CPU busy on a 2-CPU host over 1 s is 50%', () => {
    const before = sample('2026-11-23T10:00:00Z', 1_000_000_000, 10 * MiB);
    // in 1 s the host spent 2 CPU-seconds (2 CPUs), the container 0.5 CPU-seconds
    const now = toDockerStats(sample('2026-11-23T10:00:01Z', 1_500_000_000, 10 * MiB), { stats: before, systemCpuUsage: ctx.systemCpuUsage - 2e9, onlineCpus: 2 }, ctx);
    assert.equal(now.preread, '2026-11-23T10:00:00Z');
    assert.equal(Math.round(cpuPercent(now)), 50);
    assert.equal(cpuPercent(toDockerStats(before, undefined, ctx)) >= 0, true);
  });

  it('MEM USAGE without inactive cache; LIMIT is host memory when unlimited', () => {
    const s = toDockerStats(sample('2026-11-23T10:00:01Z', 1, 10 * MiB), undefined, ctx);
    assert.equal(memoryUsageNoCache(s), 9 * MiB);
    assert.equal((s.memory_stats as { limit: number }).limit, 1024 * MiB);
  });
});

describe('cgroup file parsers', () => {
  it('/proc/stat cpu ticks: user..steal', () => {
    assert.equal(parseProcStatCpuTicks('cpu  31103 0 3827 95521 432 0 62 20 0 0\ncpu0 1 2 3\n'), 31103 + 3827 + 95521 + 432 + 62 + 20);
    assert.throws(() => parseProcStatCpuTicks('intr 1\n'), /malformed/);
  });

  it('flat keyed files and /proc/self/cgroup', () => {
    assert.deepEqual(parseFlatKeyed('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n'), { oom_kill_disable: 0, under_oom: 0, oom_kill: 2 });
    assert.deepEqual(parseProcCgroup('4:memory:/process_api/x\n2:cpu,cpuacct:/\n0::/y\n'), { memory: '/process_api/x', cpu: '/', cpuacct: '/', '': '/y' });
  });

  it('cgroupLimitsSummary', () => {
    assert.equal(
      cgroupLimitsSummary({ memory: { limit: 64 * MiB, swap: 128 * MiB }, cpu: { quota: 150000, period: 100000 }, pids: { limit: 50 } }),
      'memory.limit 64 MiB (memory+swap 128 MiB), cpu quota 150000 us per 100000 us (1.5 CPUs), pids.max 50',
    );
    assert.match(cgroupLimitsSummary(undefined), /no limits/);
  });
});
