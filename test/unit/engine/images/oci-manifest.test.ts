import assert from 'node:assert/strict';
import { sha256Digest } from '../../../../src/engine/content/digest.js';
import { ociManifest, ociManifestBytes } from '../../../../src/engine/images/oci-manifest.js';

describe('ociManifest (OCI image-spec manifest.md)', () => {
  const config = { digest: `sha256:${'c'.repeat(64)}`, size: 512 };
  const layer = { digest: `sha256:${'1'.repeat(64)}`, diffId: `sha256:${'2'.repeat(64)}`, chainId: `sha256:${'2'.repeat(64)}`, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 2048 };

  it('describes the config and the layers, lowest first, by descriptor', () => {
    assert.deepEqual(ociManifest(config, [layer]), {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: 512 },
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: 2048 }],
    });
  });

  it('is compact JSON, so the same image always gets the same manifest digest', () => {
    const bytes = ociManifestBytes(config, [layer]);
    assert.equal(bytes.toString(), JSON.stringify(ociManifest(config, [layer])));
    assert.equal(sha256Digest(ociManifestBytes(config, [layer])), sha256Digest(bytes));
    assert.ok(!bytes.toString().includes('\n'));
  });
});
