import assert from 'node:assert/strict';
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { imageNames, planArchive, planDockerArchive, type ArchiveReader } from '../../../../src/engine/images/archive-plan.js';

// compiled to dist/test/unit/engine/images: the fixtures stay in the source tree
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../test/fixtures/images/ggcr-oci-layouts');

function folderReader(dir: string): ArchiveReader {
  return {
    has: (entry) => existsSync(path.join(dir, entry)),
    readJson: async <T>(entry: string) => JSON.parse(await fs.readFile(path.join(dir, entry), 'utf8')) as T,
  };
}

describe('archive plans', () => {
  describe('docker-archive manifest.json', () => {
    it('lists config, layers and tags', () => {
      const plan = planDockerArchive(
        [{ Config: 'abc.json', RepoTags: ['busybox:latest'], Layers: ['l1/layer.tar', `blobs/sha256/${'d'.repeat(64)}`] }],
        'x.tar',
      );
      assert.equal(plan.length, 1);
      assert.equal(plan[0].configEntry, 'abc.json');
      assert.deepEqual(plan[0].names, ['busybox:latest']);
      assert.deepEqual(plan[0].layers, [
        { entry: 'l1/layer.tar', digest: undefined },
        { entry: `blobs/sha256/${'d'.repeat(64)}`, digest: `sha256:${'d'.repeat(64)}` },
      ]);
    });
    it('accepts RepoTags null (an untagged image)', () => {
      assert.deepEqual(planDockerArchive([{ Config: 'c.json', RepoTags: null, Layers: [] }], 'x.tar')[0].names, []);
    });
    for (const [what, manifest, message] of [
      ['not an array', {}, /non-empty array/],
      ['empty', [], /non-empty array/],
      ['without Config', [{ Layers: [] }], /entry 0 has no Config/],
      ['without Layers', [{ Config: 'c.json' }], /entry 0 has no Layers/],
      ['with bad RepoTags', [{ Config: 'c.json', Layers: [], RepoTags: 'busybox' }], /RepoTags/],
    ] as const) {
      it(`refuses a manifest.json ${what}`, () => {
        assert.throws(() => planDockerArchive(manifest, 'x.tar'), (err: Error & { code?: string }) => err.code === 'INVALID_ARGUMENT' && message.test(err.message));
      });
    }
  });

  describe('OCI image layout (ggcr fixtures)', () => {
    it('plans the one-image layout: manifest, config and gzip layer blobs', async () => {
      const [image, ...rest] = await planArchive(folderReader(path.join(FIXTURES, 'test_index_one_image')), 'one.tar');
      assert.equal(rest.length, 0);
      assert.equal(image.format, 'oci-layout');
      assert.equal(image.manifestDigest, 'sha256:98ceaf93e482fe91b9bfd6bba07137c098e49ee2d55e69f09fb6c951e75e0e46');
      assert.equal(image.configDigest, 'sha256:381d958b555884ba59574ab5c066e9f6116b5aec3567675aa13bec63331f0810');
      assert.equal(image.configEntry, 'blobs/sha256/381d958b555884ba59574ab5c066e9f6116b5aec3567675aa13bec63331f0810');
      assert.deepEqual(image.layers.map((l) => l.mediaType), ['application/vnd.oci.image.layer.v1.tar+gzip']);
      assert.deepEqual(image.names, []);
    });

    it('follows nested indexes (OCI index and Docker manifest list) to image manifests', async () => {
      const images = await planArchive(folderReader(path.join(FIXTURES, 'test_index')), 'index.tar');
      assert.ok(images.length >= 2);
      for (const image of images) {
        assert.match(image.manifestDigest ?? '', /^sha256:[a-f0-9]{64}$/);
        assert.ok(image.layers.length >= 1);
      }
      // bare tags such as "1" name no repository: the images load untagged
      assert.ok(images.every((i) => i.names.length === 0));
    });

    it('refuses a folder that is neither format', async () => {
      await assert.rejects(planArchive({ has: () => false, readJson: async () => ({}) as never }, 'junk.tar'), /neither manifest.json \(docker-archive\) nor oci-layout/);
    });
  });

  it('reads image names from containerd and OCI annotations', () => {
    assert.deepEqual(imageNames({ 'io.containerd.image.name': 'docker.io/library/busybox:latest', 'org.opencontainers.image.ref.name': 'latest' }), ['docker.io/library/busybox:latest']);
    assert.deepEqual(imageNames({ 'org.opencontainers.image.ref.name': 'busybox:1.36' }), ['busybox:1.36']);
    assert.deepEqual(imageNames({ 'org.opencontainers.image.ref.name': 'latest' }), []);
    assert.deepEqual(imageNames(undefined), []);
  });
});
