import assert from 'node:assert/strict';
import type { Stats } from 'node:fs';
import { isAppError } from '../../../../../src/core/errors.js';
import { blockIOFromHostConfig, resolveBlockDevices } from '../../../../../src/engine/containers/oci-spec/block-io.js';

/** a stat double: /dev/vda is block device 254:0, /dev/loop1 is 7:1, /dev/null a character device */
const DEVICES: Record<string, { block: boolean; rdev: number }> = {
  '/dev/vda': { block: true, rdev: (254 << 8) | 0 },
  '/dev/loop1': { block: true, rdev: (7 << 8) | 1 },
  '/dev/null': { block: false, rdev: (1 << 8) | 3 },
};
const fakeStat = async (p: string): Promise<Stats> => {
  const d = DEVICES[p];
  if (!d) throw Object.assign(new Error(`ENOENT: no such file or directory, stat '${p}'`), { code: 'ENOENT' });
  return { isBlockDevice: () => d.block, rdev: d.rdev } as unknown as Stats;
};

describe('block I/O limits: device paths -> linux.resources.blockIO', () => {
  it('looks up each device once and carries major:minor with the rate', async () => {
    const hc = {
      BlkioWeight: 300,
      BlkioDeviceReadBps: [{ Path: '/dev/vda', Rate: 2097152 }],
      BlkioDeviceWriteBps: [{ Path: '/dev/loop1', Rate: 1048576 }],
      BlkioDeviceWriteIOps: [{ Path: '/dev/vda', Rate: 100 }],
      BlkioWeightDevice: [{ Path: '/dev/loop1', Weight: 50 }],
    };
    const devices = await resolveBlockDevices(hc, fakeStat);
    assert.deepEqual(devices, { '/dev/loop1': { major: 7, minor: 1 }, '/dev/vda': { major: 254, minor: 0 } });
    assert.deepEqual(blockIOFromHostConfig(hc, devices), {
      weight: 300,
      weightDevice: [{ major: 7, minor: 1, weight: 50 }],
      throttleReadBpsDevice: [{ major: 254, minor: 0, rate: 2097152 }],
      throttleWriteBpsDevice: [{ major: 7, minor: 1, rate: 1048576 }],
      throttleWriteIOPSDevice: [{ major: 254, minor: 0, rate: 100 }],
    });
  });

  it('nothing asked, nothing in the spec', async () => {
    assert.equal(blockIOFromHostConfig({}, await resolveBlockDevices({}, fakeStat)), undefined);
  });

  it('a missing device in dockerd\'s words; a character device refused, naming the flag', async () => {
    await assert.rejects(resolveBlockDevices({ BlkioDeviceWriteBps: [{ Path: '/dev/sdz', Rate: 1 }] }, fakeStat), (e) => isAppError(e, 'INVALID_ARGUMENT') && e.message === 'stat /dev/sdz: no such file or directory');
    await assert.rejects(resolveBlockDevices({ BlkioDeviceReadIOps: [{ Path: '/dev/null', Rate: 1 }] }, fakeStat), /\/dev\/null is not a block device: --device-read-iops/);
  });
});
