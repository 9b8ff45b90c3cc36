import assert from 'node:assert/strict';
import { OPAQUE_MARKER, parseOpaqueDirs, whiteoutFor } from '../../../../../src/engine/images/bake/overlay-layer.js';

describe('overlay upper -> OCI layer', () => {
  it('names the whiteout of a deleted entry .wh.<name> next to it', () => {
    assert.equal(whiteoutFor('/u/etc/motd'), '/u/etc/.wh.motd');
    assert.equal(whiteoutFor('/u/var/lib/dpkg/info'), '/u/var/lib/dpkg/.wh.info');
    assert.equal(OPAQUE_MARKER, '.wh..wh..opq');
  });

  it('finds opaque folders in getfattr output', () => {
    const out = [
      '# file: /tmp/u/etc/nginx',
      'trusted.overlay.opaque="y"',
      '',
      '# file: /tmp/u/opt/with space',
      'trusted.overlay.opaque="y"',
      '',
      '# file: /tmp/u/var',
      'trusted.overlay.origin=0sAPsdAAF',
      '',
    ].join('\n');
    assert.deepEqual(parseOpaqueDirs(out), ['/tmp/u/etc/nginx', '/tmp/u/opt/with space']);
    assert.deepEqual(parseOpaqueDirs(''), []);
  });
});

describe('mount points under a folder', () => {
  it('reads them from mountinfo, decoding escaped spaces, and ignores look-alike siblings', async () => {
    const { mountPointsUnder } = await import('../../../../../src/engine/images/bake/safe-remove.js');
    const info = [
      '22 1 8:1 / / rw - ext4 /dev/vda rw',
      '90 22 0:50 / /tmp/bake/merged rw - overlay overlay rw',
      '91 90 0:51 / /tmp/bake/merged/dev rw - tmpfs tmpfs rw',
      '92 22 0:52 / /tmp/bake-other rw - tmpfs tmpfs rw',
      '93 22 0:53 / /tmp/bake/with\\040space rw - tmpfs tmpfs rw',
    ].join('\n');
    assert.deepEqual(mountPointsUnder(info, '/tmp/bake'), ['/tmp/bake/merged', '/tmp/bake/merged/dev', '/tmp/bake/with space']);
    assert.deepEqual(mountPointsUnder(info, '/srv'), []);
  });
});
