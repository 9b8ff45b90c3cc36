import assert from 'node:assert/strict';
import { entryLengthProblem, isHandledEntryType, shortEntryName, unhandledTypeReason } from '../../../../src/engine/images/tar-entry-checks.js';

describe('tar entry checks (types an image may hold, lengths Linux allows)', () => {
  const types: Array<[unknown, boolean]> = [
    ['file', true],
    ['contiguous-file', true],
    ['directory', true],
    ['symlink', true],
    ['link', true],
    ['fifo', true],
    ['character-device', true],
    ['block-device', true],
    // tar-stream reports a type byte it does not know ('X', '9', GNU 'V' volume labels) as null
    [null, false],
    [undefined, false],
    ['pax-global-header', false],
  ];
  for (const [type, handled] of types) {
    it(`${String(type)} is ${handled ? '' : 'not '}a handled entry type`, () => assert.equal(isHandledEntryType(type), handled));
  }
  it("says it in Docker's words", () => assert.match(unhandledTypeReason(null), /^has an unhandled tar header type:/));

  it('accepts names and paths within NAME_MAX and PATH_MAX', () => {
    assert.equal(entryLengthProblem('usr/bin/env', 40), undefined);
    assert.equal(entryLengthProblem('n'.repeat(255), 40), undefined);
    assert.equal(entryLengthProblem(Array.from({ length: 20 }, () => 'p'.repeat(200)).join('/'), 40), undefined);
  });
  it('refuses a name past NAME_MAX, counted in bytes', () => {
    assert.match(entryLengthProblem(`dir/${'n'.repeat(256)}`, 40)!, /has a name of 256 bytes, more than Linux allows \(NAME_MAX, 255 bytes\)/);
    // 128 two-byte characters are 256 bytes
    assert.match(entryLengthProblem('é'.repeat(128), 40)!, /name of 256 bytes/);
  });
  it('refuses a path past PATH_MAX once the layer folder is counted in', () => {
    const rel = Array.from({ length: 20 }, () => 'p'.repeat(200)).join('/'); // 4019 bytes
    assert.equal(entryLengthProblem(rel, 60), undefined);
    assert.match(entryLengthProblem(rel, 100)!, /is 4019 bytes long, more than Linux allows in a path \(PATH_MAX, 4096 bytes/);
  });
  it('cuts long names in messages', () => {
    assert.equal(shortEntryName('etc/passwd'), 'etc/passwd');
    assert.equal(shortEntryName('x'.repeat(300)), `${'x'.repeat(40)}...`);
  });
});
