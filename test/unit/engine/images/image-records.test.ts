import assert from 'node:assert/strict';
import type { ImageRecord } from '../../../../src/engine/images/image-record.js';
import { digestOf, imageRecord } from './image-record-fixture.js';
import { findImage, fullImageId, indexDescriptors, isIdRef, matchingName, namesAlreadyOn, recordFromConfig, referencedBlobs } from '../../../../src/engine/images/image-records.js';

const id = digestOf;

function image(c: string, repoTags: string[] = [], repoDigests: string[] = []): ImageRecord {
  const layers = [{ digest: id('9'), diffId: id('7'), chainId: id('7'), mediaType: 'application/vnd.oci.image.layer.v1.tar', size: 10 }];
  return imageRecord(c, { repoTags, repoDigests, layers, size: 10 });
}

describe('image records: finding images by id and by name (dockerd reference rules)', () => {
  const busybox = image('a', ['busybox:latest'], ['busybox@' + id('d')]);
  const mine = image('b', ['localhost:5000/me/x:1']);
  const unnamed = image('c');
  const all = [busybox, mine, unnamed];

  const cases: Array<[string, string, ImageRecord | undefined]> = [
    ['a familiar name gets :latest', 'busybox', busybox],
    ['the full name', 'docker.io/library/busybox:latest', busybox],
    ['a digest reference', `busybox@${id('d')}`, busybox],
    ['a registry name', 'localhost:5000/me/x:1', mine],
    ['a full id', id('c'), unnamed],
    ['a full id without sha256:', 'c'.repeat(64), unnamed],
    ['a unique id prefix', 'bbbb', mine],
    ['a name no image has', 'nginx', undefined],
    ['a tag the image lacks', 'busybox:1.36', undefined],
  ];
  for (const [what, ref, want] of cases) {
    it(`finds by ${what}: ${ref.length > 40 ? ref.slice(0, 40) + '...' : ref}`, () => {
      assert.equal(findImage(all, ref)?.id, want?.id);
    });
  }

  it('says an id prefix matching two images is ambiguous', () => {
    assert.throws(() => findImage([image('a'), { ...image('a'), id: `sha256:a${'b'.repeat(63)}` }], 'a'), /image id prefix "a" is ambiguous: it matches 2 images/);
  });

  it('tells a full id (read from its one file) from a prefix or a name (looked up among all records)', () => {
    assert.equal(fullImageId(id('c')), id('c'));
    assert.equal(fullImageId('c'.repeat(64)), id('c'));
    assert.equal(fullImageId('cccc'), undefined);
    assert.equal(fullImageId('busybox'), undefined);
    assert.equal(fullImageId(`sha256:${'C'.repeat(64)}`), undefined);
    // what findImage answers for a full id is the record with that id, whatever names others have
    for (const ref of [id('a'), id('c'), 'c'.repeat(64)]) assert.equal(findImage(all, ref)?.id, fullImageId(ref));
  });

  it('has nothing to move when the image has the names already (a rebuild tagging the same image)', () => {
    assert.equal(namesAlreadyOn(busybox, ['busybox:latest']), true);
    assert.equal(namesAlreadyOn(busybox, ['busybox:latest', 'busybox:1.36']), false);
    assert.equal(namesAlreadyOn(unnamed, ['busybox:latest']), false);
    assert.equal(namesAlreadyOn(undefined, ['busybox:latest']), false);
  });

  it('tells a reference by name from one by id', () => {
    assert.equal(matchingName('busybox', busybox), 'busybox:latest');
    assert.equal(isIdRef('busybox', busybox), false);
    assert.equal(isIdRef('aaaa', busybox), true);
    assert.equal(matchingName('not a name!', busybox), undefined);
  });
});

describe('image records: what they keep and how index.json lists them', () => {
  it('collects every blob the records need', () => {
    const a = image('a');
    assert.deepEqual([...referencedBlobs([a])].sort(), [a.id, a.layers[0].digest, a.manifestDigest].sort());
  });

  it('lists one descriptor per name, one without a name for an unnamed image, none for a missing manifest', () => {
    const named = { ...image('a', ['busybox:latest', 'me/x:1']), manifestDigest: id('1') };
    const unnamed = { ...image('b'), manifestDigest: id('2') };
    const missing = { ...image('c', ['gone:1']), manifestDigest: id('3') };
    const sizes: Record<string, number> = { [id('1')]: 100, [id('2')]: 200 };
    const index = indexDescriptors([named, unnamed, missing], (d) => sizes[d]);
    assert.deepEqual(index, [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: id('1'),
        size: 100,
        annotations: { 'io.containerd.image.name': 'docker.io/library/busybox:latest', 'org.opencontainers.image.ref.name': 'busybox:latest' },
      },
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: id('1'),
        size: 100,
        annotations: { 'io.containerd.image.name': 'docker.io/me/x:1', 'org.opencontainers.image.ref.name': 'me/x:1' },
      },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: id('2'), size: 200 },
    ]);
  });

  it('builds a record from an OCI config, keeping the names of an earlier record of the same image', () => {
    const config = { architecture: 'arm64', os: 'linux', author: 'me', config: { Cmd: ['sh'] }, rootfs: { type: 'layers' as const, diff_ids: [] }, history: [{ created_by: 'x' }] };
    const record = recordFromConfig(id('a'), config, [], 0, id('f'), image('a', ['busybox:latest'], ['busybox@' + id('d')]));
    assert.deepEqual(record, {
      id: id('a'),
      repoTags: ['busybox:latest'],
      repoDigests: ['busybox@' + id('d')],
      created: '1970-01-01T00:00:00.000Z',
      architecture: 'arm64',
      os: 'linux',
      author: 'me',
      config: { Cmd: ['sh'] },
      layers: [],
      history: [{ created_by: 'x' }],
      size: 0,
      manifestDigest: id('f'),
    });
  });
});
