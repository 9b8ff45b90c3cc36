// docker history's rows (GET /images/{name}/history): the image ids of a classic build's steps, as dockerd
// fills them in by walking the Parent chain; rows without a stored image stay <missing>.
import { strict as assert } from 'node:assert';
import { imageHistory } from '../../../../../src/engine/api/routes/image-shapes.js';
import { digestOf, imageRecord } from '../../images/image-record-fixture.js';

const layer = (c: string, size: number) => ({ digest: digestOf(c), diffId: digestOf(c), chainId: digestOf(c), mediaType: 'x', size });
const base = imageRecord('b', {
  repoTags: ['busybox:latest'],
  layers: [layer('1', 100)],
  history: [{ created_by: 'bake busybox' }],
});
const step1 = imageRecord('e', { parent: base.id, layers: base.layers, history: [...base.history, { created_by: 'ENV A=1', empty_layer: true }] });
const step2 = imageRecord('r', {
  parent: step1.id,
  repoTags: ['app:1'],
  layers: [...base.layers, layer('2', 29)],
  history: [...step1.history, { created_by: 'RUN date > /built' }],
});

describe('imageHistory', () => {
  it('gives each row the id (and tags) of the step image that made it, newest first', () => {
    const rows = imageHistory(step2, [step1, base]);
    assert.deepEqual(rows.map((r) => [r.Id, r.CreatedBy, r.Size, r.Tags]), [
      [step2.id, 'RUN date > /built', 29, ['app:1']],
      [step1.id, 'ENV A=1', 0, null],
      [base.id, 'bake busybox', 100, ['busybox:latest']],
    ]);
  });

  it('leaves <missing> where no stored image made the row (a pulled image, a removed step image)', () => {
    const rows = imageHistory(step2, [step1]);
    assert.deepEqual(rows.map((r) => r.Id), [step2.id, step1.id, '<missing>']);
    assert.deepEqual(imageHistory(step2).map((r) => r.Id), [step2.id, '<missing>', '<missing>']);
  });
});
