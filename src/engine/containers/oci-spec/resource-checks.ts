// The resource limits Docker refuses (`docker create -m 5m`, `--memory-swap` without `-m`, `--cpus 64`
// on a 2-CPU host, ...), checked once when the create request arrives, so a bad value is a 400 of
// `docker create` and not a failed start. The order and the words are dockerd 20.10's
// (daemon/daemon_unix.go verifyPlatformContainerResources); the integration test
// test/integration/docker-cli/resource-errors compares them with Debian's dockerd. Pure: the host's CPU
// facts come in (src/engine/host/host-facts.ts). resource-opts.ts then turns valid values into
// linux.resources, which runc writes into the cgroup.
import { invalidArgument } from '../../../core/errors.js';
import type { HostConfig } from '../../docker-model.js';
import type { HostFacts } from '../../host/host-facts.js';

/** dockerd's linuxMinMemory: below 6 MiB a container would not even start */
export const MIN_MEMORY = 6 * 1024 * 1024;

/** what the checks need to know about the host */
export type ResourceHost = Pick<HostFacts, 'ncpu' | 'cpusetCpus' | 'cpusetMems'>;

/** throws dockerd's error for the first resource setting it refuses */
export function checkResources(hc: HostConfig, host: ResourceHost): void {
  const memory = hc.Memory ?? 0;
  const swap = hc.MemorySwap ?? 0;
  const reservation = hc.MemoryReservation ?? 0;
  const nanoCpus = hc.NanoCpus ?? 0;
  const period = hc.CpuPeriod ?? 0;
  const quota = hc.CpuQuota ?? 0;
  // dockerd's test is "not 0 and below 6MB": -1 is refused too, it is not "no limit"
  if (memory !== 0 && memory < MIN_MEMORY) fail('Minimum memory limit allowed is 6MB');
  if (memory > 0 && swap > 0 && swap < memory) fail('Minimum memoryswap limit should be larger than memory limit, see usage');
  // memory.swap is memory+swap: without a memory limit there is nothing to add swap to
  if (memory === 0 && swap > 0) fail('You should always set the Memory limit when using Memoryswap limit, see usage');
  const swappiness = hc.MemorySwappiness;
  if (swappiness !== undefined && swappiness !== null && swappiness !== -1 && (swappiness < 0 || swappiness > 100)) {
    fail(`Invalid value: ${swappiness}, valid memory swappiness range is 0-100`);
  }
  if (reservation > 0 && reservation < MIN_MEMORY) fail('Minimum memory reservation allowed is 6MB');
  if (memory > 0 && reservation > 0 && memory < reservation) fail('Minimum memory limit can not be less than memory reservation limit, see usage');

  // --cpus is a CFS quota per 100 ms period: it cannot be given together with its own parts
  if (nanoCpus > 0 && period > 0) fail('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nanoCpus > 0 && quota > 0) fail('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (nanoCpus < 0 || nanoCpus > host.ncpu * 1e9) {
    fail(`Range of CPUs is from 0.01 to ${host.ncpu}.00, as there are only ${host.ncpu} CPUs available`);
  }
  // dockerd lets a negative weight through and its start fails with these words; refused here at create
  if ((hc.CpuShares ?? 0) < 0) fail('shares: invalid argument');
  if (period !== 0 && (period < 1000 || period > 1000000)) fail('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  if (quota > 0 && quota < 1000) fail('CPU cfs quota can not be less than 1ms (i.e. 1000)');

  checkCpuset(hc.CpusetCpus, host.cpusetCpus, 'cpus', 'CPUs');
  checkCpuset(hc.CpusetMems, host.cpusetMems, 'mems', 'memory nodes');
}

function fail(message: string): never {
  throw invalidArgument(message);
}

/** --cpuset-cpus "0-1,3": each CPU (or memory node) named must be one the host's root cpuset has */
function checkCpuset(requested: string | undefined, available: string, field: 'cpus' | 'mems', noun: string): void {
  if (!requested) return;
  const wanted = parseCpuList(requested);
  if (!wanted) fail(`Invalid value ${requested} for cpuset ${field}: invalid format: ${requested}`);
  const have = parseCpuList(available) ?? [];
  const covered = (n: number) => have.some(([lo, hi]) => n >= lo && n <= hi);
  const top = Math.max(-1, ...have.map(([, hi]) => hi));
  for (const [lo, hi] of wanted) {
    // a number above the host's highest is missing: no need to walk a huge range to know it
    if (hi > top) fail(`Requested ${noun} are not available - requested ${requested}, available: ${available}`);
    for (let n = lo; n <= hi; n++) if (!covered(n)) fail(`Requested ${noun} are not available - requested ${requested}, available: ${available}`);
  }
}

/** "0-2,5" -> [[0,2],[5,5]], the kernel's list format (moby's parsers.ParseUintList); undefined when malformed */
export function parseCpuList(list: string): Array<[number, number]> | undefined {
  const out: Array<[number, number]> = [];
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) return undefined;
    out.push([lo, hi]);
  }
  return out;
}
