import assert from 'node:assert/strict';
import { AppError } from '../../../../src/core/errors.js';
import { assertOperation, checkOperation, CONTAINER_STATUSES, isActive } from '../../../../src/engine/containers/container-state.js';

const ID = 'a'.repeat(64);

describe('container state machine', () => {
  it('starts created and exited containers; a running one is a no-op (304)', () => {
    assert.equal(checkOperation('start', 'created', ID), 'ok');
    assert.equal(checkOperation('start', 'exited', ID), 'ok');
    assert.equal(checkOperation('start', 'running', ID), 'noop');
    const paused = checkOperation('start', 'paused', ID);
    assert.ok(paused instanceof AppError);
    assert.equal(paused.message, 'cannot start a paused container, try unpause instead');
  });

  it('refuses to remove a running or paused container without force, with Docker\'s words', () => {
    assert.throws(() => assertOperation('remove', 'running', ID), {
      code: 'FAILED_PRECONDITION',
      message: `You cannot remove a running container ${ID}. Stop the container before attempting removal or force remove`,
    });
    assert.throws(() => assertOperation('remove', 'paused', ID), {
      message: `You cannot remove a paused container ${ID}. Unpause and then stop the container before attempting removal or force remove`,
    });
    assert.equal(assertOperation('remove', 'running', ID, true), true);
    assert.equal(assertOperation('remove', 'exited', ID), true);
  });

  it('kill, pause, exec and top need a running container', () => {
    for (const op of ['kill', 'pause', 'exec', 'top'] as const) {
      assert.throws(() => assertOperation(op, 'exited', ID), { code: 'FAILED_PRECONDITION', message: `Container ${ID} is not running` });
    }
    assert.throws(() => assertOperation('pause', 'paused', ID), { message: `Container ${ID} is already paused` });
    assert.throws(() => assertOperation('unpause', 'running', ID), { message: `Container ${ID} is not paused` });
    assert.throws(() => assertOperation('exec', 'paused', ID), /is paused, unpause the container before exec/);
  });

  it('stop of a stopped container is a no-op; attach works before a start (docker run, docker start -a), not on removal', () => {
    assert.equal(checkOperation('stop', 'exited', ID), 'noop');
    assert.equal(checkOperation('stop', 'restarting', ID), 'ok');
    assert.equal(checkOperation('attach', 'created', ID), 'ok');
    assert.equal(checkOperation('attach', 'exited', ID), 'ok');
    assert.throws(() => assertOperation('attach', 'removing', ID), /You cannot attach to a stopped container, start it first/);
  });

  it('calls running, paused and restarting active, as Docker\'s State.Running does', () => {
    assert.deepEqual(CONTAINER_STATUSES.filter(isActive), ['running', 'paused', 'restarting']);
  });
});
