import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, linkSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalVolumeStore } from '../../../../src/engine/volumes/local-volume-store.js';
import { MemoryTracer } from '../../../../src/engine/trace/tracer.js';
import { isAppError } from '../../../../src/core/errors.js';
import type { Mounter } from '../../../../src/engine/snapshots/mounter.js';

describe('LocalVolumeStore', () => {
  let root: string;
  let tracer: MemoryTracer;
  let store: LocalVolumeStore;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'boxlab-volumes-unit-'));
    tracer = new MemoryTracer();
    store = new LocalVolumeStore(root, tracer);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a volume with options: activate mounts it once, deactivate takes it off (a plain volume has no mount to take off)', async () => {
    const mountedAt = new Set<string>();
    const calls: string[] = [];
    const mounter = {
      isMounted: async (dir: string) => mountedAt.has(dir),
      mount: async (ds: Array<{ type: string; target: string }>) => ds.forEach((d) => (calls.push(`mount ${d.type}`), mountedAt.add(d.target))),
      unmount: async (dir: string) => (calls.push('unmount'), mountedAt.delete(dir)),
    } as unknown as Mounter;
    const withMounter = new LocalVolumeStore(root, tracer, mounter);
    await withMounter.create('scratch', {}, { type: 'tmpfs', device: 'tmpfs' });
    await withMounter.create('plain');
    await withMounter.activate('scratch');
    await withMounter.activate('scratch');
    assert.deepEqual(calls, ['mount tmpfs']);
    await withMounter.deactivate('scratch');
    await withMounter.deactivate('scratch');
    await withMounter.deactivate('plain');
    await withMounter.deactivate('gone');
    assert.deepEqual(calls, ['mount tmpfs', 'unmount']);
    assert.equal(mountedAt.size, 0);
  });

  it('create makes volumes/<name>/_data and an atomic volume.json with Docker\'s fields', async () => {
    const v = await store.create('data', { team: 'a' });
    assert.equal(v.Name, 'data');
    assert.equal(v.Driver, 'local');
    assert.equal(v.Scope, 'local');
    assert.equal(v.Mountpoint, path.join(root, 'data/_data'));
    assert.match(v.CreatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(v.Labels, { team: 'a' });
    assert.ok(existsSync(v.Mountpoint));
    assert.deepEqual(JSON.parse(readFileSync(path.join(root, 'data/volume.json'), 'utf8')), v);
    assert.equal(tracer.events[0].step, 'volume.create');
  });

  it('creating an existing volume returns it unchanged', async () => {
    const a = await store.create('data', { x: '1' });
    const b = await store.create('data', { y: '2' });
    assert.deepEqual(b, a);
  });

  it('anonymous volumes get a 64-hex name', async () => {
    const v = await store.create(undefined);
    assert.match(v.Name, /^[0-9a-f]{64}$/);
  });

  it('refuses names Docker refuses', async () => {
    for (const bad of ['a', '-x', '../x', 'a/b', 'a b']) {
      await assert.rejects(store.create(bad), (e) => isAppError(e, 'INVALID_ARGUMENT') && e.message.startsWith(`create ${bad}: "${bad}" includes invalid characters`));
    }
  });

  it('get and remove of a missing volume: get <name>: no such volume', async () => {
    await assert.rejects(store.get('nope'), (e) => isAppError(e, 'NOT_FOUND') && e.message === 'get nope: no such volume');
    await assert.rejects(store.remove('nope', { isInUse: () => false }), (e) => isAppError(e, 'NOT_FOUND'));
    await store.remove('nope', { force: true, isInUse: () => false });
    await assert.rejects(store.get('../etc'), (e) => isAppError(e, 'NOT_FOUND'));
  });

  it('remove refuses a volume in use, naming the containers', async () => {
    await store.create('data');
    await assert.rejects(
      store.remove('data', { isInUse: () => true, usedBy: () => ['abc123', 'def456'] }),
      (e) => isAppError(e, 'FAILED_PRECONDITION') && e.message === 'remove data: volume is in use - [abc123, def456]',
    );
    assert.ok(existsSync(path.join(root, 'data/_data')));
    await store.remove('data', { isInUse: () => false });
    assert.ok(!existsSync(path.join(root, 'data')));
    assert.deepEqual(await store.list(), []);
  });

  it('list returns every volume by name; a folder without volume.json is not a volume', async () => {
    await store.create('zeta');
    await store.create('alpha');
    mkdirSync(path.join(root, 'half-made/_data'), { recursive: true });
    assert.deepEqual((await store.list()).map((v) => v.Name), ['alpha', 'zeta']);
  });

  it('usage sums file sizes, hard links once', async () => {
    const v = await store.create('data');
    writeFileSync(path.join(v.Mountpoint, 'a'), 'x'.repeat(1000));
    mkdirSync(path.join(v.Mountpoint, 'd'));
    writeFileSync(path.join(v.Mountpoint, 'd/b'), 'y'.repeat(24));
    linkSync(path.join(v.Mountpoint, 'a'), path.join(v.Mountpoint, 'd/a-link'));
    assert.equal(await store.usage('data'), 1024);
  });
});
