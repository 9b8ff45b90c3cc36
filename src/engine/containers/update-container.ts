// `docker update` (POST /containers/{id}/update): new resource limits and restart policy for a container
// that exists, running or not. The stored HostConfig changes (so the limits hold from the next start on,
// engine restarts included), and a running or paused container's cgroup is rewritten at once by
// `runc update`, which writes memory.limit_in_bytes, cpu.cfs_quota_us, pids.max, ... (v1) or memory.max,
// cpu.max, pids.max (v2) of the live cgroup: the processes keep running under the new limits.
// Pure: what the new HostConfig is (dockerd's container.UpdateContainer: a field set in the request
// replaces the stored one, 0 leaves it; the same conflicts, in the same words) and what runc is told
// (dockerd's toContainerdResources: only what the request sets).
import { AppError, failedPrecondition } from '../../core/errors.js';
import type { ContainerUpdateBody, HostConfig } from '../docker-model.js';
import type { SpecResources } from '../oci-runtime-spec.js';
import { CPU_PERIOD } from './oci-spec/resource-opts.js';

/** dockerd's wrapping of every refusal that comes after the request's own checks */
export function cannotUpdate(id: string, err: unknown): AppError {
  const reason = err instanceof Error ? err.message : String(err);
  const code = err instanceof AppError ? err.code : 'INTERNAL';
  return new AppError(code, `Cannot update container ${id}: ${reason}`, { suggestions: err instanceof AppError ? err.suggestions : [], cause: err });
}

/** the container's HostConfig after the update; throws dockerd's conflicts (without the "Cannot update" prefix) */
export function applyUpdate(current: HostConfig, update: ContainerUpdateBody): HostConfig {
  const next: HostConfig = { ...current };
  // --cpus is period and quota in one: once one way is in use, the other cannot be updated
  if ((update.NanoCpus ?? 0) > 0 && (current.CpuPeriod ?? 0) > 0) fail('Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set');
  if ((update.NanoCpus ?? 0) > 0 && (current.CpuQuota ?? 0) > 0) fail('Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set');
  if ((update.CpuPeriod ?? 0) > 0 && (current.NanoCpus ?? 0) > 0) fail('Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
  if ((update.CpuQuota ?? 0) > 0 && (current.NanoCpus ?? 0) > 0) fail('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');

  for (const field of ['BlkioWeight', 'CpuShares', 'NanoCpus', 'CpuPeriod', 'CpuQuota', 'MemorySwap', 'MemoryReservation', 'KernelMemory'] as const) {
    if (update[field]) next[field] = update[field];
  }
  if (update.CpusetCpus) next.CpusetCpus = update.CpusetCpus;
  if (update.CpusetMems) next.CpusetMems = update.CpusetMems;
  if (update.Memory) {
    // memory.memsw.limit_in_bytes is memory + swap and may not be below memory: a new memory limit above
    // the stored memory+swap needs a new --memory-swap too (dockerd compares with the stored value, 0 if
    // none, so -m alone is refused for a container made without -m)
    if (update.Memory > storedSwap(current) && !update.MemorySwap) {
      fail('Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
    }
    next.Memory = update.Memory;
  }
  // 0 and below mean "no limit"; dockerd keeps 0 for it
  if (update.PidsLimit !== undefined && update.PidsLimit !== null) next.PidsLimit = update.PidsLimit > 0 ? update.PidsLimit : 0;
  const policy = update.RestartPolicy;
  if (policy?.Name) {
    if (policy.Name !== 'no' && current.AutoRemove) {
      throw failedPrecondition('Restart policy cannot be updated because AutoRemove is enabled for the container', {
        suggestions: ['a --rm container is removed when it exits, so it cannot be restarted: run a new one without --rm'],
      });
    }
    next.RestartPolicy = { Name: policy.Name, MaximumRetryCount: policy.MaximumRetryCount ?? 0 };
  }
  return next;
}

/** memory+swap as stored; containers created before boxlab stored dockerd's default (2 x memory) had 0 there */
function storedSwap(hc: HostConfig): number {
  const memory = hc.Memory ?? 0;
  return memory > 0 && !hc.MemorySwap ? memory * 2 : (hc.MemorySwap ?? 0);
}

/** dockerd's conflictingUpdateOptions: a 409 */
function fail(message: string): never {
  throw failedPrecondition(message);
}

/**
 * What `runc update --resources -` is given: only the limits the request sets (runc leaves a field it is
 * given as 0 unchanged). --memory-swap -1 is passed on (unlimited swap at once; dockerd only stores it).
 */
export function runcUpdateResources(update: ContainerUpdateBody): SpecResources {
  const out: SpecResources = {};
  const memory: NonNullable<SpecResources['memory']> = {};
  if (update.Memory) memory.limit = update.Memory;
  if (update.MemoryReservation) memory.reservation = update.MemoryReservation;
  if (update.MemorySwap && (update.MemorySwap > 0 || update.MemorySwap === -1)) memory.swap = update.MemorySwap;
  if (Object.keys(memory).length > 0) out.memory = memory;
  const cpu: NonNullable<SpecResources['cpu']> = {};
  if (update.CpuShares) cpu.shares = update.CpuShares;
  if (update.NanoCpus) {
    cpu.period = CPU_PERIOD;
    cpu.quota = Math.round((update.NanoCpus * CPU_PERIOD) / 1e9);
  } else {
    if (update.CpuQuota) cpu.quota = update.CpuQuota;
    if (update.CpuPeriod) cpu.period = update.CpuPeriod;
  }
  if (update.CpusetCpus) cpu.cpus = update.CpusetCpus;
  if (update.CpusetMems) cpu.mems = update.CpusetMems;
  if (Object.keys(cpu).length > 0) out.cpu = cpu;
  // runc writes "max" for -1; 0 would mean "leave it"
  if (update.PidsLimit !== undefined && update.PidsLimit !== null) out.pids = { limit: update.PidsLimit > 0 ? update.PidsLimit : -1 };
  if (update.BlkioWeight) out.blockIO = { weight: update.BlkioWeight };
  return out;
}

/**
 * Why `runc update` failed, in dockerd's words: runc's error line is logrus text (time="..." level=error
 * msg="failed to write ...: invalid argument"), and core/exec put the command line in front of it
 */
export function runcUpdateReason(failure: string): string {
  const text = failure.replace(/^\S*runc .*? update --resources - \S+ failed: /, '');
  const line = text.split('\n').reverse().find((l) => /level=error/.test(l));
  const quoted = line ? /msg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1] : undefined;
  let reason = text;
  if (quoted !== undefined) {
    try {
      reason = JSON.parse(`"${quoted}"`) as string;
    } catch {
      reason = quoted;
    }
  }
  return `runc did not terminate successfully: exit status 1: ${reason}`;
}

/** nothing for runc to write: a restart policy alone, or limits this kernel discarded */
export function touchesCgroup(resources: SpecResources): boolean {
  return Object.keys(resources).length > 0;
}
