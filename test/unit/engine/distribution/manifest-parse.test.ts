import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAppError } from '../../../../src/core/errors.js';
import { parseManifest } from '../../../../src/engine/distribution/manifest-parse.js';
import { MANIFEST_ACCEPT, MANIFEST_TYPES } from '../../../../src/engine/distribution/media-types.js';
import { platformString, selectPlatform } from '../../../../src/engine/distribution/platform-select.js';

const LAYOUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../test/fixtures/images/ggcr-oci-layouts/test_index');
const blob = (hex: string) => readFileSync(path.join(LAYOUT, 'blobs/sha256', hex));

describe('manifest parsing (ggcr fixtures)', () => {
  it('reads a Docker schema 2 manifest: config and layers', () => {
    const m = parseManifest(blob('eebff607b1628d67459b0596643fc07de70d702eccf030f0bc7bb6fc2b278650'), undefined, 'fixture');
    assert.equal(m.kind, 'image');
    if (m.kind !== 'image') return;
    assert.equal(m.mediaType, MANIFEST_TYPES.dockerManifest);
    assert.equal(m.config.mediaType, 'application/vnd.docker.container.image.v1+json');
    assert.equal(m.layers.length, 1);
    assert.match(m.layers[0].digest, /^sha256:[a-f0-9]{64}$/);
  });

  it('reads an OCI index without a mediaType field from the Content-Type header', () => {
    const m = parseManifest(blob('05f95b26ed10668b7183c1e2da98610e91372fa9f510046d4ce5812addad86b5'), `${MANIFEST_TYPES.ociIndex}; charset=utf-8`, 'fixture');
    assert.equal(m.kind, 'index');
    if (m.kind === 'index') assert.equal(m.manifests[0].digest, 'sha256:eebff607b1628d67459b0596643fc07de70d702eccf030f0bc7bb6fc2b278650');
  });

  it('refuses schema 1, other media types, and descriptors without a digest, naming the reference', () => {
    assert.throws(() => parseManifest(Buffer.from('{"schemaVersion":1,"fsLayers":[]}'), undefined, 'busybox:old'), /busybox:old is a Docker image manifest schema 1/);
    assert.throws(() => parseManifest(Buffer.from('{"schemaVersion":2,"mediaType":"text/plain","layers":[]}'), undefined, 'x'), /unsupported media type "text\/plain"/);
    assert.throws(
      () => parseManifest(Buffer.from('{"schemaVersion":2,"config":{"mediaType":"c","size":1,"digest":"md5:x"},"layers":[]}'), undefined, 'x:1'),
      /invalid manifest for x:1: config.digest "md5:x" is not a sha256 digest/,
    );
    assert.throws(() => parseManifest(Buffer.from('<html>'), 'text/html', 'x'), /not JSON/);
  });

  it('asks for all four manifest types', () => {
    for (const t of Object.values(MANIFEST_TYPES)) assert.ok(MANIFEST_ACCEPT.includes(t));
  });
});

describe('platform selection', () => {
  const d = (arch: string, variant?: string, os = 'linux') => ({
    mediaType: MANIFEST_TYPES.ociManifest,
    digest: `sha256:${arch.padEnd(64, '0').slice(0, 64).replace(/[^a-f0-9]/g, 'a')}`,
    size: 1,
    platform: { os, architecture: arch, ...(variant ? { variant } : {}) },
  });
  const index = [d('arm', 'v7'), d('arm64', 'v8'), d('amd64'), d('amd64', undefined, 'windows')];

  it('picks linux/amd64 for an amd64 host, and the variant when asked', () => {
    assert.equal(selectPlatform(index, { os: 'linux', architecture: 'amd64' }, 'busybox').platform?.architecture, 'amd64');
    assert.equal(selectPlatform(index, { os: 'linux', architecture: 'arm64', variant: 'v8' }, 'busybox').platform?.variant, 'v8');
  });

  it('lists the platforms it has when none matches', () => {
    assert.throws(
      () => selectPlatform([d('arm', 'v7'), d('arm64', 'v8')], { os: 'linux', architecture: 'amd64' }, 'busybox:1'),
      (err: unknown) => isAppError(err, 'NOT_FOUND') && err.message === 'no matching manifest for linux/amd64 in the manifest list entries of busybox:1 (it has: linux/arm/v7, linux/arm64/v8)',
    );
    assert.equal(platformString({ os: 'linux', architecture: 'arm', variant: 'v6' }), 'linux/arm/v6');
  });
});
