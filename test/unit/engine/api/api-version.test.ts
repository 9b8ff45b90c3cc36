import assert from 'node:assert/strict';
import { compareVersions, splitVersion } from '../../../../src/engine/api/api-version.js';
import { isAppError } from '../../../../src/core/errors.js';

describe('api version negotiation', () => {
  it('strips a supported version prefix', () => {
    assert.deepEqual(splitVersion('/v1.41/containers/json'), { version: '1.41', path: '/containers/json' });
    assert.deepEqual(splitVersion('/v1.24/_ping'), { version: '1.24', path: '/_ping' });
  });

  it('treats a path without prefix as the current version', () => {
    assert.deepEqual(splitVersion('/_ping'), { version: '1.41', path: '/_ping' });
  });

  it('refuses a newer client with Docker\'s message', () => {
    assert.throws(
      () => splitVersion('/v1.50/version'),
      (err: unknown) => isAppError(err, 'INVALID_ARGUMENT') && err.message === 'client version 1.50 is too new. Maximum supported API version is 1.41',
    );
  });

  it('refuses a client older than 1.12', () => {
    assert.throws(() => splitVersion('/v1.11/version'), /client version 1.11 is too old. Minimum supported API version is 1.12/);
  });

  it('compares versions numerically, not as text', () => {
    assert.ok(compareVersions('1.9', '1.12') < 0);
    assert.ok(compareVersions('1.41', '1.41') === 0);
    assert.ok(compareVersions('2.0', '1.41') > 0);
  });
});
