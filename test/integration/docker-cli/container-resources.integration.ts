// The real docker CLI against boxlabd: resource limits (checked in HostConfig and in the cgroup files),
// OOM kill, the pids limit, capabilities, --privileged, --read-only and --init.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useEngine } from '../../helpers/engine-suite.js';
import { cgroupFile, cgroupV2 } from './cgroup-files.js';

/** the 14 capabilities Docker grants by default, as the bounding-set mask /proc/<pid>/status shows */
const DEFAULT_CAPS = 0xa80425fbn;
const capMask = (out: string) => BigInt('0x' + (/CapBnd:\s*([0-9a-f]+)/.exec(out)?.[1] ?? 'x'));

describe('docker CLI: resources and security', function () {
  this.timeout(60_000);
  const engine = useEngine({ removeAfterEach: 'containers' });
  const inspect = async (name: string) => JSON.parse(await engine.dockerOk(['inspect', name]))[0];

  it('-m, --memory-swap, --cpus, --cpu-shares, --cpuset-cpus, --pids-limit reach HostConfig and the cgroup', async () => {
    await engine.dockerOk([
      'run', '-d', '--name', 'rs-limits', '-m', '64m', '--memory-swap', '128m', '--cpus', '0.5', '--cpu-shares', '512',
      '--cpuset-cpus', '0', '--pids-limit', '50', 'busybox', 'sleep', '1000',
    ]);
    const c = await inspect('rs-limits');
    assert.equal(c.HostConfig.Memory, 64 * 1024 * 1024);
    assert.equal(c.HostConfig.MemorySwap, 128 * 1024 * 1024);
    assert.equal(c.HostConfig.NanoCpus, 500_000_000);
    assert.equal(c.HostConfig.CpuShares, 512);
    assert.equal(c.HostConfig.CpusetCpus, '0');
    assert.equal(c.HostConfig.PidsLimit, 50);
    const pid = c.State.Pid as number;
    if (cgroupV2()) {
      assert.equal(await cgroupFile(pid, 'memory', 'memory.max'), String(64 * 1024 * 1024));
      assert.equal(await cgroupFile(pid, 'memory', 'memory.swap.max'), String(64 * 1024 * 1024));
      assert.equal(await cgroupFile(pid, 'cpu', 'cpu.max'), '50000 100000');
      assert.equal(await cgroupFile(pid, 'pids', 'pids.max'), '50');
      assert.equal(await cgroupFile(pid, 'cpuset', 'cpuset.cpus'), '0');
    } else {
      assert.equal(await cgroupFile(pid, 'memory', 'memory.limit_in_bytes'), String(64 * 1024 * 1024));
      assert.equal(await cgroupFile(pid, 'cpu', 'cpu.cfs_quota_us'), '50000');
      assert.equal(await cgroupFile(pid, 'cpu', 'cpu.cfs_period_us'), '100000');
      assert.equal(await cgroupFile(pid, 'cpu', 'cpu.shares'), '512');
      assert.equal(await cgroupFile(pid, 'cpuset', 'cpuset.cpus'), '0');
      assert.equal(await cgroupFile(pid, 'pids', 'pids.max'), '50');
    }
    await engine.dockerOk(['rm', '-f', 'rs-limits']);
  });

  it('a memory hog under -m 16m is OOM-killed: exit 137, OOMKilled true', async () => {
    const res = await engine.docker(['run', '--name', 'rs-oom', '-m', '16m', '--memory-swap', '16m', 'busybox', 'sh', '-c', 'tail /dev/zero']);
    assert.equal(res.exitCode, 137, res.stderr);
    const state = (await inspect('rs-oom')).State;
    assert.equal(state.OOMKilled, true);
    assert.equal(state.ExitCode, 137);
    await engine.dockerOk(['rm', 'rs-oom']);
  });

  it('--pids-limit stops fork bombs: the shell cannot fork past the limit', async () => {
    const res = await engine.docker(['run', '--rm', '--pids-limit', '10', 'busybox', 'sh', '-c', 'for i in $(seq 20); do sleep 5 & done; wait']);
    assert.match(res.stderr, /can't fork/);
  });

  it('Docker\'s 14 default capabilities; --cap-drop, --cap-add and --privileged change them', async () => {
    const status = (args: string[]) => engine.dockerOk(['run', '--rm', ...args, 'busybox', 'grep', 'CapBnd', '/proc/self/status']);
    assert.equal(capMask(await status([])), DEFAULT_CAPS);
    assert.equal(capMask(await status(['--cap-drop', 'CHOWN'])), DEFAULT_CAPS & ~1n);
    assert.equal(capMask(await status(['--cap-add', 'SYS_ADMIN'])), DEFAULT_CAPS | (1n << 21n));
    // --privileged gives every capability the engine itself has (this sandbox's bounding set lacks
    // CAP_SYS_RESOURCE, so "all" is the host's bounding set, not every bit up to cap_last_cap)
    assert.equal(capMask(await status(['--privileged'])), capMask(readFileSync('/proc/self/status', 'utf8')));
    assert.ok(capMask(readFileSync('/proc/self/status', 'utf8')) > DEFAULT_CAPS);
  });

  it('--read-only makes the root filesystem read-only', async () => {
    const res = await engine.docker(['run', '--rm', '--read-only', 'busybox', 'touch', '/x']);
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /Read-only file system/);
  });

  it('--init runs an init process as pid 1 in front of the command', async () => {
    const out = await engine.dockerOk(['run', '--rm', '--init', 'busybox', 'cat', '/proc/1/comm']);
    assert.notEqual(out, 'cat');
    assert.match(out, /init|tini/);
  });

  it('--network none: its own network namespace with only loopback; --network host: the host\'s', async () => {
    assert.equal(await engine.dockerOk(['run', '--rm', '--network', 'none', 'busybox', 'ls', '/sys/class/net']), 'lo');
    const hostNet = await engine.dockerOk(['run', '--rm', '--network', 'host', 'busybox', 'readlink', '/proc/self/ns/net']);
    const { readlinkSync } = await import('node:fs');
    assert.equal(hostNet, readlinkSync('/proc/self/ns/net'));
  });
});
