// A spec from buildSpec, run by the real runc on a busybox rootfs: what the process inside sees.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { requires } from '../../helpers/requires.js';
import { BusyboxBundle } from './busybox-bundle.js';
import { findInitBinary } from '../../../src/engine/containers/oci-spec/find-init.js';

const MiB = 1024 * 1024;
/** capability bitmask in /proc/self/status for a set of capability numbers */
const mask = (bits: number[]) => bits.reduce((m, b) => m | (1n << BigInt(b)), 0n).toString(16).padStart(16, '0');
// CHOWN 0, DAC_OVERRIDE 1, FOWNER 3, FSETID 4, KILL 5, SETGID 6, SETUID 7, SETPCAP 8, NET_BIND_SERVICE 10,
// NET_RAW 13, SYS_CHROOT 18, MKNOD 27, AUDIT_WRITE 29, SETFCAP 31
const DOCKER_DEFAULT_MASK = mask([0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31]);

describe('spec builder + runc: what the container sees', function () {
  let bb: BusyboxBundle;

  before(async function () {
    requires(this, 'root', 'runc', 'busybox');
    bb = await new BusyboxBundle('spec').init();
  });

  after(async () => {
    if (!bb) return;
    await bb.cleanup();
  });

  it("has exactly Docker's 14 default capabilities", async () => {
    const r = await bb.run({ args: ['grep', 'Cap', '/proc/self/status'] });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`CapBnd:\\s+${DOCKER_DEFAULT_MASK}`));
    assert.match(r.stdout, new RegExp(`CapEff:\\s+${DOCKER_DEFAULT_MASK}`));
  });

  it('--cap-drop ALL leaves no effective capabilities; --cap-add NET_ADMIN adds bit 12', async () => {
    const none = await bb.run({ args: ['grep', 'CapEff', '/proc/self/status'], hostConfig: { CapDrop: ['ALL'] } });
    assert.match(none.stdout, /CapEff:\s+0000000000000000/);
    const admin = await bb.run({ args: ['grep', 'CapEff', '/proc/self/status'], hostConfig: { CapAdd: ['NET_ADMIN'] } });
    assert.match(admin.stdout, new RegExp(`CapEff:\\s+${mask([0, 1, 3, 4, 5, 6, 7, 8, 10, 12, 13, 18, 27, 29, 31])}`));
  });

  it('masks /proc/timer_list and /proc/keys (host info) and makes /proc/sys read-only', async () => {
    // /proc/kcore is masked too, but this kernel has none; these two exist here and are not empty on the host
    assert.ok((await fs.readFile('/proc/timer_list', 'utf8')).length > 0);
    const r = await bb.run({ args: ['sh', '-c', 'cat /proc/timer_list | wc -c; cat /proc/keys | wc -c; echo 1 > /proc/sys/kernel/domainname && echo wrote || echo refused'] });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.trim()), ['0', '0', 'refused']);
    const priv = await bb.run({ args: ['sh', '-c', 'cat /proc/timer_list | wc -c'], hostConfig: { Privileged: true } });
    assert.ok(Number(priv.stdout.trim()) > 0, '--privileged unmasks it');
  });

  it('--read-only: the rootfs cannot be written, /tmp on a tmpfs mount can', async () => {
    const r = await bb.run({
      args: ['sh', '-c', 'touch /x 2>/dev/null && echo root-writable || echo root-ro; touch /tmp/y && echo tmp-ok'],
      hostConfig: { ReadonlyRootfs: true },
      mounts: [{ destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['rw', 'nosuid', 'nodev', 'size=1m'] }],
    });
    assert.equal(r.stdout, 'root-ro\ntmp-ok');
    await assert.rejects(fs.stat(path.join(bb.rootfs, 'x')));
  });

  it('seccomp: the default profile refuses unshare (a new user namespace) without CAP_SYS_ADMIN', async () => {
    // an unprivileged process may normally create a user namespace; Docker's filter refuses the syscall
    const r = await bb.run({ args: ['sh', '-c', 'busybox unshare -U true && echo allowed || echo refused'] });
    assert.equal(r.stdout.trim().split('\n').at(-1), 'refused');
    const open = await bb.run({ args: ['sh', '-c', 'busybox unshare -U true && echo allowed || echo refused'], hostConfig: { SecurityOpt: ['seccomp=unconfined'] } });
    assert.equal(open.stdout.trim().split('\n').at(-1), 'allowed');
  });

  it('-m 16m: a memory hog is OOM-killed (exit 137)', async () => {
    const r = await bb.run({
      args: ['sh', '-c', 'x=a; while true; do x=$x$x$x$x; done'],
      hostConfig: { Memory: 16 * MiB, MemorySwap: 16 * MiB },
    });
    assert.equal(r.exitCode, 137);
  });

  it('--pids-limit 10: fork fails past the limit', async () => {
    const r = await bb.run({
      args: ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 5 & done 2>&1; wait'],
      hostConfig: { PidsLimit: 10 },
    });
    assert.match(r.stdout + r.stderr, /can't fork|Resource temporarily unavailable/);
  });

  it('--privileged sees the host devices; --device /dev/fuse adds one', async () => {
    const plain = await bb.run({ args: ['sh', '-c', 'ls /dev'] });
    assert.ok(!plain.stdout.split('\n').includes('loop0'));
    const priv = await bb.run({ args: ['sh', '-c', 'ls /dev'], hostConfig: { Privileged: true } });
    assert.equal(priv.exitCode, 0, priv.stderr);
    assert.ok(priv.stdout.split('\n').includes('loop0'), priv.stdout);
    const fuse = await bb.run({ args: ['sh', '-c', 'ls -l /dev/fuse'], hostConfig: { Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }] } });
    assert.match(fuse.stdout, /^c.* 10, *229 /);
  });

  it('-u nobody from the rootfs passwd, working dir and env', async () => {
    const r = await bb.run({ args: ['sh', '-c', 'id -u; id -g; pwd; echo $GREETING'], user: { uid: 65534, gid: 65534 }, cwd: '/tmp', env: ['PATH=/bin', 'GREETING=hi'] });
    assert.equal(r.stdout, '65534\n65534\n/tmp\nhi');
  });

  it('--init runs the command under docker-init (tini) as pid 1', async function () {
    requires(this, 'docker-init');
    const init = await findInitBinary();
    assert.ok(init, 'docker-init is on PATH but findInitBinary did not find it');
    const r = await bb.run({ args: ['sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "'], hostConfig: { Init: true }, initPath: init });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^\/sbin\/docker-init -- sh -c/);
  });

  it('leaves nothing in runc', async () => {
    for (const id of await bb.runcList()) await bb.delete(id);
    assert.deepEqual(await bb.runcList(), []);
  });
});
