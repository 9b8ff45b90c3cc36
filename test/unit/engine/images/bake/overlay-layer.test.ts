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
