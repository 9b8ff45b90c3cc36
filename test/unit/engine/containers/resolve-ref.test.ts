import assert from 'node:assert/strict';
import { nameConflict, resolveRef } from '../../../../src/engine/containers/resolve-ref.js';

const A = { Id: 'abc123' + '0'.repeat(58), Name: '/web' };
const B = { Id: 'abd456' + '0'.repeat(58), Name: '/db' };
const C = { Id: 'ffff' + '1'.repeat(60), Name: '/abc123' };

describe('container name and id resolution', () => {
  it('finds by exact id, then exact name, then unique id prefix', () => {
    assert.equal(resolveRef(A.Id, [A, B]), A.Id);
    assert.equal(resolveRef('web', [A, B]), A.Id);
    assert.equal(resolveRef('/db', [A, B]), B.Id);
    assert.equal(resolveRef('abc', [A, B]), A.Id);
  });

  it('prefers a name over an id prefix, as Docker does', () => {
    assert.equal(resolveRef('abc123', [A, C]), C.Id);
  });

  it('says which prefix is ambiguous, and NOT_FOUND with Docker\'s words', () => {
    assert.throws(() => resolveRef('ab', [A, B]), { code: 'INVALID_ARGUMENT', message: 'multiple IDs found with provided prefix: ab' });
    assert.throws(() => resolveRef('nope', [A, B]), { code: 'NOT_FOUND', message: 'No such container: nope' });
    assert.throws(() => resolveRef('', [A]), { code: 'NOT_FOUND' });
  });

  it('reports a name conflict naming the owner', () => {
    assert.equal(
      nameConflict('web', [A, B]),
      `Conflict. The container name "/web" is already in use by container "${A.Id}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
    assert.equal(nameConflict('web', [A], A.Id), undefined);
    assert.equal(nameConflict('cache', [A, B]), undefined);
  });
});
