import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { EngineHarness } from '../../helpers/engine-harness.js';
import { requires } from '../../helpers/requires.js';

// An engine root made before the image store owned its layers kept them in <root>/snapshots/layers, and
// its containers' snapshot.json name those paths. Such a root is laid out by hand (the layers folder put
// back where it was, the snapshot files rewritten as the older engine wrote them), with one container
// running and one stopped; the next engine start moves the layers to <root>/images/layers, and both
// containers, and new ones, keep working.
describe('engine roots of before: the unpacked layers move from snapshots/ to images/ at start (root)', function () {
  this.timeout(180_000);
  let engine: EngineHarness;

  before(async function () {
    requires(this, 'root', 'runc', 'overlayfs', 'docker-cli', 'busybox');
    engine = await EngineHarness.start();
    await engine.loadBusybox();
  });
  after(async () => engine?.stop());

  async function snapshotFiles(): Promise<string[]> {
    const dir = path.join(engine.root, 'snapshots/containers');
    return (await fs.readdir(dir)).map((id) => path.join(dir, id, 'snapshot.json')).filter((f) => existsSync(f));
  }

  it('moves the folder once, leaves a link, and the containers made before start, run and stop again', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'kept', 'busybox', 'sleep', '600']);
    await engine.dockerOk(['create', '--name', 'stopped', 'busybox', 'echo', 'made before']);
    await engine.stopEngine();

    // the layout of before: layers under snapshots/, snapshot.json naming them there
    const layers = path.join(engine.root, 'images/layers');
    const legacy = path.join(engine.root, 'snapshots/layers');
    await fs.rename(layers, legacy);
    const files = await snapshotFiles();
    assert.equal(files.length, 2);
    for (const file of files) {
      const text = await fs.readFile(file, 'utf8');
      assert.ok(text.includes(`${layers}/`), text);
      await fs.writeFile(file, text.split(`${layers}/`).join(`${legacy}/`));
    }

    await engine.startEngine();
    assert.equal(await fs.readlink(legacy), '../images/layers');
    assert.ok((await fs.lstat(layers)).isDirectory());
    assert.deepEqual(
      (await fs.readdir(layers)).filter((n) => !/^[a-f0-9]{64}$/.test(n)),
      [],
      'only layer folders are left in images/layers (no marker, no temp folder)',
    );

    // the running container kept its mount; after a stop its old paths are mounted again through the link
    assert.equal((await engine.dockerOk(['exec', 'kept', 'echo', 'alive'])).trim(), 'alive');
    await engine.dockerOk(['stop', '-t', '1', 'kept']);
    await engine.dockerOk(['start', 'kept']);
    assert.equal((await engine.dockerOk(['exec', 'kept', 'ls', '/bin/busybox'])).trim(), '/bin/busybox');
    assert.equal((await engine.dockerOk(['start', '-a', 'stopped'])).trim(), 'made before');

    // a new container stacks the layers where the store keeps them now
    assert.equal((await engine.dockerOk(['run', '--rm', 'busybox', 'echo', 'made after'])).trim(), 'made after');
    await engine.dockerOk(['create', '--name', 'new', 'busybox', 'true']);
    const lower = (await engine.dockerOk(['inspect', '--format', '{{.GraphDriver.Data.LowerDir}}', 'new'])).trim();
    assert.ok(lower.split(':').some((d) => d.startsWith(`${layers}/`)), lower);

    // the next start finds the link and leaves everything as it is
    await engine.restartEngine();
    assert.equal(await fs.readlink(legacy), '../images/layers');
    assert.equal((await engine.dockerOk(['exec', 'kept', 'echo', 'still here'])).trim(), 'still here');
  });
});
