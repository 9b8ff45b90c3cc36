import assert from 'node:assert/strict';
import { chainIds } from '../../../../src/engine/images/chain-id.js';

describe('chainIds (OCI image spec "Layer ChainID")', () => {
  const a = 'sha256:' + 'a'.repeat(64);
  const b = 'sha256:' + 'b'.repeat(64);
  const c = 'sha256:' + 'c'.repeat(64);

  it('is the diff_id itself for the bottom layer', () => {
    assert.deepEqual(chainIds([a]), [a]);
  });

  // expected values computed with: printf 'sha256:aaa… sha256:bbb…' | sha256sum (and again for the third)
  it('hashes "<parent chain> <diff_id>" for each layer above', () => {
    assert.deepEqual(chainIds([a, b, c]), [
      a,
      'sha256:ccd722928bd92476ba1745586fed6e45a102504185ad88cd89e01ff116fd146c',
      'sha256:c1377126441fb2f5ec2c21ae2a60255331d639e830f0ee1b40a36e52d4c40588',
    ]);
  });

  it('gives the same diff on another base another chain id', () => {
    assert.notEqual(chainIds([a, c])[1], chainIds([b, c])[1]);
  });

  it('is empty for an image without layers', () => {
    assert.deepEqual(chainIds([]), []);
  });
});
