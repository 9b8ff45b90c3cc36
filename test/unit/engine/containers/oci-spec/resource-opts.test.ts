import assert from 'node:assert/strict';
import { defaultSpec } from '../../../../../src/engine/containers/oci-spec/default-spec.js';
import { resourcesFromHostConfig, rlimitsFromUlimits, withResources } from '../../../../../src/engine/containers/oci-spec/resource-opts.js';

const MiB = 1024 * 1024;

describe('withResources', () => {
  it('-m 64m gives a 64m limit and as much swap again (memory.swap = 128m)', () => {
    assert.deepEqual(resourcesFromHostConfig({ Memory: 64 * MiB }).memory, { limit: 64 * MiB, swap: 128 * MiB });
  });

  it('--memory-swap -1 is unlimited swap; a larger value is memory+swap', () => {
    assert.equal(resourcesFromHostConfig({ Memory: 64 * MiB, MemorySwap: -1 }).memory!.swap, -1);
    assert.equal(resourcesFromHostConfig({ Memory: 64 * MiB, MemorySwap: 100 * MiB }).memory!.swap, 100 * MiB);
  });

  it('--cpus 1.5 is quota 150000 per period 100000; shares and cpuset pass through', () => {
    assert.deepEqual(resourcesFromHostConfig({ NanoCpus: 1.5e9, CpuShares: 512, CpusetCpus: '0-1' }).cpu, {
      period: 100000,
      quota: 150000,
      shares: 512,
      cpus: '0-1',
    });
  });

  it('--pids-limit 50 sets pids.limit; 0 and -1 mean unlimited', () => {
    assert.deepEqual(resourcesFromHostConfig({ PidsLimit: 50 }).pids, { limit: 50 });
    assert.equal(resourcesFromHostConfig({ PidsLimit: -1 }).pids, undefined);
    assert.equal(resourcesFromHostConfig({ PidsLimit: 0 }).pids, undefined);
    assert.deepEqual(resourcesFromHostConfig({}), {});
  });

  it('--ulimit replaces the default RLIMIT_NOFILE and adds others', () => {
    const r = rlimitsFromUlimits(
      [
        { Name: 'nofile', Soft: 1024, Hard: 2048 },
        { Name: 'nproc', Soft: 10, Hard: 10 },
      ],
      [{ type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576 }],
    );
    assert.deepEqual(r, [
      { type: 'RLIMIT_NOFILE', soft: 1024, hard: 2048 },
      { type: 'RLIMIT_NPROC', soft: 10, hard: 10 },
    ]);
    assert.throws(() => rlimitsFromUlimits([{ Name: 'nofile', Soft: 5, Hard: 1 }]), /soft limit/);
  });

  it('keeps the device rules already in the spec', () => {
    const s = withResources({ Memory: 64 * MiB })(defaultSpec());
    assert.ok(s.linux.resources!.devices!.length > 5);
    assert.equal(s.linux.resources!.memory!.limit, 64 * MiB);
  });
});
