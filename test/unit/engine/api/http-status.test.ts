import assert from 'node:assert/strict';
import { AppError } from '../../../../src/core/errors.js';
import { errorAnswer } from '../../../../src/engine/api/http-status.js';

describe('error mapping', () => {
  const cases: Array<[AppError['code'], number]> = [
    ['NOT_FOUND', 404],
    ['ALREADY_EXISTS', 409],
    ['INVALID_ARGUMENT', 400],
    ['FAILED_PRECONDITION', 409],
    ['UNAVAILABLE', 503],
    ['COMMAND_FAILED', 500],
    ['INTERNAL', 500],
  ];
  for (const [code, status] of cases) {
    it(`${code} -> ${status} with the message as body`, () => {
      assert.deepEqual(errorAnswer(new AppError(code, 'container "web" x')), { status, body: { message: 'container "web" x' } });
    });
  }

  it('an unexpected error is a 500 that still carries its message', () => {
    assert.deepEqual(errorAnswer(new TypeError('boom')), { status: 500, body: { message: 'boom' } });
  });

  it('passes the suggestions on for boxlab\'s own CLI (the docker CLI ignores the field)', () => {
    assert.deepEqual(errorAnswer(new AppError('NOT_FOUND', 'No such container: web', { suggestions: ['docker ps -a'] })), {
      status: 404,
      body: { message: 'No such container: web', suggestions: ['docker ps -a'] },
    });
  });
});
