import assert from 'node:assert/strict';
import { normalizeEntryPath } from '../../../../src/engine/images/tar-entry-path.js';

describe('normalizeEntryPath (tar slip checks)', () => {
  it('normalises harmless names', () => {
    assert.deepEqual(normalizeEntryPath('./bin/sh'), { ok: true, path: 'bin/sh' });
    assert.deepEqual(normalizeEntryPath('usr//lib/./x/'), { ok: true, path: 'usr/lib/x' });
    assert.deepEqual(normalizeEntryPath('a/b/../c'), { ok: true, path: 'a/c' });
    assert.deepEqual(normalizeEntryPath('./'), { ok: true, path: '' });
  });
  it('refuses names that climb out with ..', () => {
    assert.deepEqual(normalizeEntryPath('../x'), { ok: false, reason: 'uses ".." to escape the layer' });
    assert.equal(normalizeEntryPath('a/../../x').ok, false);
    assert.equal(normalizeEntryPath('./../../etc/passwd').ok, false);
  });
  it('refuses absolute names, but reads absolute link targets as layer-relative when asked', () => {
    assert.deepEqual(normalizeEntryPath('/etc/passwd'), { ok: false, reason: 'has an absolute path' });
    assert.deepEqual(normalizeEntryPath('/bin/busybox', true), { ok: true, path: 'bin/busybox' });
    assert.equal(normalizeEntryPath('/../etc', true).ok, false);
  });
  it('refuses NUL bytes', () => {
    assert.equal(normalizeEntryPath('a\0b').ok, false);
  });
});
