import assert from 'node:assert/strict';
import { refuseUnsupportedFields } from '../../../../../src/engine/api/schemas/unsupported-fields.js';

describe('create body fields boxlabd would ignore are refused', () => {
  it("names the field, the docker flag and the compose key (compose 1.29's cgroup_parent)", () => {
    assert.throws(() => refuseUnsupportedFields({ Image: 'busybox', HostConfig: { CgroupParent: 'mine' } }), /HostConfig\.CgroupParent \(--cgroup-parent, compose key cgroup_parent\) is not supported by boxlab/);
    assert.throws(() => refuseUnsupportedFields({ HostConfig: { StorageOpt: { size: '1G' } } }), /compose key storage_opt/);
    assert.throws(() => refuseUnsupportedFields({ HostConfig: { Runtime: 'runsc' } }), /--runtime/);
    assert.throws(() => refuseUnsupportedFields({ MacAddress: '02:42:ac:11:00:09' }), /compose key mac_address/);
  });

  it('lets through the zero values clients send for options not given, and the one value boxlab implements', () => {
    // docker-compose 1.29 sends many HostConfig keys with null or empty values
    refuseUnsupportedFields({ Image: 'busybox', MacAddress: '', HostConfig: { CgroupParent: '', StorageOpt: null, Isolation: null, DeviceCgroupRules: [], CpuCount: 0, Runtime: 'runc', VolumeDriver: 'local', UsernsMode: 'host', Isolation2: 'x' } });
    refuseUnsupportedFields({ Image: 'busybox' });
    refuseUnsupportedFields({ Image: 'busybox', HostConfig: null });
  });
});
