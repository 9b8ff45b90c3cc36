import assert from 'node:assert/strict';
import { mountsUnder, parseMountinfo, unescapeMountinfo } from '../../../../src/engine/snapshots/mountinfo.js';

// recorded on the project's machine (Debian 12, cgroup v1 hybrid), plus an overlay and a bind with a
// space in its path as the engine makes them
const RECORDED = `22 27 0:21 / /proc rw,relatime - proc proc rw
24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334492k,nr_inodes=3083623,mode=755
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime shared:12 - cgroup cgroup rw,cpu
401 27 0:88 / /tmp/boxlab/snapshots/containers/abc/merged rw,relatime - overlay overlay rw,lowerdir=/tmp/boxlab/l/Ab:/tmp/boxlab/l/Cd,upperdir=/tmp/boxlab/snapshots/containers/abc/upper,workdir=/tmp/boxlab/snapshots/containers/abc/work
402 401 254:1 /data/my\\040files /tmp/boxlab/snapshots/containers/abc/merged/data rw,relatime master:3 - ext4 /dev/vda1 rw
`;

describe('parseMountinfo', () => {
  const mounts = parseMountinfo(RECORDED);

  it('reads every field of a line', () => {
    assert.equal(mounts.length, 6);
    assert.deepEqual(mounts[3], {
      id: 32,
      parentId: 31,
      device: '0:29',
      root: '/',
      mountPoint: '/sys/fs/cgroup/cpu',
      mountOptions: ['rw', 'relatime'],
      optionalFields: ['shared:12'],
      fsType: 'cgroup',
      source: 'cgroup',
      superOptions: ['rw', 'cpu'],
    });
  });

  it('keeps overlay super options (the layer dirs) and unescapes \\040', () => {
    assert.equal(mounts[4].fsType, 'overlay');
    assert.ok(mounts[4].superOptions.includes('lowerdir=/tmp/boxlab/l/Ab:/tmp/boxlab/l/Cd'));
    assert.equal(mounts[5].root, '/data/my files');
    assert.equal(unescapeMountinfo('a\\040b\\011c\\134'), 'a b\tc\\');
  });

  it('refuses a line without the " - " separator', () => {
    assert.throws(() => parseMountinfo('1 2 0:1 / /x rw\n'), /malformed mountinfo line/);
  });

  it('mountsUnder: at or below the prefix, deepest first, not siblings with the same prefix', () => {
    const under = mountsUnder(mounts, '/tmp/boxlab/snapshots/containers/abc/merged/');
    assert.deepEqual(under.map((m) => m.id), [402, 401]);
    assert.deepEqual(mountsUnder(mounts, '/sys/fs/cgroup/cp').map((m) => m.id), []);
  });
});
