import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CgroupReader, cgroupDirs } from '../../../../src/engine/cgroups/cgroup-reader.js';
import { isAppError } from '../../../../src/core/errors.js';
import { fakeV1, fakeV2, writeTree } from './fake-cgroup-tree.js';

const NOW = new Date('2026-11-23T10:00:00.000Z');

describe('CgroupReader', () => {
  const roots: string[] = [];
  const track = (r: string) => (roots.push(r), r);
  after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  describe('cgroup v1 (hybrid, like this host)', () => {
    it('detects v1 and hybrid', async () => {
      const reader = new CgroupReader({ root: track(fakeV1()) });
      assert.equal(await reader.version(), 1);
      assert.equal(await reader.isHybrid(), true);
    });

    it('reads memory, cpu, pids and blkio', async () => {
      const stats = await new CgroupReader({ root: track(fakeV1()) }).stats('/boxlab/c1', NOW);
      assert.deepEqual(stats.memory, {
        usage: 454656,
        limit: 33554432,
        maxUsage: 2777088,
        oomKills: 0,
        failcnt: 0,
        stats: { cache: 4096, rss: 53248, total_inactive_file: 4096, total_rss: 53248, hierarchical_memory_limit: 33554432 },
      });
      assert.equal(stats.cpu.totalNs, 15964717);
      assert.deepEqual(stats.cpu.perCpuNs, [9334992, 6629725]);
      assert.equal(stats.cpu.userNs, 1e7);
      assert.deepEqual(stats.cpu.throttling, { periods: 10, throttledPeriods: 2, throttledTimeNs: 5000 });
      assert.deepEqual(stats.pids, { current: 2, limit: 20 });
      assert.deepEqual(stats.blkio.ioServiceBytes.slice(0, 2), [
        { major: 8, minor: 0, op: 'Read', value: 4096 },
        { major: 8, minor: 0, op: 'Write', value: 8192 },
      ]);
      assert.equal(stats.read, NOW.toISOString());
    });

    it('an unlimited v1 memory cgroup has no limit', async () => {
      const root = track(fakeV1());
      writeFileSync(path.join(root, 'memory/boxlab/c1/memory.limit_in_bytes'), '9223372036854771712\n');
      assert.equal((await new CgroupReader({ root }).stats('/boxlab/c1')).memory.limit, undefined);
    });

    it('readOomKilled reads oom_kill from memory.oom_control', async () => {
      const root = track(fakeV1());
      const reader = new CgroupReader({ root });
      assert.equal(await reader.readOomKilled('/boxlab/c1'), false);
      writeFileSync(path.join(root, 'memory/boxlab/c1/memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n');
      assert.equal(await reader.readOomKilled('/boxlab/c1'), true);
      assert.equal(await reader.readOomKilled('/boxlab/gone'), false, 'a deleted cgroup is not an error');
    });

    it('pids lists cgroup.procs of the cgroup and its children', async () => {
      assert.deepEqual(await new CgroupReader({ root: track(fakeV1()) }).pids('/boxlab/c1'), [10228, 10240, 10250]);
    });

    it('a relative cgroupsPath is nested under the engine\'s own cgroup per controller', async () => {
      const root = track(fakeV1('process_api/s1/boxlab/c1'));
      const proc = path.join(track(mkdtempSync(path.join(os.tmpdir(), 'boxlab-cgroups-proc-'))), 'cgroup');
      writeFileSync(proc, '9:name=systemd:/\n8:pids:/process_api/s1\n4:memory:/process_api/s1\n2:cpuacct:/process_api/s1\n1:cpu:/process_api/s1\n0::/\n');
      const reader = new CgroupReader({ root, procSelfCgroup: proc });
      const d = await reader.dirs('boxlab/c1');
      assert.equal(d.version === 1 && d.dirs.memory, path.join(root, 'memory/process_api/s1/boxlab/c1'));
      assert.equal((await reader.stats('boxlab/c1')).memory.usage, 454656);
    });

    it('stats of a missing cgroup is FAILED_PRECONDITION', async () => {
      await assert.rejects(new CgroupReader({ root: track(fakeV1()) }).stats('/boxlab/nope'), (e) => isAppError(e, 'FAILED_PRECONDITION'));
    });
  });

  describe('cgroup v2 (Debian 12 VM)', () => {
    it('detects v2', async () => {
      const reader = new CgroupReader({ root: track(fakeV2()) });
      assert.equal(await reader.version(), 2);
      assert.equal(await reader.isHybrid(), false);
    });

    it('reads memory.current/max/events, cpu.stat, pids and io.stat', async () => {
      const stats = await new CgroupReader({ root: track(fakeV2()) }).stats('/boxlab/c1', NOW);
      assert.equal(stats.version, 2);
      assert.equal(stats.memory.usage, 1048576);
      assert.equal(stats.memory.limit, undefined, '"max" is no limit');
      assert.equal(stats.memory.oomKills, 1);
      assert.equal(stats.memory.stats.inactive_file, 131072);
      assert.equal(stats.cpu.totalNs, 2500000);
      assert.equal(stats.cpu.perCpuNs, undefined);
      assert.deepEqual(stats.pids, { current: 1, limit: undefined });
      assert.deepEqual(stats.blkio.ioServiceBytes, [
        { major: 254, minor: 0, op: 'read', value: 4096 },
        { major: 254, minor: 0, op: 'write', value: 0 },
      ]);
    });

    it('readOomKilled reads memory.events oom_kill; pids from cgroup.procs', async () => {
      const reader = new CgroupReader({ root: track(fakeV2()) });
      assert.equal(await reader.readOomKilled('/boxlab/c1'), true);
      assert.deepEqual(await reader.pids('/boxlab/c1'), [321]);
    });
  });

  it('no cgroup filesystem at the root is a clear error', async () => {
    const root = track(mkdtempSync(path.join(os.tmpdir(), 'boxlab-cgroups-none-')));
    writeTree(root, { 'README': 'nothing here' });
    await assert.rejects(new CgroupReader({ root }).version(), /no cgroup filesystem found/);
  });

  it('cgroupDirs refuses systemd slices and ".."', () => {
    assert.throws(() => cgroupDirs('/sys/fs/cgroup', 2, 'system.slice:boxlab:c1', {}), /systemd slice/);
    assert.throws(() => cgroupDirs('/sys/fs/cgroup', 2, '/boxlab/../../etc', {}), /must not contain/);
    assert.deepEqual(cgroupDirs('/sys/fs/cgroup', 2, '/boxlab/c1', {}), { version: 2, dir: '/sys/fs/cgroup/boxlab/c1' });
  });
});
