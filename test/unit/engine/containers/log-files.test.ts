import assert from 'node:assert/strict';
import { logFilesOldestFirst, rotationRenames, shouldRotate } from '../../../../src/engine/containers/log-files.js';

describe('log files (rotation plan)', () => {
  const log = '/c/abc-json.log';

  it('reads the rotated files oldest first and the current file last', () => {
    assert.deepEqual(logFilesOldestFirst(log, 3), [`${log}.2`, `${log}.1`, log]);
    assert.deepEqual(logFilesOldestFirst(log, 1), [log]);
  });

  it('shifts each file one step older, the oldest first, and the current one to .1', () => {
    assert.deepEqual(rotationRenames(log, 3), [
      [`${log}.1`, `${log}.2`],
      [log, `${log}.1`],
    ]);
    assert.deepEqual(rotationRenames(log, 4), [
      [`${log}.2`, `${log}.3`],
      [`${log}.1`, `${log}.2`],
      [log, `${log}.1`],
    ]);
    assert.deepEqual(rotationRenames(log, 2), [[log, `${log}.1`]]);
    assert.deepEqual(rotationRenames(log, 1), []);
  });

  it('rotates a file once it has reached max-size, before the next record', () => {
    assert.equal(shouldRotate(9_999, 10_000), false);
    assert.equal(shouldRotate(10_000, 10_000), true);
    assert.equal(shouldRotate(10_090, 10_000), true);
    assert.equal(shouldRotate(1e12, 0), false);
  });
});
