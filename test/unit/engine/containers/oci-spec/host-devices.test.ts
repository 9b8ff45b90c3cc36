import assert from 'node:assert/strict';
import { defaultSpec } from '../../../../../src/engine/containers/oci-spec/default-spec.js';
import { listHostDevices, splitDev, withAllHostDevices, withDevices } from '../../../../../src/engine/containers/oci-spec/host-devices.js';
import { isAppError } from '../../../../../src/core/errors.js';

const HOST = [
  { path: '/dev/fuse', type: 'c' as const, major: 10, minor: 229, fileMode: 0o600, uid: 0, gid: 0 },
  { path: '/dev/loop0', type: 'b' as const, major: 7, minor: 0, fileMode: 0o600, uid: 0, gid: 0 },
];

describe('host devices (--device, --privileged)', () => {
  it('splitDev decodes dev_t like glibc', () => {
    assert.deepEqual(splitDev(0x103), { major: 1, minor: 3 });
    assert.deepEqual(splitDev(0x8801), { major: 136, minor: 1 });
    assert.deepEqual(splitDev(0x10300), { major: 259, minor: 0 });
    assert.deepEqual(splitDev(0x100000), { major: 0, minor: 256 });
  });

  it('lists the host /dev with /dev/null as c 1:3, without pts, shm or console', async () => {
    const devices = await listHostDevices();
    const nul = devices.find((d) => d.path === '/dev/null');
    assert.deepEqual(nul && { type: nul.type, major: nul.major, minor: nul.minor }, { type: 'c', major: 1, minor: 3 });
    assert.ok(!devices.some((d) => d.path.startsWith('/dev/pts/') || d.path === '/dev/console'));
  });

  it('--device /dev/fuse adds the node and a cgroup rule; a custom container path is kept', () => {
    const s = withDevices([{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/myfuse', CgroupPermissions: 'rw' }], HOST)(defaultSpec());
    assert.deepEqual(s.linux.devices, [{ ...HOST[0], path: '/dev/myfuse' }]);
    assert.deepEqual(s.linux.resources!.devices!.at(-1), { allow: true, type: 'c', major: 10, minor: 229, access: 'rw' });
  });

  it('--device of a missing host device is Docker\'s error', () => {
    assert.throws(
      () => withDevices([{ PathOnHost: '/dev/nope', PathInContainer: '/dev/nope', CgroupPermissions: 'rwm' }], HOST)(defaultSpec()),
      (e) => isAppError(e, 'INVALID_ARGUMENT') && /adding custom device "\/dev\/nope": no such file or directory/.test(e.message),
    );
  });

  it('--privileged gets every host device', () => {
    assert.deepEqual(withAllHostDevices(HOST)(defaultSpec()).linux.devices!.map((d) => d.path), ['/dev/fuse', '/dev/loop0']);
  });
});
