// OverlaySnapshotter without mounting: what prepare() creates on disk and the mount it describes.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OverlaySnapshotter } from '../../../../src/engine/snapshots/overlay-snapshotter.js';
import { fitsMountData } from '../../../../src/engine/snapshots/overlay-options.js';
import { MemoryTracer } from '../../../../src/engine/trace/tracer.js';
import { isAppError } from '../../../../src/core/errors.js';

describe('OverlaySnapshotter (no mounts)', () => {
  let root: string;
  let tracer: MemoryTracer;
  let mounted: Set<string>;
  let snap: OverlaySnapshotter;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'boxlab-snapshots-unit-'));
    tracer = new MemoryTracer();
    mounted = new Set();
    snap = new OverlaySnapshotter(root, tracer, { isMounted: async (t) => mounted.has(t) });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('prepare creates upper/work/merged and describes the overlay, lowest layer last', async () => {
    const s = await snap.prepare('c1', ['/layers/base/fs', '/layers/top/fs']);
    const dir = path.join(root, 'containers/c1');
    for (const sub of ['upper', 'work', 'merged']) assert.ok(existsSync(path.join(dir, sub)), sub);
    assert.deepEqual(s.lowerdirs, ['/layers/top/fs', '/layers/base/fs']);
    assert.equal(s.rootfs, path.join(dir, 'merged'));
    assert.deepEqual(s.mounts, [
      {
        type: 'overlay',
        source: 'overlay',
        target: path.join(dir, 'merged'),
        options: ['lowerdir=/layers/top/fs:/layers/base/fs', `upperdir=${dir}/upper`, `workdir=${dir}/work`],
      },
    ]);
    assert.equal(tracer.events[0].step, 'snapshot.prepare');
    assert.equal(tracer.events[0].details.lowerCount, 2);
    assert.match(tracer.events[0].text.en, /2 layer\(s\)/);
  });

  it('one layer still gets an upper and work dir; no layers gets an empty lower dir', async () => {
    const one = await snap.prepare('one', ['/layers/only/fs']);
    assert.match(one.mounts[0].options.join(','), /^lowerdir=\/layers\/only\/fs,upperdir=/);
    const none = await snap.prepare('none', []);
    assert.deepEqual(none.lowerdirs, [path.join(root, 'containers/none/empty')]);
    assert.ok(existsSync(none.lowerdirs[0]));
  });

  it('with the init layer: one shared folder, top-most lower dir, kept in snapshot.json and by remove()', async () => {
    const s = await snap.prepare('c1', ['/layers/base/fs', '/layers/top/fs'], { initLayer: true });
    const init = path.join(root, 'init');
    assert.deepEqual(s.lowerdirs, [init, '/layers/top/fs', '/layers/base/fs']);
    assert.equal(s.mounts[0].options[0], `lowerdir=${init}:/layers/top/fs:/layers/base/fs`);
    assert.ok(existsSync(path.join(init, 'dev/pts')));
    assert.deepEqual(await snap.get('c1'), s, 'get() after a restart describes the same mount');
    const [event] = tracer.events.filter((e) => e.step === 'snapshot.init-layer');
    assert.equal(event.details.written, true);
    assert.match(event.text.en, /init layer .*must be real directories.*symlink/);
    assert.match(event.text.zh, /初始化层/);
    // a second container shares it; an image with no layers needs no empty dir
    const none = await snap.prepare('c2', [], { initLayer: true });
    assert.deepEqual(none.lowerdirs, [init]);
    assert.equal(existsSync(path.join(root, 'containers/c2/empty')), false);
    assert.equal(tracer.events.filter((e) => e.step === 'snapshot.init-layer')[1].details.written, false);
    // removing a container's snapshot leaves the shared layer to the others
    await snap.remove('c1');
    await snap.remove('c2');
    assert.ok(existsSync(path.join(init, 'proc')));
    assert.deepEqual(await snap.list(), []);
  });

  it('many long layer paths go through short symlinks in l/', async () => {
    const layers = Array.from({ length: 60 }, (_, i) => `/var/lib/boxlab/images/layers/${'a'.repeat(60)}${String(i).padStart(4, '0')}/fs`);
    const s = await snap.prepare('big', layers);
    assert.ok(fitsMountData(s.mounts[0].options));
    assert.equal(s.lowerdirs.length, 60);
    assert.ok(s.lowerdirs.every((l) => l.startsWith(path.join(root, 'l') + '/')));
    assert.equal(readlinkSync(s.lowerdirs[0]), layers[59], 'top-most first');
    // a second container on the same layers reuses the same links
    const again = await snap.prepare('big2', layers);
    assert.deepEqual(again.lowerdirs, s.lowerdirs);
  });

  it('get, list and remove; remove refuses while mounted', async () => {
    await snap.prepare('a', ['/l1']);
    await snap.prepare('b', ['/l1']);
    assert.deepEqual(await snap.list(), ['a', 'b']);
    assert.deepEqual((await snap.get('a'))!.lowerdirs, ['/l1']);
    assert.equal(await snap.get('zzz'), undefined);
    mounted.add(path.join(root, 'containers/a/merged'));
    await assert.rejects(snap.remove('a'), (e) => isAppError(e, 'FAILED_PRECONDITION') && /still mounted/.test(e.message));
    mounted.clear();
    await snap.remove('a');
    assert.deepEqual(await snap.list(), ['b']);
    assert.equal(await snap.get('a'), undefined);
  });

  it('refuses a second prepare of the same key and keys that are paths', async () => {
    await snap.prepare('a', ['/l1']);
    await assert.rejects(snap.prepare('a', ['/l1']), /already exists/);
    await assert.rejects(snap.prepare('../etc', ['/l1']), (e) => isAppError(e, 'INVALID_ARGUMENT'));
  });
});
