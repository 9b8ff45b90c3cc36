import assert from 'node:assert/strict';
import { AppError, isAppError, notFound } from '../../../src/core/errors.js';

describe('AppError', () => {
  it('carries a code, a message naming the object, and suggestions', () => {
    const err = notFound('container "web" not found', { suggestions: ['list containers: docker ps -a'] });
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'NOT_FOUND');
    assert.equal(err.message, 'container "web" not found');
    assert.deepEqual(err.suggestions, ['list containers: docker ps -a']);
    assert.ok(isAppError(err, 'NOT_FOUND'));
    assert.ok(!isAppError(err, 'INTERNAL'));
    assert.ok(!isAppError(new Error('plain')));
  });
});
