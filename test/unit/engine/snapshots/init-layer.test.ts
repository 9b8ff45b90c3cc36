// The init layer's entries (pure) and what ensureInitLayer writes: real folders and files where runc and
// the engine mount things, written once, atomically.
import assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureInitLayer, INIT_ENTRIES, initLayerDirs } from '../../../../src/engine/snapshots/init-layer.js';

describe('init layer', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(os.tmpdir(), 'boxlab-init-layer-unit-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('holds what Docker\'s init layer holds: mount points as folders, bind targets as files, /etc/mtab as a link', () => {
    const kinds = Object.fromEntries(INIT_ENTRIES.map((e) => [e.path, e.kind === 'symlink' ? `-> ${e.target}` : e.kind]));
    assert.deepEqual(kinds, {
      '/dev/pts': 'dir',
      '/dev/shm': 'dir',
      '/dev/console': 'file',
      '/proc': 'dir',
      '/sys': 'dir',
      '/etc/hosts': 'file',
      '/etc/hostname': 'file',
      '/etc/resolv.conf': 'file',
      '/etc/mtab': '-> /proc/mounts',
      '/.dockerenv': 'file',
    });
    for (const e of INIT_ENTRIES) assert.ok(e.why.length > 0, `${e.path} says why`);
  });

  it('initLayerDirs: every folder the entries need, parents first', () => {
    assert.deepEqual(initLayerDirs(), ['/dev', '/etc', '/proc', '/sys', '/dev/pts', '/dev/shm']);
    assert.deepEqual(initLayerDirs([{ path: '/a/b/c', kind: 'file', why: 'x' }]), ['/a', '/a/b']);
  });

  it('ensureInitLayer writes real folders, empty files and the link, then leaves them alone', async () => {
    const dir = path.join(root, 'init');
    assert.equal(await ensureInitLayer(dir), true);
    for (const d of initLayerDirs()) {
      const st = await fs.lstat(path.join(dir, d));
      assert.ok(st.isDirectory(), d);
      assert.equal(st.mode & 0o7777, 0o755, d);
    }
    for (const f of ['/dev/console', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/.dockerenv']) {
      const st = await fs.lstat(path.join(dir, f));
      assert.ok(st.isFile() && st.size === 0, f);
      assert.equal(st.mode & 0o7777, 0o755, f);
    }
    assert.equal(await fs.readlink(path.join(dir, 'etc/mtab')), '/proc/mounts');
    assert.equal(await ensureInitLayer(dir), false, 'the second call finds it');
    assert.deepEqual(await fs.readdir(root), ['init'], 'no temporary folder left');
  });

  it('a temporary folder from a crashed write is removed, and a half-written one is never used', async () => {
    const stale = path.join(root, 'init.tmp-deadbeef');
    await fs.mkdir(path.join(stale, 'dev'), { recursive: true });
    assert.equal(await ensureInitLayer(path.join(root, 'init')), true);
    assert.deepEqual(await fs.readdir(root), ['init']);
  });
});
