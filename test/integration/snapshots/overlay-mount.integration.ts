// Real overlayfs mounts through OverlaySnapshotter + Mounter: the merged view, copy-up into upper/,
// whiteouts, many layers through short links, rollback of half-done mounts, and no leaks afterwards.
import assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, openSync, closeSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requires } from '../../helpers/requires.js';
import { Mounter } from '../../../src/engine/snapshots/mounter.js';
import { OverlaySnapshotter } from '../../../src/engine/snapshots/overlay-snapshotter.js';
import { MemoryTracer } from '../../../src/engine/trace/tracer.js';

describe('overlay snapshots mounted for real', function () {
  let root: string;
  let tracer: MemoryTracer;
  let mounter: Mounter;
  let snap: OverlaySnapshotter;

  before(function () {
    requires(this, 'root', 'overlayfs');
  });

  beforeEach(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'boxlab-snapshots-'));
    tracer = new MemoryTracer();
    mounter = new Mounter(tracer);
    snap = new OverlaySnapshotter(path.join(root, 'snapshots'), tracer);
    for (const [layer, files] of Object.entries({ base: { 'etc/os': 'base\n', 'etc/gone': 'x\n' }, top: { 'etc/os': 'top\n', 'app/run': 'go\n' } })) {
      for (const [file, text] of Object.entries(files)) {
        const p = path.join(root, 'layers', layer, file);
        await fs.mkdir(path.dirname(p), { recursive: true });
        await fs.writeFile(p, text);
      }
    }
  });

  afterEach(async () => {
    if (!root) return;
    await mounter.unmountAll(root);
    assert.deepEqual(await mounter.listMountsUnder(root), [], 'no mounts left');
    await fs.rm(root, { recursive: true, force: true });
  });

  it('shows the top layer over the base, writes go to upper/, deletes become whiteouts', async () => {
    const s = await snap.prepare('c1', [path.join(root, 'layers/base'), path.join(root, 'layers/top')]);
    await mounter.mount(s.mounts, 'c1');
    assert.equal(await mounter.isMounted(s.rootfs), true);
    assert.equal(readFileSync(path.join(s.rootfs, 'etc/os'), 'utf8'), 'top\n');
    assert.equal(readFileSync(path.join(s.rootfs, 'app/run'), 'utf8'), 'go\n');

    await fs.writeFile(path.join(s.rootfs, 'etc/new'), 'n\n');
    await fs.rm(path.join(s.rootfs, 'etc/gone'));
    assert.equal(readFileSync(path.join(s.upperdir, 'etc/new'), 'utf8'), 'n\n');
    const whiteout = statSync(path.join(s.upperdir, 'etc/gone'));
    assert.ok(whiteout.isCharacterDevice() && whiteout.rdev === 0, 'a 0/0 character device is overlayfs\'s whiteout');
    assert.equal(readFileSync(path.join(root, 'layers/base/etc/gone'), 'utf8'), 'x\n', 'lower layer untouched');

    assert.deepEqual(tracer.events.map((e) => e.step), ['snapshot.prepare', 'mount.overlay']);
    await mounter.unmount(s.rootfs, 'c1');
    assert.equal(await mounter.isMounted(s.rootfs), false);
    assert.equal(tracer.events.at(-1)!.step, 'mount.unmount');
    await snap.remove('c1');
    assert.deepEqual(await snap.list(), []);
  });

  it('mounts 60 layers with long paths through short links', async () => {
    const layers: string[] = [];
    for (let i = 0; i < 60; i++) {
      const dir = path.join(root, 'layers', `${'l'.repeat(80)}-${String(i).padStart(3, '0')}`);
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, `f${i}`), String(i));
      await fs.writeFile(path.join(dir, 'which'), String(i));
      layers.push(dir);
    }
    const s = await snap.prepare('many', layers);
    await mounter.mount(s.mounts, 'many');
    assert.equal(readFileSync(path.join(s.rootfs, 'which'), 'utf8'), '59', 'the last layer is on top');
    assert.equal(readFileSync(path.join(s.rootfs, 'f0'), 'utf8'), '0');
  });

  it('undoes earlier mounts when a later one fails', async () => {
    const s = await snap.prepare('rb', [path.join(root, 'layers/base')]);
    const bad = { type: 'bind', source: path.join(root, 'does-not-exist'), target: path.join(s.rootfs, 'data'), options: ['rbind'] };
    await assert.rejects(mounter.mount([...s.mounts, bad], 'rb'), /undid 1 earlier mount/);
    assert.deepEqual(await mounter.listMountsUnder(root), []);
  });

  it('a busy mount is detached lazily', async () => {
    const s = await snap.prepare('busy', [path.join(root, 'layers/base')]);
    await mounter.mount(s.mounts, 'busy');
    await fs.mkdir(path.join(s.rootfs, 'sub'));
    const fd = openSync(path.join(s.rootfs, 'etc/os'), 'r');
    try {
      await mounter.unmount(s.rootfs, 'busy');
      assert.equal(await mounter.isMounted(s.rootfs), false);
      assert.equal(tracer.events.at(-1)!.details.lazy, true);
    } finally {
      closeSync(fd);
    }
  });
});
