import assert from 'node:assert/strict';
import { classifyWhiteout } from '../../../../src/engine/images/whiteout.js';

describe('classifyWhiteout (AUFS whiteouts in image layers)', () => {
  it('sees a plain file as no whiteout', () => {
    assert.deepEqual(classifyWhiteout('etc/passwd'), { kind: 'none' });
    assert.deepEqual(classifyWhiteout('etc/x.wh.y'), { kind: 'none' });
  });
  it('maps .wh.<name> to the hidden path, in the root and in folders', () => {
    assert.deepEqual(classifyWhiteout('.wh.hello'), { kind: 'whiteout', target: 'hello' });
    assert.deepEqual(classifyWhiteout('etc/apt/.wh.sources.list'), { kind: 'whiteout', target: 'etc/apt/sources.list' });
  });
  it('maps .wh..wh..opq to an opaque directory', () => {
    assert.deepEqual(classifyWhiteout('var/cache/.wh..wh..opq'), { kind: 'opaque', dir: 'var/cache' });
    assert.deepEqual(classifyWhiteout('.wh..wh..opq'), { kind: 'opaque', dir: '' });
  });
  it('skips other AUFS metadata', () => {
    assert.deepEqual(classifyWhiteout('.wh..wh.plnk/123.456'), { kind: 'none' });
    assert.deepEqual(classifyWhiteout('.wh..wh.aufs'), { kind: 'aufs-meta' });
    assert.deepEqual(classifyWhiteout('dir/.wh.'), { kind: 'aufs-meta' });
  });
});
