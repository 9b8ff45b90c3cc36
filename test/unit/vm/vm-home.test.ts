import assert from 'node:assert/strict';
import { boxlabCache, boxlabHome, vmImagesCache, vmsDir } from '../../../src/vm/vm-home.js';

describe('vm home', () => {
  it('uses BOXLAB_HOME / BOXLAB_CACHE, else the XDG folders', () => {
    assert.equal(boxlabHome({ BOXLAB_HOME: '/x' }), '/x');
    assert.equal(boxlabHome({ XDG_DATA_HOME: '/d' }), '/d/boxlab');
    assert.equal(boxlabCache({ XDG_CACHE_HOME: '/c' }), '/c/boxlab');
    assert.equal(vmsDir('/x'), '/x/vms');
    assert.equal(vmImagesCache('/c/boxlab'), '/c/boxlab/vm-images');
  });
});
