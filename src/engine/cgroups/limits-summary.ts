// One line on a container's cgroup limits for the cgroup.limits trace event, e.g.
// "memory.limit 64 MiB (memory+swap 128 MiB), cpu quota 150000 us per 100000 us (1.5 CPUs), pids.max 50,
// blkio write 1048576 B/s on 7:0".
import type { SpecResources } from '../oci-runtime-spec.js';

const mib = (b: number) => (b % (1024 * 1024) === 0 ? `${b / 1024 / 1024} MiB` : `${b} bytes`);

export function cgroupLimitsSummary(resources: SpecResources | undefined): string {
  const parts: string[] = [];
  const mem = resources?.memory;
  if (mem?.limit) {
    const swap = mem.swap === -1 ? 'unlimited swap' : mem.swap ? `memory+swap ${mib(mem.swap)}` : '';
    parts.push(`memory.limit ${mib(mem.limit)}${swap ? ` (${swap})` : ''}`);
  }
  const cpu = resources?.cpu;
  if (cpu?.quota && cpu.period) parts.push(`cpu quota ${cpu.quota} us per ${cpu.period} us (${+(cpu.quota / cpu.period).toFixed(2)} CPUs)`);
  if (cpu?.shares) parts.push(`cpu.shares ${cpu.shares}`);
  if (cpu?.cpus) parts.push(`cpuset.cpus ${cpu.cpus}`);
  if (resources?.pids?.limit) parts.push(`pids.max ${resources.pids.limit}`);
  const io = resources?.blockIO;
  if (io?.weight) parts.push(`blkio weight ${io.weight}`);
  const rates = [
    ['read', io?.throttleReadBpsDevice, 'B/s'],
    ['write', io?.throttleWriteBpsDevice, 'B/s'],
    ['read', io?.throttleReadIOPSDevice, 'IOPS'],
    ['write', io?.throttleWriteIOPSDevice, 'IOPS'],
  ] as const;
  for (const [dir, list, unit] of rates) for (const d of list ?? []) parts.push(`blkio ${dir} ${d.rate} ${unit} on ${d.major}:${d.minor}`);
  return parts.length > 0 ? parts.join(', ') : 'no limits: the container may use all of the host\'s memory and CPU';
}
