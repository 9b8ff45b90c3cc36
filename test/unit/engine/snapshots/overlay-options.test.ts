import assert from 'node:assert/strict';
import { fitsMountData, overlayMountOptions, shortLinkName } from '../../../../src/engine/snapshots/overlay-options.js';

describe('overlayMountOptions', () => {
  it('lists lower dirs top-most first, then upperdir and workdir', () => {
    assert.deepEqual(overlayMountOptions({ lowerdirs: ['/l/top', '/l/base'], upperdir: '/c/upper', workdir: '/c/work' }), [
      'lowerdir=/l/top:/l/base',
      'upperdir=/c/upper',
      'workdir=/c/work',
    ]);
  });

  it('one layer: lowerdir alone is valid, read-only overlay has no upper', () => {
    assert.deepEqual(overlayMountOptions({ lowerdirs: ['/l/only'] }), ['lowerdir=/l/only']);
    assert.throws(() => overlayMountOptions({ lowerdirs: [] }), /at least one lower dir/);
    assert.throws(() => overlayMountOptions({ lowerdirs: ['/a'], upperdir: '/u' }), /workdir/);
  });

  it('escapes the separators overlayfs would split on', () => {
    assert.deepEqual(overlayMountOptions({ lowerdirs: ['/l/a:b', '/l/c,d'] }), ['lowerdir=/l/a\\:b:/l/c\\,d']);
  });

  it('fitsMountData: 4096 bytes including the NUL', () => {
    assert.equal(fitsMountData(['x'.repeat(4095)]), true);
    assert.equal(fitsMountData(['x'.repeat(4096)]), false);
    assert.equal(fitsMountData(['a'.repeat(2000), 'b'.repeat(2094)]), true, 'joined with one comma');
    const layers = Array.from({ length: 50 }, (_, i) => `/var/lib/boxlab/images/layers/${'f'.repeat(63)}${i % 10}/fs`);
    assert.equal(fitsMountData(overlayMountOptions({ lowerdirs: layers, upperdir: '/u', workdir: '/w' })), false, '50 layers with full paths do not fit');
  });

  it('shortLinkName is short, stable and differs per folder', () => {
    assert.equal(shortLinkName('/a'), shortLinkName('/a'));
    assert.notEqual(shortLinkName('/a'), shortLinkName('/b'));
    assert.match(shortLinkName('/a'), /^[A-Za-z0-9]{10}$/);
  });
});
