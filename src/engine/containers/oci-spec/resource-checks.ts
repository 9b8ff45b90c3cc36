// The resource limits Docker refuses (`docker create -m 5m`, `--memory-swap` without `-m`, `--cpus 64`
// on a 2-CPU host, `--blkio-weight 5`, ...), checked once when the create or update request arrives, so a
// bad value is a 400 of `docker create`/`docker update` and not a failed start. The order and the words
// are dockerd 20.10's (daemon/daemon_unix.go verifyPlatformContainerResources); the integration tests
// test/integration/docker-cli/resource-errors and container-update compare them with Debian's dockerd.
// As dockerd, a limit this kernel's cgroups cannot apply (a blkio weight without blkio.weight, kernel
// memory on cgroup v2) is discarded with a warning rather than refused. Pure: the host's facts come in
// (src/engine/host/host-facts.ts). resource-opts.ts then turns valid values into linux.resources, which
// runc writes into the cgroup.
import { invalidArgument } from '../../../core/errors.js';
import type { Resources } from '../../docker-model.js';
import type { CgroupFeatures, HostFacts } from '../../host/host-facts.js';

/** dockerd's linuxMinMemory: below 6 MiB a container would not even start */
export const MIN_MEMORY = 6 * 1024 * 1024;

/** what the checks need to know about the host; without cgroup features every controller file is taken as there */
export type ResourceHost = Pick<HostFacts, 'ncpu' | 'cpusetCpus' | 'cpusetMems'> & { cgroupFeatures?: CgroupFeatures };

/** the request's resources without what this kernel cannot apply, and dockerd's warnings about it */
export interface CheckedResources<T extends Resources> {
  resources: T;
  warnings: string[];
}

/**
 * throws dockerd's error for the first resource setting it refuses; update: the request of `docker
 * update`, which may give --memory-swap alone (the container's memory limit stays)
 */
export function checkResources<T extends Resources>(hc: T, host: ResourceHost, options: { update?: boolean } = {}): CheckedResources<T> {
  const resources: T = { ...hc };
  const warnings: string[] = [];
  const memory = hc.Memory ?? 0;
  const swap = hc.MemorySwap ?? 0;
  const reservation = hc.MemoryReservation ?? 0;
  const nanoCpus = hc.NanoCpus ?? 0;
  const period = hc.CpuPeriod ?? 0;
  const quota = hc.CpuQuota ?? 0;
  const features = host.cgroupFeatures;
  // dockerd's test is "not 0 and below 6MB": -1 is refused too, it is not "no limit"
  if (memory !== 0 && memory < MIN_MEMORY) fail('Minimum memory limit allowed is 6MB');
  if (memory > 0 && swap > 0 && swap < memory) fail('Minimum memoryswap limit should be larger than memory limit, see usage');
  // memory.swap is memory+swap: without a memory limit there is nothing to add swap to
  if (memory === 0 && swap > 0 && !options.update) fail('You should always set the Memory limit when using Memoryswap limit, see usage');
  const swappiness = hc.MemorySwappiness;
  if (swappiness !== undefined && swappiness !== null && swappiness !== -1 && (swappiness < 0 || swappiness > 100)) {
    fail(`Invalid value: ${swappiness}, valid memory swappiness range is 0-100`);
  }
  if (reservation > 0 && reservation < MIN_MEMORY) fail('Minimum memory reservation allowed is 6MB');
  if (memory > 0 && reservation > 0 && memory < reservation) fail('Minimum memory limit can not be less than memory reservation limit, see usage');
  // kmem.limit_in_bytes: deprecated since Linux 5.4, gone on cgroup v2; runc 1.1 no longer writes it
  if ((hc.KernelMemory ?? 0) > 0) {
    warnings.push('Specifying a kernel memory limit is deprecated and will be removed in a future release.');
    if (features && !features.kernelMemory) {
      warnings.push('Your kernel does not support kernel memory limit capabilities or the cgroup is not mounted. Limitation discarded.');
      resources.KernelMemory = 0;
    }
    if ((resources.KernelMemory ?? 0) > 0 && (resources.KernelMemory ?? 0) < MIN_MEMORY) fail('Minimum kernel memory limit allowed is 6MB');
  }
  if (hc.OomKillDisable && memory === 0 && !options.update) {
    warnings.push('OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.');
  }

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

  // blkio: the weight needs a proportional I/O scheduler (blkio.weight, io.weight); throttles need blk-throttle
  if ((hc.BlkioWeight ?? 0) > 0 && features && !features.blkioWeight) {
    warnings.push('Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.');
    resources.BlkioWeight = 0;
  }
  const weight = resources.BlkioWeight ?? 0;
  if (weight > 0 && (weight < 10 || weight > 1000)) fail('Range of blkio weight is from 10 to 1000');
  for (const d of hc.BlkioWeightDevice ?? []) {
    if (features && !features.blkioWeightDevice) break;
    if (d.Weight !== 0 && (d.Weight < 10 || d.Weight > 1000)) fail(`invalid weight for device: ${d.Path}:${d.Weight}`);
  }
  for (const [field, supported, text] of BLKIO_DEVICE_LISTS) {
    if ((hc[field]?.length ?? 0) > 0 && features && !features[supported]) {
      warnings.push(`Your kernel does not support ${text} or the cgroup is not mounted. ${DISCARDED[field]} discarded.`);
      resources[field] = [];
    }
  }
  return { resources, warnings };
}

/** the per-device lists, the cgroup file each needs, and how dockerd's warning names them */
const BLKIO_DEVICE_LISTS = [
  ['BlkioWeightDevice', 'blkioWeightDevice', 'Block I/O weight_device'],
  ['BlkioDeviceReadBps', 'blkioReadBps', 'BPS Block I/O read limit'],
  ['BlkioDeviceWriteBps', 'blkioWriteBps', 'BPS Block I/O write limit'],
  ['BlkioDeviceReadIOps', 'blkioReadIOps', 'IOPS Block read limit'],
  ['BlkioDeviceWriteIOps', 'blkioWriteIOps', 'IOPS Block write limit'],
] as const satisfies ReadonlyArray<readonly [keyof Resources, keyof CgroupFeatures, string]>;

const DISCARDED: Record<(typeof BLKIO_DEVICE_LISTS)[number][0], string> = {
  BlkioWeightDevice: 'Weight-device',
  BlkioDeviceReadBps: 'Block I/O BPS read limit',
  BlkioDeviceWriteBps: 'Block I/O BPS write limit',
  BlkioDeviceReadIOps: 'Block I/O IOPS read limit',
  BlkioDeviceWriteIOps: 'Block I/O IOPS write limit',
};

/**
 * The resources as dockerd stores them at create (its adaptContainerSettings, and the API router for
 * --pids-limit): -m alone allows as much swap again (MemorySwap = 2 x Memory), and a pids limit of 0 or
 * below is "no limit", kept as null
 */
export function adaptCreateResources<T extends Resources>(hc: T): T {
  const out: T = { ...hc };
  const memory = hc.Memory ?? 0;
  if (memory > 0 && !hc.MemorySwap) out.MemorySwap = memory * 2;
  if (typeof hc.PidsLimit === 'number' && hc.PidsLimit <= 0) delete out.PidsLimit;
  return out;
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
