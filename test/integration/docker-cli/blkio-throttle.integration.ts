// Block I/O throttles with the real docker CLI: `--device-write-bps` and friends reach HostConfig as
// dockerd 20.10 shows them and the container's blkio (v1) or io (v2) cgroup files hold the limits, the
// same lines as dockerd's container's; a missing device is refused in dockerd's words; a direct write to
// a throttled loop device is slowed.
import assert from 'node:assert/strict';
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { splitDev } from '../../../src/engine/containers/oci-spec/host-devices.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { cgroupFile, cgroupV2 } from './cgroup-files.js';

const BLKIO_FIELDS = ['BlkioWeight', 'BlkioWeightDevice', 'BlkioDeviceReadBps', 'BlkioDeviceWriteBps', 'BlkioDeviceReadIOps', 'BlkioDeviceWriteIOps'];

/** the first two block devices of this host (loop devices exist on any Debian host) */
function blockDevices(): string[] {
  const found: string[] = [];
  for (const name of ['loop0', 'loop1', 'vda', 'sda', 'nvme0n1', 'loop2']) {
    const p = `/dev/${name}`;
    try {
      if (statSync(p).isBlockDevice()) found.push(p);
    } catch {
      // not on this host
    }
  }
  return found.slice(0, 2);
}

const numbers = (dev: string) => {
  const { major, minor } = splitDev(statSync(dev).rdev);
  return `${major}:${minor}`;
};

describe('docker CLI: blkio throttles', function () {
  this.timeout(120_000);
  const engine = useEngine({ needs: ['dockerd'], removeAfterEach: 'containers' });
  let dockerd: ReferenceDockerd;
  let devs: string[];

  before(async function () {
    devs = blockDevices();
    if (devs.length < 2) this.skip();
    dockerd = await ReferenceDockerd.start('boxlab-blkio');
  });
  after(async function () {
    this.timeout(60_000);
    await dockerd?.stop();
  });

  it('the throttles reach HostConfig as dockerd shows them, and the cgroup files', async () => {
    const [a, b] = devs;
    const flags = ['--device-read-bps', `${a}:2mb`, '--device-write-bps', `${b}:1mb`, '--device-read-iops', `${b}:50`, '--device-write-iops', `${a}:100`, '--blkio-weight', '300'];
    const outputs = [];
    for (const docker of [(args: string[]) => engine.docker(args), (args: string[]) => dockerd.docker(args)]) {
      const created = await docker(['run', '-d', '--name', 'bt-limits', ...flags, 'busybox', 'sleep', '1000']);
      assert.equal(created.exitCode, 0, created.stderr);
      const [inspected] = JSON.parse((await docker(['inspect', 'bt-limits'])).stdout);
      const hc = inspected.HostConfig;
      // what the kernel holds for the container, as each engine's runc wrote it
      const files = cgroupV2() ? ['io.max'] : ['read_bps_device', 'write_bps_device', 'read_iops_device', 'write_iops_device'].map((f) => `blkio.throttle.${f}`);
      const cgroup = Object.fromEntries(await Promise.all(files.map(async (f) => [f, await cgroupFile(inspected.State.Pid, cgroupV2() ? 'io' : 'blkio', f)])));
      outputs.push({ stderr: created.stderr, hostConfig: Object.fromEntries(BLKIO_FIELDS.map((f) => [f, hc[f]])), cgroup });
      await docker(['rm', '-f', 'bt-limits']);
    }
    // the same warnings too (a --blkio-weight this kernel cannot apply is discarded by both), the same cgroup files
    assert.deepEqual(outputs[0], outputs[1]);

    await engine.dockerOk(['run', '-d', '--name', 'bt-files', ...flags, 'busybox', 'sleep', '1000']);
    const pid = Number((await engine.dockerOk(['inspect', '-f', '{{.State.Pid}}', 'bt-files'])).trim());
    if (cgroupV2()) {
      const max = await cgroupFile(pid, 'io', 'io.max');
      assert.match(max, new RegExp(`^${numbers(a)} rbps=2097152 wbps=max riops=max wiops=100$`, 'm'));
      assert.match(max, new RegExp(`^${numbers(b)} rbps=max wbps=1048576 riops=50 wiops=max$`, 'm'));
    } else {
      assert.equal(await cgroupFile(pid, 'blkio', 'blkio.throttle.read_bps_device'), `${numbers(a)} 2097152`);
      assert.equal(await cgroupFile(pid, 'blkio', 'blkio.throttle.write_bps_device'), `${numbers(b)} 1048576`);
      assert.equal(await cgroupFile(pid, 'blkio', 'blkio.throttle.read_iops_device'), `${numbers(b)} 50`);
      assert.equal(await cgroupFile(pid, 'blkio', 'blkio.throttle.write_iops_device'), `${numbers(a)} 100`);
    }
  });

  it('a device that does not exist: dockerd\'s words (its start fails; boxlabd refuses at create, no container left)', async () => {
    const flags = ['--device-write-bps', '/dev/boxlab-nosuch:1mb'];
    const id = (await dockerd.dockerOk(['create', ...flags, 'busybox', 'true'])).trim();
    const expected = (await dockerd.docker(['start', id])).stderr.trim().split('\n')[0];
    await dockerd.docker(['rm', '-f', id]);
    const res = await engine.docker(['create', ...flags, 'busybox', 'true']);
    assert.notEqual(res.exitCode, 0);
    assert.equal(res.stderr.trim(), expected);
    assert.equal(await engine.dockerOk(['ps', '-aq']), '');
  });

  it('a path that is not a block device is refused at create, naming the flag', async () => {
    const res = await engine.docker(['create', '--device-read-iops', '/dev/null:10', 'busybox', 'true']);
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /\/dev\/null is not a block device: --device-read-iops/);
  });

  it('a direct write of 3 MiB to a loop device throttled at 1 MiB/s takes at least 2 s', async () => {
    const file = path.join(engine.dir, 'loop.img');
    await fs.writeFile(file, Buffer.alloc(0));
    await fs.truncate(file, 16 * 1024 * 1024);
    const loop = (await run('losetup', ['--find', '--show', file])).stdout.trim();
    try {
      // seconds measured inside the container, so the container's start is not counted
      const script = 's=$(date +%s); dd if=/dev/zero of=' + loop + ' bs=1M count=3 oflag=direct 2>/dev/null; echo $(( $(date +%s) - s ))';
      const out = await engine.dockerOk(['run', '--rm', '--device', loop, '--device-write-bps', `${loop}:1mb`, 'busybox', 'sh', '-c', script]);
      assert.ok(Number(out.trim()) >= 2, `3 MiB at 1 MiB/s took ${out.trim()} s`);
    } finally {
      await run('losetup', ['-d', loop], { allowFailure: true });
    }
  });
});
