// What the engine reads from a container's cgroup, the same shape for v1 and v2. The container
// service turns it into Docker's stats JSON with toDockerStats (docker-stats.ts).
import type { BlkioEntry } from './cgroup-files.js';

export type CgroupVersion = 1 | 2;

export interface CgroupStats {
  version: CgroupVersion;
  /** ISO time of the reading */
  read: string;
  memory: {
    /** bytes in use (v1 memory.usage_in_bytes, v2 memory.current) */
    usage: number;
    /** bytes; undefined = no limit */
    limit?: number;
    /** v1 memory.max_usage_in_bytes (v2 has no such file) */
    maxUsage?: number;
    /** times the kernel OOM killer killed a process in this cgroup */
    oomKills: number;
    failcnt?: number;
    /** memory.stat as numbers */
    stats: Record<string, number>;
  };
  cpu: {
    /** nanoseconds of CPU time used, all CPUs (v1 cpuacct.usage, v2 cpu.stat usage_usec * 1000) */
    totalNs: number;
    /** v1 cpuacct.usage_percpu */
    perCpuNs?: number[];
    userNs?: number;
    systemNs?: number;
    throttling?: { periods: number; throttledPeriods: number; throttledTimeNs: number };
  };
  pids: { current: number; limit?: number };
  blkio: { ioServiceBytes: BlkioEntry[] };
}
