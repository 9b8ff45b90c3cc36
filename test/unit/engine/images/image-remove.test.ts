import assert from 'node:assert/strict';
import type { ImageRecord } from '../../../../src/engine/images/image-record.js';
import { deleteConflict, untagName } from '../../../../src/engine/images/image-remove.js';
import { digestOf, imageRecord } from './image-record-fixture.js';

const id = digestOf;

function image(c: string, repoTags: string[] = [], repoDigests: string[] = [], parent?: string): ImageRecord {
  return imageRecord(c, { repoTags, repoDigests, ...(parent ? { parent } : {}) });
}

describe('docker rmi: untagging a name (dockerd ImageDelete)', () => {
  const digest = `busybox@${id('d')}`;

  it('removes one tag and keeps the repository digest while another tag of the repository stays', () => {
    const { image: after, untagged } = untagName(image('a', ['busybox:latest', 'busybox:1'], [digest]), 'busybox:latest');
    assert.deepEqual(untagged, ['busybox:latest']);
    assert.deepEqual([after.repoTags, after.repoDigests], [['busybox:1'], [digest]]);
  });

  it('removes the repository digest with the last tag of the repository, not another repository\'s', () => {
    const other = `me/x@${id('e')}`;
    const { image: after, untagged } = untagName(image('a', ['busybox:latest', 'me/x:1'], [digest, other]), 'busybox:latest');
    assert.deepEqual(untagged, ['busybox:latest', digest]);
    assert.deepEqual([after.repoTags, after.repoDigests], [['me/x:1'], [other]]);
  });

  it('removes only the digest reference when asked for by digest', () => {
    const { image: after, untagged } = untagName(image('a', ['busybox:latest'], [digest]), digest);
    assert.deepEqual(untagged, [digest]);
    assert.deepEqual([after.repoTags, after.repoDigests], [['busybox:latest'], []]);
  });

  it('leaves the record it was given as it was', () => {
    const before = image('a', ['busybox:latest']);
    untagName(before, 'busybox:latest');
    assert.deepEqual(before.repoTags, ['busybox:latest']);
  });
});

describe('docker rmi: when an image cannot be deleted (dockerd conflicts)', () => {
  const parent = image('a');
  const child = image('b', ['app:1'], [], parent.id);

  const cases: Array<{ what: string; image: ImageRecord; all: ImageRecord[]; o: Parameters<typeof deleteConflict>[2]; want?: RegExp; used?: boolean }> = [
    { what: 'an image with a child', image: parent, all: [parent, child], o: { inUse: false, force: true }, want: /^conflict: unable to delete aaaaaaaaaaaa \(cannot be forced\) - image has dependent child images$/, used: false },
    { what: 'an image a container uses, named by id', image: child, all: [parent, child], o: { inUse: 'c'.repeat(64), force: true }, want: /image is being used by container cccccccccccc$/, used: true },
    { what: 'an image a container uses, unknown which', image: child, all: [child], o: { inUse: true }, want: /image is being used by a container$/, used: true },
    { what: 'an image with names, not forced', image: child, all: [child], o: { inUse: false }, want: /\(must be forced\) - image is referenced in multiple repositories$/, used: false },
    { what: 'an image with names, forced', image: child, all: [child], o: { inUse: false, force: true } },
    { what: 'an image with names, asked for by id with one name', image: child, all: [child], o: { inUse: false, ignoreNames: true } },
    { what: 'a dangling image', image: parent, all: [parent], o: { inUse: false } },
  ];
  for (const c of cases) {
    it(`${c.want ? 'refuses' : 'allows'} ${c.what}`, () => {
      const conflict = deleteConflict(c.image, c.all, c.o);
      if (!c.want) return assert.equal(conflict, undefined);
      assert.ok(conflict);
      assert.match(conflict.message, c.want);
      assert.equal(conflict.used, c.used);
    });
  }
});
