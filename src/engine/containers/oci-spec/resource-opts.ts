// Resource limits (`docker run -m --memory-swap --cpus --cpu-shares --cpuset-cpus --pids-limit --ulimit`)
// become linux.resources and process.rlimits; runc writes them into the container's cgroup (memory,
// cpu, cpuset, pids controllers) before the process starts. The values were checked when the container
// was created (resource-checks.ts, with Docker's messages): this only translates them.
import { invalidArgument } from '../../../core/errors.js';
import type { HostConfig } from '../../docker-model.js';
import type { RuntimeSpec, SpecResources, SpecRlimit } from '../../oci-runtime-spec.js';

/** the CFS period Docker uses for --cpus: 100 ms */
export const CPU_PERIOD = 100000;

/** HostConfig resources (checked at create by checkResources) -> linux.resources, without devices */
export function resourcesFromHostConfig(hc: HostConfig): Omit<SpecResources, 'devices'> {
  const out: Omit<SpecResources, 'devices'> = {};
  const memory = hc.Memory ?? 0;
  const swap = hc.MemorySwap ?? 0;
  const mem: NonNullable<SpecResources['memory']> = {};
  if (memory > 0) {
    mem.limit = memory;
    // memory.swap in the OCI spec is memory+swap; Docker's default gives as much swap as memory
    mem.swap = swap === -1 ? -1 : swap > 0 ? swap : memory * 2;
  }
  if (hc.MemoryReservation && hc.MemoryReservation > 0) mem.reservation = hc.MemoryReservation;
  if (hc.MemorySwappiness !== undefined && hc.MemorySwappiness !== null && hc.MemorySwappiness >= 0) mem.swappiness = hc.MemorySwappiness;
  if (hc.OomKillDisable) mem.disableOOMKiller = true;
  if (Object.keys(mem).length > 0) out.memory = mem;

  const cpu: NonNullable<SpecResources['cpu']> = {};
  if (hc.NanoCpus && hc.NanoCpus > 0) {
    // --cpus 1.5 = 150 ms of CPU time every 100 ms period
    cpu.period = CPU_PERIOD;
    cpu.quota = Math.round((hc.NanoCpus * CPU_PERIOD) / 1e9);
  } else {
    if (hc.CpuQuota && hc.CpuQuota > 0) cpu.quota = hc.CpuQuota;
    if (hc.CpuPeriod && hc.CpuPeriod > 0) cpu.period = hc.CpuPeriod;
  }
  if (hc.CpuShares && hc.CpuShares > 0) cpu.shares = hc.CpuShares;
  if (hc.CpusetCpus) cpu.cpus = hc.CpusetCpus;
  if (hc.CpusetMems) cpu.mems = hc.CpusetMems;
  if (Object.keys(cpu).length > 0) out.cpu = cpu;

  // 0 and -1 both mean unlimited in API 1.41
  if (hc.PidsLimit && hc.PidsLimit > 0) out.pids = { limit: hc.PidsLimit };
  return out;
}

/** --ulimit nofile=1024:2048 -> RLIMIT_NOFILE; a ulimit replaces the default of the same type */
export function rlimitsFromUlimits(ulimits: HostConfig['Ulimits'], defaults: SpecRlimit[] = []): SpecRlimit[] {
  const byType = new Map(defaults.map((r) => [r.type, r]));
  for (const u of ulimits ?? []) {
    if (!/^[a-z]+$/i.test(u.Name)) throw invalidArgument(`invalid ulimit type: ${u.Name}`);
    if (u.Soft > u.Hard) throw invalidArgument(`ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`);
    const type = `RLIMIT_${u.Name.toUpperCase()}`;
    byType.set(type, { type, soft: u.Soft, hard: u.Hard });
  }
  return [...byType.values()];
}

/**
 * Docker gives containers RLIMIT_NOFILE 1048576, but raising a hard limit above one's own needs
 * CAP_SYS_RESOURCE, which an engine in a sandbox may lack (runc then fails with "error setting rlimit
 * type 7: operation not permitted"); so the default is lowered to the engine's own hard limit.
 */
export function withDefaultNofileCap(maxNofile: number | undefined) {
  return (spec: RuntimeSpec): RuntimeSpec => {
    if (maxNofile === undefined) return spec;
    const rlimits = (spec.process.rlimits ?? []).map((r) =>
      r.type === 'RLIMIT_NOFILE' && r.hard > maxNofile ? { type: r.type, hard: maxNofile, soft: Math.min(r.soft, maxNofile) } : r,
    );
    return { ...spec, process: { ...spec.process, rlimits } };
  };
}

export function withResources(hc: HostConfig) {
  return (spec: RuntimeSpec): RuntimeSpec => ({
    ...spec,
    process: { ...spec.process, rlimits: rlimitsFromUlimits(hc.Ulimits, spec.process.rlimits ?? []) },
    linux: { ...spec.linux, resources: { ...spec.linux.resources, ...resourcesFromHostConfig(hc) } },
  });
}
