import assert from 'node:assert/strict';
import { isAppError } from '../../../../../src/core/errors.js';
import type { HostConfig } from '../../../../../src/engine/docker-model.js';
import { adaptCreateResources, checkResources, parseCpuList } from '../../../../../src/engine/containers/oci-spec/resource-checks.js';

const MiB = 1024 * 1024;
/** the project's machine: 2 CPUs, one memory node */
const HOST = { ncpu: 2, cpusetCpus: '0-1', cpusetMems: '0' };

// the words are dockerd 20.10's (test/integration/docker-cli/resource-errors compares them live)
const REFUSED: Array<{ flags: string; hc: HostConfig; message: string }> = [
  { flags: '-m 5m', hc: { Memory: 5 * MiB }, message: 'Minimum memory limit allowed is 6MB' },
  { flags: 'Memory -1 (API only)', hc: { Memory: -1 }, message: 'Minimum memory limit allowed is 6MB' },
  { flags: '--memory-swap 1g', hc: { MemorySwap: 1024 * MiB }, message: 'You should always set the Memory limit when using Memoryswap limit, see usage' },
  { flags: '-m 64m --memory-swap 32m', hc: { Memory: 64 * MiB, MemorySwap: 32 * MiB }, message: 'Minimum memoryswap limit should be larger than memory limit, see usage' },
  { flags: 'MemorySwappiness 101 (API only)', hc: { MemorySwappiness: 101 }, message: 'Invalid value: 101, valid memory swappiness range is 0-100' },
  { flags: '--memory-reservation 5m', hc: { MemoryReservation: 5 * MiB }, message: 'Minimum memory reservation allowed is 6MB' },
  { flags: '-m 64m --memory-reservation 128m', hc: { Memory: 64 * MiB, MemoryReservation: 128 * MiB }, message: 'Minimum memory limit can not be less than memory reservation limit, see usage' },
  { flags: '--cpus 1 --cpu-period 50000', hc: { NanoCpus: 1e9, CpuPeriod: 50000 }, message: 'Conflicting options: Nano CPUs and CPU Period cannot both be set' },
  { flags: '--cpus 1 --cpu-quota 50000', hc: { NanoCpus: 1e9, CpuQuota: 50000 }, message: 'Conflicting options: Nano CPUs and CPU Quota cannot both be set' },
  { flags: '--cpus 3', hc: { NanoCpus: 3e9 }, message: 'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available' },
  { flags: '--cpus -1', hc: { NanoCpus: -1e9 }, message: 'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available' },
  { flags: '--cpu-shares -5', hc: { CpuShares: -5 }, message: 'shares: invalid argument' },
  { flags: '--cpu-period 500', hc: { CpuPeriod: 500 }, message: 'CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)' },
  { flags: '--cpu-quota 500', hc: { CpuQuota: 500 }, message: 'CPU cfs quota can not be less than 1ms (i.e. 1000)' },
  { flags: '--cpuset-cpus 5', hc: { CpusetCpus: '5' }, message: 'Requested CPUs are not available - requested 5, available: 0-1' },
  { flags: '--cpuset-cpus 1-99999999', hc: { CpusetCpus: '1-99999999' }, message: 'Requested CPUs are not available - requested 1-99999999, available: 0-1' },
  { flags: '--cpuset-cpus x', hc: { CpusetCpus: 'x' }, message: 'Invalid value x for cpuset cpus: invalid format: x' },
  { flags: '--cpuset-mems 3', hc: { CpusetMems: '3' }, message: 'Requested memory nodes are not available - requested 3, available: 0' },
  { flags: '--kernel-memory 5m', hc: { KernelMemory: 5 * MiB }, message: 'Minimum kernel memory limit allowed is 6MB' },
  { flags: '--blkio-weight 5', hc: { BlkioWeight: 5 }, message: 'Range of blkio weight is from 10 to 1000' },
];

const ACCEPTED: Array<{ flags: string; hc: HostConfig }> = [
  { flags: 'nothing', hc: {} },
  { flags: '-m 6m', hc: { Memory: 6 * MiB } },
  { flags: '-m 64m --memory-swap -1', hc: { Memory: 64 * MiB, MemorySwap: -1 } },
  { flags: '-m 64m --memory-swap 64m', hc: { Memory: 64 * MiB, MemorySwap: 64 * MiB } },
  { flags: '--memory-swappiness -1 (the API default)', hc: { MemorySwappiness: -1 } },
  { flags: '--cpus 2', hc: { NanoCpus: 2e9 } },
  { flags: '--cpu-period 100000 --cpu-quota 50000', hc: { CpuPeriod: 100000, CpuQuota: 50000 } },
  { flags: '--cpuset-cpus 0,1 --cpuset-mems 0', hc: { CpusetCpus: '0,1', CpusetMems: '0' } },
  { flags: '--pids-limit -5 (dockerd takes it as unlimited)', hc: { PidsLimit: -5 } },
];

describe('checkResources: the limits dockerd refuses at create', () => {
  for (const c of REFUSED) {
    it(`refuses ${c.flags}: ${c.message}`, () => {
      assert.throws(() => checkResources(c.hc, HOST), (e) => isAppError(e, 'INVALID_ARGUMENT') && e.message === c.message);
    });
  }
  for (const c of ACCEPTED) it(`accepts ${c.flags}`, () => checkResources(c.hc, HOST));

  it('reads the kernel\'s cpu list format, and nothing else', () => {
    assert.deepEqual(parseCpuList('0-2,5'), [[0, 2], [5, 5]]);
    for (const bad of ['', 'x', '2-1', '1,', '-1', '0-1-2']) assert.equal(parseCpuList(bad), undefined, bad);
  });
});

describe('checkResources: what this kernel cannot apply is discarded with dockerd\'s warning', () => {
  const NONE = { kernelMemory: false, blkioWeight: false, blkioWeightDevice: false, blkioReadBps: false, blkioWriteBps: false, blkioReadIOps: false, blkioWriteIOps: false };
  const ALL = { kernelMemory: true, blkioWeight: true, blkioWeightDevice: true, blkioReadBps: true, blkioWriteBps: true, blkioReadIOps: true, blkioWriteIOps: true };

  it('a blkio weight without blkio.weight (this project\'s v1 host): warned about and set to 0, before the range check', () => {
    const { resources, warnings } = checkResources({ BlkioWeight: 5 }, { ...HOST, cgroupFeatures: NONE });
    assert.equal(resources.BlkioWeight, 0);
    assert.deepEqual(warnings, ['Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.']);
  });

  it('per-device lists the kernel lacks are emptied, each with its warning; the ones it has stay', () => {
    const throttle = [{ Path: '/dev/vda', Rate: 1048576 }];
    const hc = { BlkioDeviceWriteBps: throttle, BlkioDeviceReadIOps: throttle, BlkioWeightDevice: [{ Path: '/dev/vda', Weight: 100 }] };
    const { resources, warnings } = checkResources(hc, { ...HOST, cgroupFeatures: { ...ALL, blkioWeightDevice: false, blkioReadIOps: false } });
    assert.deepEqual(resources.BlkioDeviceWriteBps, throttle);
    assert.deepEqual(resources.BlkioDeviceReadIOps, []);
    assert.deepEqual(resources.BlkioWeightDevice, []);
    assert.deepEqual(warnings, [
      'Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.',
      'Your kernel does not support IOPS Block read limit or the cgroup is not mounted. Block I/O IOPS read limit discarded.',
    ]);
  });

  it('kernel memory: always the deprecation warning; discarded where there is no kmem (cgroup v2)', () => {
    assert.deepEqual(checkResources({ KernelMemory: 10 * MiB }, { ...HOST, cgroupFeatures: ALL }).warnings, ['Specifying a kernel memory limit is deprecated and will be removed in a future release.']);
    const v2 = checkResources({ KernelMemory: 10 * MiB }, { ...HOST, cgroupFeatures: NONE });
    assert.equal(v2.resources.KernelMemory, 0);
    assert.equal(v2.warnings.length, 2);
  });

  it('--memory-swap alone is refused at create and allowed in an update (the container may have a memory limit)', () => {
    assert.throws(() => checkResources({ MemorySwap: 64 * MiB }, HOST), /You should always set the Memory limit/);
    assert.deepEqual(checkResources({ MemorySwap: 64 * MiB }, HOST, { update: true }).warnings, []);
  });

  it('stores -m alone with as much swap again, and --pids-limit 0 or -1 as no limit (null), as dockerd does at create', () => {
    assert.deepEqual(adaptCreateResources({ Memory: 64 * MiB }), { Memory: 64 * MiB, MemorySwap: 128 * MiB });
    assert.deepEqual(adaptCreateResources({ Memory: 64 * MiB, MemorySwap: -1 }), { Memory: 64 * MiB, MemorySwap: -1 });
    assert.deepEqual(adaptCreateResources({ PidsLimit: -1 }), {});
    assert.deepEqual(adaptCreateResources({ PidsLimit: 10 }), { PidsLimit: 10 });
  });
});
