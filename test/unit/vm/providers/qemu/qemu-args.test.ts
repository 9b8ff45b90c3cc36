// buildQemuArgs and the small pure helpers of the qemu provider (lima's qemu_test.go style).
import assert from 'node:assert/strict';
import { buildQemuArgs, labMac, labMulticast, type QemuMachine } from '../../../../../src/vm/providers/qemu/qemu-args.js';
import { parseInfoSnapshots } from '../../../../../src/vm/providers/qemu/qmp-client.js';
import { isSshBanner, lastLines } from '../../../../../src/vm/providers/qemu/ssh-readiness.js';

const base: QemuMachine = {
  name: 'lab1', vmDir: '/h/vms/lab1', accel: 'tcg', cpus: 2, memoryMiB: 1024,
  kernel: '/c/vmlinux', initrd: '/c/initrd.cpio', disk: '/h/vms/lab1/disk.qcow2', sshPort: 40222,
  fwCfg: { hostname: '/h/vms/lab1/hostname', authorized_keys: '/h/vms/lab1/authorized_keys' },
};

function flag(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name ? [args[i + 1]!] : []));
}

describe('buildQemuArgs', () => {
  it('builds a TCG machine with only the listed devices, PVH kernel and a forwarded sshd on 127.0.0.1', () => {
    const a = buildQemuArgs(base);
    assert.ok(a.includes('-nodefaults') && a.includes('-no-user-config') && a.includes('-daemonize'));
    assert.deepEqual(flag(a, '-machine'), ['pc']);
    assert.deepEqual(flag(a, '-accel'), ['tcg,tb-size=256'], 'a 256 MiB translation cache, not QEMU 7.2\'s 1 GiB');
    assert.deepEqual(flag(a, '-cpu'), ['Nehalem']);
    assert.deepEqual(flag(a, '-append'), ['console=ttyS0 rdinit=/init quiet panic=-1 mitigations=off']);
    assert.deepEqual(flag(a, '-smp'), ['2']);
    assert.deepEqual(flag(a, '-m'), ['1024M']);
    assert.deepEqual(flag(a, '-display'), ['none']);
    assert.deepEqual(flag(a, '-serial'), ['file:/h/vms/lab1/serial.log']);
    assert.deepEqual(flag(a, '-qmp'), ['unix:/h/vms/lab1/qmp.sock,server=on,wait=off']);
    assert.deepEqual(flag(a, '-kernel'), ['/c/vmlinux']);
    assert.deepEqual(flag(a, '-drive'), ['file=/h/vms/lab1/disk.qcow2,format=qcow2,if=virtio,cache=unsafe']);
    assert.deepEqual(flag(a, '-netdev'), ['user,id=net0,hostfwd=tcp:127.0.0.1:40222-:22']);
    assert.deepEqual(flag(a, '-fw_cfg'), ['name=opt/boxlab/authorized_keys,file=/h/vms/lab1/authorized_keys', 'name=opt/boxlab/hostname,file=/h/vms/lab1/hostname']);
    assert.equal(flag(a, '-loadvm').length, 0);
    assert.ok(!a.join(' ').includes('0.0.0.0'), 'nothing listens beyond loopback');
  });

  it('uses the host cpu under KVM, resumes a snapshot with -loadvm, and adds the lab NIC', () => {
    const a = buildQemuArgs({ ...base, accel: 'kvm', loadvm: 'clean', labNetwork: { mcast: '230.0.1.2:21000', mac: '52:54:00:aa:bb:cc' } });
    assert.deepEqual(flag(a, '-machine'), ['pc,accel=kvm']);
    assert.equal(flag(a, '-accel').length, 0);
    assert.deepEqual(flag(a, '-cpu'), ['host']);
    assert.deepEqual(flag(a, '-append'), ['console=ttyS0 rdinit=/init quiet panic=-1'], 'the guest kernel keeps its mitigations under KVM');
    assert.deepEqual(flag(a, '-loadvm'), ['clean']);
    assert.deepEqual(flag(a, '-netdev'), ['user,id=net0,hostfwd=tcp:127.0.0.1:40222-:22', 'socket,id=lab0,mcast=230.0.1.2:21000']);
    assert.deepEqual(flag(a, '-device').slice(-1), ['virtio-net-pci,netdev=lab0,mac=52:54:00:aa:bb:cc']);
  });

  it('refuses fw_cfg keys that would escape opt/boxlab/', () => {
    assert.throws(() => buildQemuArgs({ ...base, fwCfg: { '../x': '/f' } }), /invalid fw_cfg key/);
  });

  it('gives each vm a stable MAC and each lab network one multicast group', () => {
    assert.match(labMac('n1'), /^52:54:00(:[0-9a-f]{2}){3}$/);
    assert.equal(labMac('n1'), labMac('n1'));
    assert.notEqual(labMac('n1'), labMac('n2'));
    assert.equal(labMulticast('labnet'), labMulticast('labnet'));
    assert.match(labMulticast('labnet'), /^230\.0\.\d+\.\d+:\d+$/);
    // one home's lab network is not another's: the same name in two homes gives two groups
    assert.equal(labMulticast('l30-swarm', '/home/a/vms'), labMulticast('l30-swarm', '/home/a/vms'));
    assert.notEqual(labMulticast('l30-swarm', '/home/a/vms'), labMulticast('l30-swarm', '/tmp/ci/vms'));
  });
});

describe('qemu helpers', () => {
  it('reads snapshot tags from `qemu-img snapshot -l` (recorded from qemu-img 7.2 on this machine)', () => {
    const recorded = [
      'Snapshot list:',
      'ID        TAG               VM SIZE                DATE     VM CLOCK     ICOUNT',
      '1         clean                 0 B 2026-11-23 18:59:10 00:00:00.000          0',
      '2         step-2                0 B 2026-11-23 18:59:10 00:00:00.000          0',
    ].join('\n');
    assert.deepEqual(parseInfoSnapshots(recorded), ['clean', 'step-2']);
    assert.deepEqual(parseInfoSnapshots(''), []);
  });

  it('tells an SSH banner from slirp accepting the connection, and keeps the last console lines', () => {
    assert.equal(isSshBanner('SSH-2.0-dropbear_2022.83\r\n'), true);
    assert.equal(isSshBanner(''), false);
    assert.equal(isSshBanner(undefined), false);
    assert.deepEqual(lastLines('a\r\n\nb\nc\n', 2), ['b', 'c']);
  });
});
