import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAppError } from '../../../src/core/errors.js';
import { enginePaths } from '../../../src/core/paths.js';
import { RegistryDistribution } from '../../../src/engine/distribution/distribution-service.js';
import type { JsonMessage } from '../../../src/engine/distribution/progress-message.js';
import { LocalImageStore } from '../../../src/engine/images/local-image-store.js';
import { MemoryTracer } from '../../../src/engine/trace/tracer.js';
import { busyboxArchive } from '../../helpers/engine-harness.js';
import { requires } from '../../helpers/requires.js';
import { RegistryProxy } from './registry-proxy.js';
import { TestRegistry } from './registry-fixture.js';

interface RawManifest {
  mediaType: string;
  config: { digest: string; size: number };
  layers: Array<{ digest: string; size: number; mediaType: string }>;
}

describe('distribution: pull and push against a real docker-registry (root)', function () {
  this.timeout(120_000);
  let work: string;
  let registry: TestRegistry;
  let busybox: { digest: string; manifest: RawManifest; raw: string };

  before(async function () {
    requires(this, 'root', 'skopeo', 'busybox');
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-distribution-pull-'));
    registry = await TestRegistry.start({ label: 'pull' });
    await registry.copyIn(`docker-archive:${await busyboxArchive()}`, 'library/busybox:latest');
    const seen = await registry.inspect('library/busybox:latest');
    busybox = { digest: seen.digest, raw: seen.raw, manifest: JSON.parse(seen.raw) as RawManifest };
  });
  after(async () => {
    await registry?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  async function engine(options: { mirrors?: string[]; label?: string } = {}) {
    const paths = enginePaths(await fs.mkdtemp(path.join(work, `${options.label ?? 'root'}-`)));
    const tracer = new MemoryTracer();
    const images = new LocalImageStore(paths, { tracer });
    await images.init();
    const distribution = new RegistryDistribution({ images, content: images.content, tmpDir: paths.tmp, tracer, mirrors: options.mirrors ?? [] });
    return { paths, images, tracer, distribution };
  }

  async function pull(d: RegistryDistribution, ref: string, creds = {}) {
    const messages: JsonMessage[] = [];
    const resolved = await d.resolvePull(ref, creds);
    const image = await resolved.run((m) => messages.push(m));
    return { image, messages, statuses: messages.map((m) => m.status), resolved };
  }

  it('pulls what skopeo pushed: same manifest digest, Docker\'s progress stream, a runnable rootfs', async () => {
    const { images, distribution, tracer } = await engine();
    const ref = `${registry.host}/library/busybox`;
    const { image, messages, statuses } = await pull(distribution, ref);
    const layerId = busybox.manifest.layers[0].digest.slice(7, 19);
    assert.deepEqual(messages[0], { status: 'Pulling from library/busybox', progressDetail: {}, id: 'latest' });
    assert.deepEqual(messages[1], { status: 'Pulling fs layer', progressDetail: {}, id: layerId });
    for (const s of ['Downloading', 'Verifying Checksum', 'Download complete', 'Extracting', 'Pull complete']) assert.ok(statuses.includes(s), `missing ${s} in ${statuses.join(', ')}`);
    assert.equal(statuses.at(-2), `Digest: ${busybox.digest}`);
    assert.equal(statuses.at(-1), `Status: Downloaded newer image for ${ref}:latest`);
    assert.equal(image.manifestDigest, busybox.digest);
    assert.equal(image.id, busybox.manifest.config.digest);
    assert.deepEqual(image.repoTags, [`${ref}:latest`]);
    assert.deepEqual(image.repoDigests, [`${ref}@${busybox.digest}`]);
    assert.ok(existsSync(path.join(images.layerDirs(image)[0], 'bin', 'busybox')));
    assert.equal((await images.content.readBytes(busybox.digest)).toString('utf8'), busybox.raw, 'the manifest is kept byte for byte');
    assert.ok(tracer.events.some((e) => e.step === 'pull.manifest' && e.details.digest === busybox.digest));

    const again = await pull(distribution, ref);
    assert.equal(again.statuses.at(-1), `Status: Image is up to date for ${ref}:latest`);
    assert.ok(again.statuses.includes('Already exists'));
    assert.ok(!again.statuses.includes('Downloading'));
  });

  it('stores a layer shared by two repositories once, and pulls by digest without a tag', async () => {
    await registry.copyIn(`docker://${registry.host}/library/busybox:latest`, 'me/box:1', ['--src-tls-verify=false']);
    const { images, distribution } = await engine();
    await pull(distribution, `${registry.host}/library/busybox`);
    const second = await pull(distribution, `${registry.host}/me/box@${busybox.digest}`);
    assert.ok(second.statuses.includes('Already exists'));
    assert.ok(!second.statuses.includes('Downloading'));
    assert.equal(second.statuses.at(-1), `Status: Image is up to date for ${registry.host}/me/box@${busybox.digest}`);
    const record = await images.resolve(`${registry.host}/me/box@${busybox.digest}`);
    assert.deepEqual(record.repoDigests.sort(), [`${registry.host}/library/busybox@${busybox.digest}`, `${registry.host}/me/box@${busybox.digest}`].sort());
    const blobs = (await images.content.list()).map((b) => b.digest);
    assert.equal(blobs.filter((d) => d === busybox.manifest.layers[0].digest).length, 1);
    assert.equal((await images.list()).length, 1);
  });

  it('selects linux/amd64 from an index, and names the platforms when none matches', async () => {
    const { manifest } = busybox;
    const entry = (arch: string, variant?: string) => ({
      mediaType: manifest.mediaType,
      digest: busybox.digest,
      size: Buffer.byteLength(busybox.raw),
      platform: { os: 'linux', architecture: arch, ...(variant ? { variant } : {}) },
    });
    const putIndex = async (tag: string, entries: unknown[]) => {
      const body = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: entries });
      const res = await fetch(`${registry.url}/v2/library/busybox/manifests/${tag}`, { method: 'PUT', headers: { 'Content-Type': 'application/vnd.oci.image.index.v1+json' }, body });
      assert.equal(res.status, 201, await res.text());
    };
    await putIndex('multi', [entry('arm64', 'v8'), entry('amd64')]);
    await putIndex('armonly', [entry('arm64', 'v8'), entry('arm', 'v7')]);
    const { distribution } = await engine();
    const { image, resolved } = await pull(distribution, `${registry.host}/library/busybox:multi`);
    assert.equal(resolved.platform, 'linux/amd64');
    assert.equal(image.manifestDigest, busybox.digest);
    assert.notEqual(resolved.digest, busybox.digest, 'the repo digest is the index digest, as Docker records it');
    await assert.rejects(distribution.resolvePull(`${registry.host}/library/busybox:armonly`, {}), (err: unknown) => {
      assert.ok(isAppError(err, 'NOT_FOUND'));
      assert.match(err.message, /no matching manifest for linux\/amd64 .*linux\/arm64\/v8, linux\/arm\/v7/);
      return true;
    });
  });

  it('answers an unknown tag and an unknown repository with clear 404s', async () => {
    const { distribution } = await engine();
    await assert.rejects(distribution.resolvePull(`${registry.host}/library/busybox:nosuch`, {}), (err: unknown) => {
      assert.ok(isAppError(err, 'NOT_FOUND'));
      assert.match(err.message, /^manifest for .*busybox:nosuch not found: manifest unknown/);
      return true;
    });
    await assert.rejects(distribution.resolvePull(`${registry.host}/nobody/nothing`, {}), (err: unknown) => isAppError(err, 'NOT_FOUND'));
  });

  it('resumes a layer download with a Range request after the connection drops mid-layer', async () => {
    const layer = busybox.manifest.layers[0];
    const proxy = await RegistryProxy.start(registry.port, { dropBlob: { digest: layer.digest, after: Math.floor(layer.size / 2) } });
    try {
      const { distribution, images } = await engine();
      const { image } = await pull(distribution, `${proxy.host}/library/busybox`);
      assert.equal(image.manifestDigest, busybox.digest);
      const blobGets = proxy.requests.filter((r) => r.url.endsWith(layer.digest) && r.method === 'GET');
      assert.equal(blobGets.length, 2);
      // it asks for the rest only: from the byte it had when the connection dropped
      const from = Number(/^bytes=(\d+)-$/.exec(blobGets[1].range ?? '')?.[1]);
      assert.ok(from > 0 && from <= Math.floor(layer.size / 2), `range ${blobGets[1].range}`);
      assert.ok(existsSync(path.join(images.layerDirs(image)[0], 'bin', 'busybox')));
    } finally {
      await proxy.stop();
    }
  });

  it('refuses a layer whose bytes do not match the digest, and keeps nothing of it', async () => {
    const layer = busybox.manifest.layers[0];
    const proxy = await RegistryProxy.start(registry.port, { corruptBlob: layer.digest });
    try {
      const { distribution, images, paths } = await engine();
      const resolved = await distribution.resolvePull(`${proxy.host}/library/busybox`, {});
      const messages: JsonMessage[] = [];
      await assert.rejects(resolved.run((m) => messages.push(m)), /digest mismatch for blob sha256:.*nothing was stored/);
      assert.equal(await images.content.has(layer.digest), false);
      assert.deepEqual(await images.list(), []);
      assert.deepEqual((await fs.readdir(path.join(paths.tmp, '.'))).filter((n) => n.startsWith('blob-')), []);
    } finally {
      await proxy.stop();
    }
  });

  it('pushes: skopeo reads the same digest back; a second push finds the layers; another repo mounts them', async () => {
    const { images, distribution, tracer } = await engine();
    await pull(distribution, `${registry.host}/library/busybox`);
    const target = `${registry.host}/me/pushed:1`;
    await images.tag(`${registry.host}/library/busybox`, target);
    const messages: JsonMessage[] = [];
    const result = await distribution.push(target, {}, (m) => messages.push(m));
    const statuses = messages.map((m) => m.status);
    assert.equal(statuses[0], `The push refers to repository [${registry.host}/me/pushed]`);
    assert.ok(statuses.includes('Mounted from library/busybox'), statuses.join(', '));
    const seen = await registry.inspect('me/pushed:1');
    assert.equal(seen.digest, result.digest);
    assert.equal(result.digest, busybox.digest);
    assert.ok(messages.some((m) => m.aux?.Digest === result.digest));
    assert.ok((await images.resolve(target)).repoDigests.includes(`${registry.host}/me/pushed@${result.digest}`));

    const again: JsonMessage[] = [];
    await distribution.push(target, {}, (m) => again.push(m));
    assert.ok(again.some((m) => m.status === 'Layer already exists'));
    assert.ok(tracer.events.some((e) => e.step === 'push.manifest'));
  });

  it('uploads blobs the registry has never seen (monolithic PUT), readable by skopeo', async () => {
    const other = await TestRegistry.start({ label: 'push-fresh' });
    try {
      const { images, distribution } = await engine();
      await pull(distribution, `${registry.host}/library/busybox`);
      const target = `${other.host}/fresh/busybox:2`;
      await images.tag(`${registry.host}/library/busybox`, target);
      const messages: JsonMessage[] = [];
      const result = await distribution.push(target, {}, (m) => messages.push(m));
      assert.ok(messages.some((m) => m.status === 'Pushed'));
      assert.ok(messages.some((m) => m.status === 'Pushing' && m.progressDetail?.total === busybox.manifest.layers[0].size));
      assert.equal((await other.inspect('fresh/busybox:2')).digest, result.digest);
    } finally {
      await other.stop();
    }
  });
});
