import assert from 'node:assert/strict';
import { createReadStream, createWriteStream, existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../../../src/core/exec.js';
import { enginePaths, type EnginePaths } from '../../../src/core/paths.js';
import { bakeImages } from '../../../src/engine/images/bake/bake-service.js';
import { LocalImageStore } from '../../../src/engine/images/local-image-store.js';
import { MemoryTracer } from '../../../src/engine/trace/tracer.js';
import { requires } from '../../helpers/requires.js';
import { makeTar, sha256 } from './tar-fixture.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/images/ggcr-oci-layouts');

describe('image store: load, save, tag, remove (root)', function () {
  this.timeout(120_000);
  let work: string;
  let busyboxTar: string;
  let busyboxId: string;
  let paths: EnginePaths;
  let store: LocalImageStore;
  let tracer: MemoryTracer;

  before(async function () {
    requires(this, 'root', 'busybox', 'skopeo', 'umoci');
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-images-store-'));
    busyboxTar = path.join(work, 'busybox.tar');
    const baked = await bakeImages({ names: ['busybox'], output: busyboxTar });
    busyboxId = baked.images[0].id;
  });
  after(async () => {
    if (work) await fs.rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    paths = enginePaths(await fs.mkdtemp(path.join(work, 'root-')));
    tracer = new MemoryTracer();
    store = new LocalImageStore(paths, { tracer });
    await store.init();
  });

  async function loadFile(file: string, s = store) {
    const messages: string[] = [];
    const names = await s.load(createReadStream(file), (m) => messages.push(m.status));
    return { names, messages };
  }

  async function tarFolder(dir: string, file: string) {
    await run('tar', ['-C', dir, '-cf', file, '.']);
    return file;
  }

  it('loads a baked busybox: Docker-like progress, a name, layer dirs with bin/busybox, a trace', async () => {
    const { names, messages } = await loadFile(busyboxTar);
    assert.deepEqual(names, ['busybox:latest']);
    assert.equal(messages[0], 'Loading layer');
    assert.equal(messages[messages.length - 1], 'Loaded image: busybox:latest');
    const image = await store.resolve('busybox');
    assert.equal(image.id, busyboxId);
    assert.deepEqual(image.repoTags, ['busybox:latest']);
    assert.deepEqual(image.config.Cmd, ['sh']);
    const dirs = store.layerDirs(image);
    assert.equal(dirs.length, 1);
    // the store owns its layers: images/layers/<chain id hex>/fs, nothing of it in the snapshotter's folder
    assert.equal(dirs[0], path.join(paths.images, 'layers', image.layers[0].chainId.slice('sha256:'.length), 'fs'));
    assert.equal(existsSync(paths.snapshots), false);
    assert.ok((await fs.stat(path.join(dirs[0], 'bin/busybox'))).size > 100_000);
    assert.equal(await fs.readlink(path.join(dirs[0], 'bin/sh')), '/bin/busybox');
    assert.equal((await fs.stat(path.join(dirs[0], 'tmp'))).mode & 0o7777, 0o1777);
    assert.ok(image.size > 100_000);
    assert.deepEqual(tracer.events.map((e) => e.step), ['layer.unpack', 'image.load', 'image.resolve']);
    // the content store is an OCI layout listing the image
    const index = JSON.parse(await fs.readFile(path.join(paths.content, 'index.json'), 'utf8'));
    assert.equal(index.manifests[0].annotations['io.containerd.image.name'], 'docker.io/library/busybox:latest');
  });

  it("a load does not touch a blob another client is still downloading (a pull's temp file in the content store)", async () => {
    const download = await store.content.writer();
    await download.write(Buffer.from('the first half of a layer, '));
    await loadFile(busyboxTar);
    await download.write(Buffer.from('and the second half'));
    const blob = await download.commit();
    assert.equal(blob.size, 'the first half of a layer, and the second half'.length);
    assert.ok(await store.content.has(blob.digest), 'the download committed after the load');
  });

  it('bakes busybox deterministically: the same image id twice', async () => {
    const again = await bakeImages({ names: ['busybox'], output: path.join(work, 'again.tar') });
    assert.equal(again.images[0].id, busyboxId);
  });

  it('resolves by name, full name, id, short id and sha256:id; says "No such image" otherwise', async () => {
    await loadFile(busyboxTar);
    for (const ref of ['busybox', 'busybox:latest', 'docker.io/library/busybox:latest', busyboxId, busyboxId.slice(7), busyboxId.slice(7, 19)]) {
      assert.equal((await store.resolve(ref)).id, busyboxId, ref);
    }
    await assert.rejects(store.resolve('nosuch:1'), (err: Error & { code?: string }) => err.code === 'NOT_FOUND' && err.message === 'No such image: nosuch:1');
    await assert.rejects(store.resolve('busybox:2'), /^AppError: No such image: busybox:2$/);
  });

  it('loading the same image twice reuses its blobs and layers', async () => {
    await loadFile(busyboxTar);
    const blobs = (await fs.readdir(path.join(paths.content, 'blobs/sha256'))).length;
    const { names } = await loadFile(busyboxTar);
    assert.deepEqual(names, ['busybox:latest']);
    assert.equal((await fs.readdir(path.join(paths.content, 'blobs/sha256'))).length, blobs);
    assert.equal((await store.list()).length, 1);
  });

  it('tags, untags while other names remain, refuses to drop the last name of an image in use, deletes unused layers', async () => {
    await loadFile(busyboxTar);
    await store.tag('busybox', 'localhost:5000/me/x:1');
    assert.deepEqual((await store.resolve('localhost:5000/me/x:1')).repoTags, ['busybox:latest', 'localhost:5000/me/x:1']);
    const layerDir = store.layerDirs(await store.resolve('busybox'))[0];

    assert.deepEqual(await store.remove('busybox', { isInUse: () => false }), [{ Untagged: 'busybox:latest' }]);
    const containerId = 'c'.repeat(64);
    await assert.rejects(
      store.remove('localhost:5000/me/x:1', { isInUse: () => containerId }),
      (err: Error & { code?: string }) =>
        err.code === 'FAILED_PRECONDITION' &&
        err.message === `conflict: unable to remove repository reference "localhost:5000/me/x:1" (must force) - container cccccccccccc is using its referenced image ${busyboxId.slice(7, 19)}`,
    );
    await assert.rejects(store.remove(busyboxId, { isInUse: () => containerId }), /^AppError: conflict: unable to delete [a-f0-9]{12} \(must be forced\) - image is being used by container cccccccccccc$/);
    assert.ok(existsSync(layerDir));

    const removed = await store.remove(busyboxId.slice(7, 19), { isInUse: () => false });
    assert.deepEqual(removed.slice(0, 2), [{ Untagged: 'localhost:5000/me/x:1' }, { Deleted: busyboxId }]);
    assert.equal(existsSync(layerDir), false);
    assert.deepEqual(await store.list(), []);
    assert.deepEqual(await fs.readdir(path.join(paths.content, 'blobs/sha256')), []);
    await assert.rejects(store.remove('busybox', { isInUse: () => false }), /No such image: busybox/);
  });

  it('rmi -f of the last name of an image in use untags it and keeps the image (dangling)', async () => {
    await loadFile(busyboxTar);
    assert.deepEqual(await store.remove('busybox', { force: true, isInUse: () => true }), [{ Untagged: 'busybox:latest' }]);
    const [image] = await store.list();
    assert.deepEqual(image.repoTags, []);
    assert.ok(existsSync(store.layerDirs(image)[0]));
  });

  it('save then load into another store keeps the id; skopeo reads the saved archive', async () => {
    await loadFile(busyboxTar);
    const saved = path.join(work, 'saved.tar');
    await store.save(['busybox'], createWriteStream(saved));
    const inspected = JSON.parse((await run('skopeo', ['inspect', '--config', `docker-archive:${saved}`])).stdout);
    assert.deepEqual(inspected.config.Cmd, ['sh']);
    const raw = JSON.parse((await run('skopeo', ['inspect', `docker-archive:${saved}`])).stdout);
    assert.deepEqual(raw.Layers, (await store.resolve('busybox')).layers.map((l) => l.diffId));

    const other = new LocalImageStore(enginePaths(await fs.mkdtemp(path.join(work, 'other-'))));
    await other.init();
    assert.deepEqual((await loadFile(saved, other)).names, ['busybox:latest']);
    assert.equal((await other.resolve('busybox')).id, busyboxId);
  });

  it('loads what skopeo writes: an OCI layout (gzip layers) and a docker-archive made from it', async () => {
    const oci = path.join(work, 'skopeo-oci');
    await run('skopeo', ['copy', '--quiet', `docker-archive:${busyboxTar}`, `oci:${oci}:busybox:1.0`]);
    const { names } = await loadFile(await tarFolder(oci, path.join(work, 'skopeo-oci.tar')));
    assert.deepEqual(names, ['busybox:1.0']);
    const image = await store.resolve('busybox:1.0');
    assert.equal(image.layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
    assert.ok(existsSync(path.join(store.layerDirs(image)[0], 'bin/busybox')));

    const archive = path.join(work, 'skopeo-archive.tar');
    await fs.rm(archive, { force: true });
    await run('skopeo', ['copy', '--quiet', `oci:${oci}:busybox:1.0`, `docker-archive:${archive}:me/box:2`]);
    assert.deepEqual((await loadFile(archive)).names, ['me/box:2']);
    // the same layers: the unpacked folder is shared
    assert.deepEqual(store.layerDirs(await store.resolve('me/box:2')), store.layerDirs(image));

    // saving a gzip-layer image gives skopeo an archive it accepts
    const resaved = path.join(work, 'resaved.tar');
    await store.save(['busybox:1.0'], createWriteStream(resaved));
    await run('skopeo', ['inspect', `docker-archive:${resaved}`]);
  });

  it('loads an OCI layout written by umoci (bare tags name no repository: loaded by id), its whiteout hides a file', async () => {
    const layout = path.join(work, 'umoci');
    const bundle = path.join(work, 'umoci-bundle');
    await run('umoci', ['init', '--layout', layout]);
    await run('umoci', ['new', '--image', `${layout}:v0`]);
    await run('umoci', ['unpack', '--image', `${layout}:v0`, bundle]);
    await fs.writeFile(path.join(bundle, 'rootfs/hello'), 'from umoci\n');
    await fs.writeFile(path.join(bundle, 'rootfs/gone'), 'deleted in v2\n');
    await run('umoci', ['repack', '--image', `${layout}:v1`, bundle]);
    // umoci repacks against the image it unpacked: start v2 from v1, so the deletion becomes an AUFS
    // whiteout ".wh.gone" in a second layer
    const bundle2 = path.join(work, 'umoci-bundle2');
    await run('umoci', ['unpack', '--image', `${layout}:v1`, bundle2]);
    await fs.rm(path.join(bundle2, 'rootfs/gone'));
    await run('umoci', ['repack', '--image', `${layout}:v2`, bundle2]);
    const { names, messages } = await loadFile(await tarFolder(layout, path.join(work, 'umoci.tar')));
    assert.equal(names.length, 3);
    for (const n of names) assert.match(n, /^sha256:[a-f0-9]{64}$/);
    assert.equal(messages[messages.length - 1], `Loaded image ID: ${names[2]}`);
    const v2 = (await store.list()).find((i) => i.layers.length === 2)!;
    const [bottom, top] = store.layerDirs(v2);
    assert.equal(await fs.readFile(path.join(bottom, 'gone'), 'utf8'), 'deleted in v2\n');
    assert.ok((await fs.lstat(path.join(top, 'gone'))).isCharacterDevice());
    const merged = await fs.mkdtemp(path.join(work, 'merged-'));
    await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${top}:${bottom}`, merged]);
    try {
      assert.equal(existsSync(path.join(merged, 'gone')), false);
      assert.equal(await fs.readFile(path.join(merged, 'hello'), 'utf8'), 'from umoci\n');
    } finally {
      await run('umount', [merged]);
    }
  });

  it('loads the ggcr one-image OCI layout fixture', async () => {
    const { names } = await loadFile(await tarFolder(path.join(FIXTURES, 'test_index_one_image'), path.join(work, 'ggcr.tar')));
    assert.deepEqual(names, ['sha256:381d958b555884ba59574ab5c066e9f6116b5aec3567675aa13bec63331f0810']);
  });

  describe('malformed tarballs are refused and leave nothing behind', () => {
    async function assertNothingLeft() {
      assert.deepEqual(await store.list(), []);
      assert.deepEqual(await fs.readdir(path.join(paths.content, 'blobs/sha256')), []);
      assert.deepEqual(await fs.readdir(path.join(paths.images, 'layers')), []);
      assert.deepEqual(await fs.readdir(paths.tmp), []);
    }
    async function refuses(tarball: Buffer, pattern: RegExp) {
      await assert.rejects(store.load(Readable.from([tarball])), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'INVALID_ARGUMENT', err.message);
        assert.match(err.message, pattern);
        return true;
      });
      await assertNothingLeft();
    }
    const config = (diffIds: string[]) => JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds } });

    it('not a tar at all', () => refuses(Buffer.from('hello, I am not a tarball'.repeat(40)), /image tarball is not a valid tar archive|image tarball is empty/));
    it('neither format', async () => refuses(await makeTar([{ name: 'README', data: 'hi' }]), /neither manifest.json \(docker-archive\) nor oci-layout \+ index.json/));
    it('an entry name escaping the archive', async () => refuses(await makeTar([{ name: '../../evil', data: 'x' }]), /entry "\.\.\/\.\.\/evil" uses "\.\." to escape/));
    it('a layer missing from the archive', async () =>
      refuses(
        await makeTar([
          { name: 'c.json', data: config([sha256('x')]) },
          { name: 'manifest.json', data: JSON.stringify([{ Config: 'c.json', RepoTags: ['bad:1'], Layers: ['l/layer.tar'] }]) },
        ]),
        /the layer "l\/layer.tar" is missing from the archive/,
      ));
    it('a layer with a symlink escape, after a good layer was unpacked', async () => {
      const good = await makeTar([{ name: 'ok', data: 'fine' }]);
      const evil = await makeTar([{ name: 'evil', type: 'symlink', linkname: '/tmp' }, { name: 'evil/pwned', data: 'x' }]);
      await refuses(
        await makeTar([
          { name: 'c.json', data: config([sha256(good), sha256(evil)]) },
          { name: 'good/layer.tar', data: good },
          { name: 'evil/layer.tar', data: evil },
          { name: 'manifest.json', data: JSON.stringify([{ Config: 'c.json', RepoTags: ['bad:1'], Layers: ['good/layer.tar', 'evil/layer.tar'] }]) },
        ]),
        /layer tarball "evil\/layer.tar" \(layer 2 of 2\): entry "evil\/pwned" goes through the symbolic link "evil"/,
      );
      assert.equal(existsSync('/tmp/pwned'), false);
    });
    it('a config whose diff_ids do not match the layers', async () => {
      const layer = await makeTar([{ name: 'a', data: 'a' }]);
      await refuses(
        await makeTar([
          { name: 'c.json', data: config([sha256('other')]) },
          { name: 'l/layer.tar', data: layer },
          { name: 'manifest.json', data: JSON.stringify([{ Config: 'c.json', RepoTags: ['bad:1'], Layers: ['l/layer.tar'] }]) },
        ]),
        /hashes to sha256:[a-f0-9]+ but the image config says/,
      );
    });
    it('an OCI blob whose bytes do not match its digest', async () => {
      const layer = await makeTar([{ name: 'a', data: 'a' }]);
      const cfg = config([sha256(layer)]);
      const manifest = JSON.stringify({ schemaVersion: 2, config: { digest: sha256(cfg), size: cfg.length }, layers: [{ digest: sha256('not this'), size: 1 }] });
      await refuses(
        await makeTar([
          { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
          { name: 'index.json', data: JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length }] }) },
          { name: `blobs/sha256/${sha256(manifest).slice(7)}`, data: manifest },
          { name: `blobs/sha256/${sha256(cfg).slice(7)}`, data: cfg },
          { name: `blobs/sha256/${sha256('not this').slice(7)}`, data: layer },
        ]),
        /refused blob: digest mismatch/,
      );
    });
  });
});
