// Docker's stats object (GET /containers/{id}/stats, API v1.41 ContainerStats) from two cgroup readings.
// The docker CLI computes what `docker stats` prints from it:
//   CPU %     = (cpu_stats.cpu_usage.total_usage - precpu_stats...) / (system_cpu_usage - precpu system)
//               * online_cpus * 100
//   MEM USAGE = memory_stats.usage - stats.total_inactive_file (v1) or stats.inactive_file (v2)
//   LIMIT     = memory_stats.limit (the host's memory when the container has no limit, as dockerd does)
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { parseProcStatCpuTicks } from './cgroup-files.js';
import type { CgroupStats } from './cgroup-stats.js';

/** Go's zero time, which Docker sends for "no previous reading" */
export const ZERO_TIME = '0001-01-01T00:00:00Z';
/** USER_HZ: /proc/stat counts in 1/100 s */
const CLOCK_TICKS_PER_SECOND = 100;

export interface SystemCpuSample {
  /** ns of CPU time the whole host has spent, all CPUs (/proc/stat) */
  systemCpuUsage: number;
  onlineCpus: number;
}

export interface DockerStatsContext extends SystemCpuSample {
  id: string;
  /** the container name, with Docker's leading slash added if missing */
  name: string;
  /** host memory in bytes, the limit shown when the container has none; default os.totalmem() */
  machineMemory?: number;
}

/** a previous reading, with the system CPU time read at the same moment */
export interface PreviousSample {
  stats: CgroupStats;
  systemCpuUsage: number;
  onlineCpus: number;
}

export async function readSystemCpuSample(procStat = '/proc/stat'): Promise<SystemCpuSample> {
  const ticks = parseProcStatCpuTicks(await fs.readFile(procStat, 'utf8'));
  return { systemCpuUsage: (ticks * 1e9) / CLOCK_TICKS_PER_SECOND, onlineCpus: os.availableParallelism?.() ?? os.cpus().length };
}

function cpuStats(stats: CgroupStats | undefined, systemCpuUsage: number, onlineCpus: number) {
  const cpu = stats?.cpu;
  return {
    cpu_usage: {
      total_usage: cpu?.totalNs ?? 0,
      ...(cpu?.perCpuNs && cpu.perCpuNs.length > 0 ? { percpu_usage: cpu.perCpuNs } : {}),
      usage_in_kernelmode: cpu?.systemNs ?? 0,
      usage_in_usermode: cpu?.userNs ?? 0,
    },
    system_cpu_usage: stats ? systemCpuUsage : 0,
    online_cpus: stats ? onlineCpus : 0,
    throttling_data: {
      periods: cpu?.throttling?.periods ?? 0,
      throttled_periods: cpu?.throttling?.throttledPeriods ?? 0,
      throttled_time: cpu?.throttling?.throttledTimeNs ?? 0,
    },
  };
}

export function toDockerStats(stats: CgroupStats, previous: PreviousSample | undefined, ctx: DockerStatsContext): Record<string, unknown> {
  const machine = ctx.machineMemory ?? os.totalmem();
  const limit = stats.memory.limit === undefined || stats.memory.limit > machine ? machine : stats.memory.limit;
  return {
    read: stats.read,
    preread: previous?.stats.read ?? ZERO_TIME,
    pids_stats: { current: stats.pids.current, ...(stats.pids.limit !== undefined ? { limit: stats.pids.limit } : {}) },
    blkio_stats: {
      io_service_bytes_recursive: stats.blkio.ioServiceBytes,
      io_serviced_recursive: null,
      io_queue_recursive: null,
      io_service_time_recursive: null,
      io_wait_time_recursive: null,
      io_merged_recursive: null,
      io_time_recursive: null,
      sectors_recursive: null,
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuStats(stats, ctx.systemCpuUsage, ctx.onlineCpus),
    precpu_stats: cpuStats(previous?.stats, previous?.systemCpuUsage ?? 0, previous?.onlineCpus ?? 0),
    memory_stats: {
      usage: stats.memory.usage,
      ...(stats.memory.maxUsage !== undefined ? { max_usage: stats.memory.maxUsage } : {}),
      stats: stats.memory.stats,
      ...(stats.memory.failcnt !== undefined ? { failcnt: stats.memory.failcnt } : {}),
      limit,
    },
    name: ctx.name.startsWith('/') ? ctx.name : `/${ctx.name}`,
    id: ctx.id,
  };
}

/** what the docker CLI will print as CPU % for this object (for tests and `boxlab explain`) */
export function cpuPercent(dockerStats: Record<string, unknown>): number {
  type Cpu = { cpu_usage: { total_usage: number; percpu_usage?: number[] }; system_cpu_usage: number; online_cpus: number };
  const cur = dockerStats.cpu_stats as Cpu;
  const pre = dockerStats.precpu_stats as Cpu;
  const cpuDelta = cur.cpu_usage.total_usage - pre.cpu_usage.total_usage;
  const systemDelta = cur.system_cpu_usage - pre.system_cpu_usage;
  const cpus = cur.online_cpus || cur.cpu_usage.percpu_usage?.length || 0;
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
}

/** what the docker CLI prints as MEM USAGE: usage without the inactive page cache */
export function memoryUsageNoCache(dockerStats: Record<string, unknown>): number {
  const mem = dockerStats.memory_stats as { usage: number; stats: Record<string, number> };
  const inactive = mem.stats.total_inactive_file ?? mem.stats.inactive_file ?? 0;
  return inactive < mem.usage ? mem.usage - inactive : mem.usage;
}
