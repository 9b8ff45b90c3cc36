import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readMountsUnder } from '../../../../src/engine/containers/mount-table.js';

const MOUNTINFO = `22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
40 22 0:40 / /var/lib/boxlab/snapshots/containers/abc/merged rw shared:2 - overlay overlay rw,lowerdir=/x
41 22 0:41 / /var/lib/boxlab-other/x rw - tmpfs tmpfs rw
42 40 0:42 / /var/lib/boxlab/snapshots/containers/abc/merged/with\\040space rw - tmpfs tmpfs rw
`;

describe('mount table', () => {
  it('lists the mount points under a folder, deepest first, names decoded', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-containers-unit-mi-'));
    try {
      await fs.writeFile(path.join(dir, 'mountinfo'), MOUNTINFO);
      assert.deepEqual(await readMountsUnder('/var/lib/boxlab', path.join(dir, 'mountinfo')), [
        '/var/lib/boxlab/snapshots/containers/abc/merged/with space',
        '/var/lib/boxlab/snapshots/containers/abc/merged',
      ]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
