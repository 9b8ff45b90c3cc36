import assert from 'node:assert/strict';
import { mountsUnder, parseMountPoints } from '../../../../src/engine/containers/mount-table.js';

const MOUNTINFO = `22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
40 22 0:40 / /var/lib/boxlab/snapshots/containers/abc/merged rw shared:2 - overlay overlay rw,lowerdir=/x
41 22 0:41 / /var/lib/boxlab-other/x rw - tmpfs tmpfs rw
42 40 0:42 / /var/lib/boxlab/snapshots/containers/abc/merged/with\\040space rw - tmpfs tmpfs rw
`;

describe('mount table', () => {
  it('decodes mount points and lists the ones under a folder, deepest first', () => {
    assert.ok(parseMountPoints(MOUNTINFO).includes('/var/lib/boxlab/snapshots/containers/abc/merged/with space'));
    assert.deepEqual(mountsUnder(MOUNTINFO, '/var/lib/boxlab'), [
      '/var/lib/boxlab/snapshots/containers/abc/merged/with space',
      '/var/lib/boxlab/snapshots/containers/abc/merged',
    ]);
  });
});
