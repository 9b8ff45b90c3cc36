import assert from 'node:assert/strict';
import { dockerArchiveIndex } from '../../../../src/engine/images/docker-archive-writer.js';
import { sha256Digest } from '../../../../src/engine/content/digest.js';

describe('dockerArchiveIndex (docker save layout)', () => {
  const config = Buffer.from('{"rootfs":{}}');
  const l1 = 'sha256:' + '1'.repeat(64);
  const l2 = 'sha256:' + '2'.repeat(64);

  it('names the config by its digest and layers by diff id', () => {
    const { manifest, repositories } = dockerArchiveIndex([{ config, repoTags: ['busybox:latest', 'localhost:5000/me/x:1'], layers: [{ diffId: l1 }, { diffId: l2 }] }]);
    assert.deepEqual(manifest, [
      { Config: `${sha256Digest(config).slice(7)}.json`, RepoTags: ['busybox:latest', 'localhost:5000/me/x:1'], Layers: [`${'1'.repeat(64)}/layer.tar`, `${'2'.repeat(64)}/layer.tar`] },
    ]);
    assert.deepEqual(repositories, { busybox: { latest: '2'.repeat(64) }, 'localhost:5000/me/x': { '1': '2'.repeat(64) } });
  });

  it('writes RepoTags null for an untagged image, as docker save does', () => {
    assert.equal(dockerArchiveIndex([{ config, repoTags: [], layers: [] }]).manifest[0].RepoTags, null);
  });
});
