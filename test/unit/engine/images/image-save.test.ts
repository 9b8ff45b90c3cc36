import assert from 'node:assert/strict';
import { sha256Digest } from '../../../../src/engine/content/digest.js';
import { archiveTags, withArchiveParents } from '../../../../src/engine/images/image-save.js';
import { imageRecord } from './image-record-fixture.js';

const busybox = imageRecord('a', {
  repoTags: ['busybox:latest', 'me/box:1'],
  repoDigests: [`busybox@sha256:${'d'.repeat(64)}`],
});

describe('docker save: names and parents in the archive', () => {
  const cases: Array<[string, string, string[]]> = [
    ['by id: every tag', 'aaaa', ['busybox:latest', 'me/box:1']],
    ['by name: that name only', 'me/box:1', ['me/box:1']],
    ['by familiar name: the tagged name', 'busybox', ['busybox:latest']],
    ['by digest: no tag (a digest is not a RepoTag)', `busybox@sha256:${'d'.repeat(64)}`, []],
  ];
  for (const [what, ref, want] of cases) {
    it(`names an image asked for ${what}`, () => assert.deepEqual(archiveTags(ref, busybox), want));
  }

  it('keeps "Parent" only when the parent is in the same archive', () => {
    const parentConfig = Buffer.from('{"parent":1}');
    const images = withArchiveParents([
      { config: parentConfig },
      { config: Buffer.from('{"child":1}'), parent: sha256Digest(parentConfig) },
      { config: Buffer.from('{"orphan":1}'), parent: `sha256:${'0'.repeat(64)}` },
    ]);
    assert.deepEqual(
      images.map((i) => i.parent),
      [undefined, sha256Digest(parentConfig), undefined],
    );
  });
});
