import assert from 'node:assert/strict';
import { defaultSpec, DEFAULT_MASKED_PATHS } from '../../../../../src/engine/containers/oci-spec/default-spec.js';

describe('defaultSpec', () => {
  const spec = defaultSpec();

  it('gives the 14 capabilities Docker gives', () => {
    const caps = spec.process.capabilities!;
    assert.deepEqual(
      [...caps.bounding].sort(),
      ['CAP_AUDIT_WRITE', 'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_MKNOD', 'CAP_NET_BIND_SERVICE', 'CAP_NET_RAW', 'CAP_SETFCAP', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_SETUID', 'CAP_SYS_CHROOT'],
    );
    assert.deepEqual(caps.effective, caps.bounding);
    assert.deepEqual(caps.permitted, caps.bounding);
    assert.ok(!caps.bounding.includes('CAP_SYS_ADMIN'));
  });

  it('mounts /proc, /dev, /dev/pts, /dev/shm (64m), /dev/mqueue, /sys and /sys/fs/cgroup read-only', () => {
    const byDest = new Map(spec.mounts.map((m) => [m.destination, m]));
    assert.deepEqual([...byDest.keys()].sort(), ['/dev', '/dev/mqueue', '/dev/pts', '/dev/shm', '/proc', '/sys', '/sys/fs/cgroup']);
    assert.ok(byDest.get('/dev/shm')!.options!.includes(`size=${64 * 1024 * 1024}`));
    assert.ok(byDest.get('/sys')!.options!.includes('ro'));
    assert.ok(byDest.get('/sys/fs/cgroup')!.options!.includes('ro'));
  });

  it('masks kcore and keys, makes /proc/sys read-only', () => {
    assert.ok(spec.linux.maskedPaths!.includes('/proc/kcore'));
    assert.ok(spec.linux.maskedPaths!.includes('/proc/keys'));
    assert.deepEqual(spec.linux.maskedPaths, DEFAULT_MASKED_PATHS);
    assert.ok(spec.linux.readonlyPaths!.includes('/proc/sys'));
  });

  it('has new pid, ipc, uts, mount and network namespaces, RLIMIT_NOFILE 1048576, noNewPrivileges false', () => {
    assert.deepEqual(spec.linux.namespaces.map((n) => n.type).sort(), ['ipc', 'mount', 'network', 'pid', 'uts']);
    assert.deepEqual(spec.process.rlimits, [{ type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576 }]);
    assert.equal(spec.process.noNewPrivileges, false);
  });

  it('the device cgroup denies everything first, then allows /dev/null and the pts', () => {
    const rules = spec.linux.resources!.devices!;
    assert.deepEqual(rules[0], { allow: false, access: 'rwm' });
    assert.ok(rules.some((r) => r.allow && r.type === 'c' && r.major === 1 && r.minor === 3));
    assert.ok(rules.some((r) => r.allow && r.type === 'c' && r.major === 136 && r.minor === undefined));
  });

  it('returns a fresh object each time', () => {
    const a = defaultSpec();
    a.process.capabilities!.bounding.push('CAP_SYS_ADMIN');
    a.mounts.pop();
    assert.equal(defaultSpec().process.capabilities!.bounding.length, 14);
    assert.equal(defaultSpec().mounts.length, 7);
  });
});
