// The data disk's cache key (data-disk-cache.ts): made from the baked images and the disk's format only,
// so a rebuild of the VM image after a code change finds the disk it built before.
import assert from 'node:assert/strict';
import { dataDiskKey, type DataDiskInputs } from '../../../../src/vm/images/data-disk-cache.js';

describe('data disk cache key', () => {
  // diff ids as bakedRecipeLayers reads them from the bake cache
  const inputs: DataDiskInputs = {
    size: '3G',
    busybox: '2089384:1681234567000',
    images: [
      { recipe: 'debian', layers: ['sha256:aa'] },
      { recipe: 'httpd', layers: ['sha256:aa', 'sha256:bb'] },
    ],
  };

  it('is 16 hex and does not depend on the order the images are listed in', () => {
    const key = dataDiskKey(inputs);
    assert.match(key, /^[0-9a-f]{16}$/);
    assert.equal(dataDiskKey({ ...inputs, images: [...inputs.images].reverse() }), key);
    assert.equal(dataDiskKey(structuredClone(inputs)), key);
  });

  it('changes when a baked layer, an image, busybox or the disk size changes', () => {
    const key = dataDiskKey(inputs);
    const others: DataDiskInputs[] = [
      { ...inputs, images: [inputs.images[0]!, { recipe: 'httpd', layers: ['sha256:aa', 'sha256:cc'] }] },
      { ...inputs, images: [inputs.images[0]!] },
      { ...inputs, images: [...inputs.images, { recipe: 'redis', layers: ['sha256:aa', 'sha256:dd'] }] },
      // the same layers under another recipe name are another image (its tag differs)
      { ...inputs, images: [inputs.images[0]!, { recipe: 'nginx', layers: ['sha256:aa', 'sha256:bb'] }] },
      { ...inputs, busybox: '2089384:1700000000000' },
      { ...inputs, size: '4G' },
    ];
    const keys = others.map(dataDiskKey);
    for (const k of keys) assert.notEqual(k, key);
    assert.equal(new Set(keys).size, keys.length);
  });
});
