import assert from 'node:assert/strict';
import { closest, editDistance } from '../../../src/core/closest.js';

describe('closest names', () => {
  it('counts insertions, deletions and substitutions', () => {
    assert.equal(editDistance('busybx', 'busybox'), 1);
    assert.equal(editDistance('nginx', 'ngnix'), 2);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('same', 'same'), 0);
  });

  it('names a near typo, nearest first, and nothing for an unrelated word', () => {
    assert.deepEqual(closest('busybx:latest', ['alpine:3', 'busybox:latest', 'busybox:1.35']), ['busybox:latest']);
    assert.deepEqual(closest('lifecycle', ['04-container-lifecycle', '05-images']), ['04-container-lifecycle']);
    assert.deepEqual(closest('redis', ['busybox:latest', 'debian:12']), []);
  });

  it('a short word allows one edit only', () => {
    assert.deepEqual(closest('ab', ['ax', 'xy']), ['ax']);
  });
});
