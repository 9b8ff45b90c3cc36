import assert from 'node:assert/strict';
import { isAppError } from '../../../../src/core/errors.js';
import type { HostConfig } from '../../../../src/engine/docker-model.js';
import { applyUpdate, cannotUpdate, runcUpdateReason, runcUpdateResources } from '../../../../src/engine/containers/update-container.js';

const MiB = 1024 * 1024;

describe('docker update: the new HostConfig (dockerd\'s container.UpdateContainer)', () => {
  // the words are dockerd 20.10's (test/integration/docker-cli/container-update compares them live)
  const CONFLICTS: Array<{ what: string; current: HostConfig; update: HostConfig; message: string }> = [
    { what: '-m above the stored memory+swap', current: { Memory: 64 * MiB, MemorySwap: 128 * MiB }, update: { Memory: 200 * MiB }, message: 'Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time' },
    { what: '-m on a container made without one', current: {}, update: { Memory: 64 * MiB }, message: 'Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time' },
    { what: '--cpus over --cpu-period', current: { CpuPeriod: 50000 }, update: { NanoCpus: 1e9 }, message: 'Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set' },
    { what: '--cpus over --cpu-quota', current: { CpuQuota: 50000 }, update: { NanoCpus: 1e9 }, message: 'Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set' },
    { what: '--cpu-period over --cpus', current: { NanoCpus: 1e9 }, update: { CpuPeriod: 50000 }, message: 'Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set' },
    { what: '--cpu-quota over --cpus', current: { NanoCpus: 1e9 }, update: { CpuQuota: 50000 }, message: 'Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set' },
    { what: '--restart always with --rm', current: { AutoRemove: true }, update: { RestartPolicy: { Name: 'always' } }, message: 'Restart policy cannot be updated because AutoRemove is enabled for the container' },
  ];
  for (const c of CONFLICTS) {
    it(`refuses ${c.what} (a 409)`, () => {
      assert.throws(() => applyUpdate(c.current, c.update), (e) => isAppError(e, 'FAILED_PRECONDITION') && e.message === c.message);
    });
  }

  it('a field set replaces the stored one; 0 and absent leave it', () => {
    const current: HostConfig = { Memory: 64 * MiB, MemorySwap: 128 * MiB, CpuShares: 1024, PidsLimit: 50, CpusetCpus: '0-1', RestartPolicy: { Name: 'no' } };
    const next = applyUpdate(current, { Memory: 100 * MiB, CpuShares: 0, CpusetCpus: '0', RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } });
    assert.deepEqual(next, { Memory: 100 * MiB, MemorySwap: 128 * MiB, CpuShares: 1024, PidsLimit: 50, CpusetCpus: '0', RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } });
    assert.deepEqual(current.CpusetCpus, '0-1', 'the stored config is not changed in place');
  });

  it('--pids-limit -1 or 0 is stored as 0 (no limit), and runc is told -1 (it writes "max")', () => {
    assert.equal(applyUpdate({ PidsLimit: 50 }, { PidsLimit: -1 }).PidsLimit, 0);
    assert.deepEqual(runcUpdateResources({ PidsLimit: 0 }).pids, { limit: -1 });
  });

  it('a container stored with -m only (MemorySwap 0, before dockerd\'s default was stored) counts 2 x memory', () => {
    assert.equal(applyUpdate({ Memory: 64 * MiB }, { Memory: 100 * MiB }).Memory, 100 * MiB);
  });

  it('runc is told only what the request sets, --cpus as a quota per 100 ms', () => {
    assert.deepEqual(runcUpdateResources({ Memory: 100 * MiB, MemorySwap: 200 * MiB, NanoCpus: 5e8, CpuShares: 256, BlkioWeight: 300 }), {
      memory: { limit: 100 * MiB, swap: 200 * MiB },
      cpu: { shares: 256, period: 100000, quota: 50000 },
      blockIO: { weight: 300 },
    });
    assert.deepEqual(runcUpdateResources({ RestartPolicy: { Name: 'always' } }), {});
  });

  it('wraps refusals in dockerd\'s "Cannot update container <id>", keeping the status', () => {
    const err = cannotUpdate('abc', applyUpdateError());
    assert.equal(err.message, 'Cannot update container abc: Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
    assert.equal(err.code, 'FAILED_PRECONDITION');
    assert.equal(cannotUpdate('abc', new Error('boom')).code, 'INTERNAL');
  });

  it('reads runc\'s reason out of its logrus lines (recorded from runc 1.1.5 on cgroup v1)', () => {
    const stderr = [
      'runc --root /r update --resources - 3138 failed: time="2026-12-06T11:25:02Z" level=warning msg="Setting back cgroup configs failed due to error: failed to write \\"33554432\\": write /sys/fs/cgroup/memory/boxlab/3138/memory.memsw.limit_in_bytes: invalid argument, your state.json and actual configs might be inconsistent."',
      'time="2026-12-06T11:25:02Z" level=error msg="failed to write \\"33554432\\": write /sys/fs/cgroup/memory/boxlab/3138/memory.memsw.limit_in_bytes: invalid argument"',
    ].join('\n');
    assert.equal(runcUpdateReason(stderr), 'runc did not terminate successfully: exit status 1: failed to write "33554432": write /sys/fs/cgroup/memory/boxlab/3138/memory.memsw.limit_in_bytes: invalid argument');
    assert.equal(runcUpdateReason('container not running'), 'runc did not terminate successfully: exit status 1: container not running');
  });
});

function applyUpdateError(): unknown {
  try {
    applyUpdate({ NanoCpus: 1e9 }, { CpuQuota: 50000 });
  } catch (err) {
    return err;
  }
  return undefined;
}
