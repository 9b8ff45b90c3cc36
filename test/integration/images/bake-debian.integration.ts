import assert from 'node:assert/strict';
import { createReadStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { enginePaths } from '../../../src/core/paths.js';
import { bakeImages } from '../../../src/engine/images/bake/bake-service.js';
import { LocalImageStore } from '../../../src/engine/images/local-image-store.js';
import { requires } from '../../helpers/requires.js';

// debootstrap downloads ~40 MB of packages from the configured Debian mirror and takes a minute or more
describe('bake debian (root, debootstrap)', function () {
  this.timeout(20 * 60_000);
  let work: string;
  before(function () {
    requires(this, 'root', 'debootstrap');
  });
  after(async () => {
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  it('builds a trimmed bookworm minbase image tagged debian:bookworm-slim, bookworm and latest, and loads it', async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-images-debian-'));
    const phases: string[] = [];
    const tarball = path.join(work, 'debian.tar');
    const result = await bakeImages({ names: ['debian'], output: tarball, workDir: work, progress: (l) => phases.push(l) });
    assert.ok(phases.some((p) => p.startsWith('debian: debootstrap --variant=minbase bookworm')));
    assert.deepEqual(result.images[0].tags, ['debian:bookworm-slim', 'debian:bookworm', 'debian:latest']);
    // the recipe cleans its temporary rootfs
    assert.deepEqual(await fs.readdir(work), ['debian.tar']);

    const store = new LocalImageStore(enginePaths(path.join(work, 'root')));
    await store.init();
    assert.deepEqual(await store.load(createReadStream(tarball)), ['debian:bookworm-slim', 'debian:bookworm', 'debian:latest']);
    const image = await store.resolve('debian');
    assert.equal(image.id, result.images[0].id);
    assert.deepEqual(image.config.Cmd, ['bash']);
    const [rootfs] = store.layerDirs(image);
    assert.match(await fs.readFile(path.join(rootfs, 'etc/debian_version'), 'utf8'), /^12\./);
    assert.deepEqual(await fs.readdir(path.join(rootfs, 'usr/share/doc')), []);
    assert.deepEqual(await fs.readdir(path.join(rootfs, 'dev')), []);
    assert.ok(image.size < 200e6, `image is ${image.size} bytes`);
    const out = await run('chroot', [rootfs, '/usr/bin/apt-get', '--version']);
    assert.match(out.stdout, /^apt /);
  });
});
