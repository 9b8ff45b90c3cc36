import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { run } from '../../../src/core/exec.js';
import { unpackLayer } from '../../../src/engine/images/layer-unpack.js';
import { requires } from '../../helpers/requires.js';
import { makeTar, sha256, type FixtureEntry } from './tar-fixture.js';

describe('layer unpacking (root)', function () {
  let work: string;
  let outside: string;
  before(function () {
    requires(this, 'root', 'overlayfs');
  });
  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-images-unpack-'));
    // a folder outside the layer that a hostile tarball tries to write into
    outside = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-images-outside-'));
  });
  afterEach(async () => {
    await fs.rm(work, { recursive: true, force: true });
    await fs.rm(outside, { recursive: true, force: true });
  });

  async function unpack(entries: FixtureEntry[], options: { gzip?: boolean; expectedDiffId?: string; name?: string } = {}) {
    const tarBytes = await makeTar(entries);
    const blobPath = path.join(work, options.name ?? 'layer.tar');
    await fs.writeFile(blobPath, options.gzip ? gzipSync(tarBytes) : tarBytes);
    const dest = path.join(work, 'layers', options.name ?? 'layer');
    await fs.mkdir(path.dirname(dest), { recursive: true });
    const result = await unpackLayer({ blobPath, dest, label: 'evil.tar', expectedDiffId: options.expectedDiffId });
    return { ...result, tarBytes, dest };
  }

  async function assertRefused(entries: FixtureEntry[], pattern: RegExp) {
    await assert.rejects(unpack(entries), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'INVALID_ARGUMENT');
      assert.match(err.message, /^layer tarball evil\.tar: entry "/);
      assert.match(err.message, pattern);
      return true;
    });
    // nothing half-unpacked stays behind, and nothing was written outside
    assert.deepEqual(await fs.readdir(path.join(work, 'layers')), []);
    assert.deepEqual(await fs.readdir(outside), []);
  }

  it('refuses an entry that climbs out with ../', async () => {
    const name = `../../${path.basename(outside)}/x`;
    await assertRefused([{ name: 'ok', data: 'fine' }, { name, data: 'pwned' }], /entry "\.\.\/\.\.\/boxlab-images-outside-[^"]+\/x" uses "\.\." to escape the layer/);
  });

  it('refuses an absolute path', async () => {
    await assertRefused([{ name: path.join(outside, 'abs'), data: 'pwned' }], /has an absolute path/);
  });

  it('refuses writing through a symlink that points outside (evil -> dir, then evil/pwned)', async () => {
    await assertRefused([{ name: 'evil', type: 'symlink', linkname: outside }, { name: 'evil/pwned', data: 'pwned' }], /entry "evil\/pwned" goes through the symbolic link "evil"/);
  });

  it('refuses a hard link to a file outside the layer', async () => {
    await assertRefused([{ name: 'h', type: 'link', linkname: '../../../../etc/passwd' }], /entry "h" is a hard link to "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd", which is outside the layer/);
  });

  it('refuses a hard link through a symlink to outside, and an absolute one to a file not in the layer', async () => {
    await fs.writeFile(path.join(outside, 'secret'), 'x');
    await assert.rejects(unpack([{ name: 'evil', type: 'symlink', linkname: outside }, { name: 'h', type: 'link', linkname: 'evil/secret' }]), /goes through the symbolic link "evil"/);
    await assert.rejects(unpack([{ name: 'h2', type: 'link', linkname: path.join(outside, 'secret') }]), /which is not in the layer/);
    assert.equal((await fs.stat(path.join(outside, 'secret'))).nlink, 1);
  });

  it('refuses device files', async () => {
    await assertRefused([{ name: 'dev/sda', type: 'character-device', devmajor: 8, devminor: 0 }], /is a character-device \(8\/0\); image layers may not create device files/);
  });

  it('keeps modes, owners, setuid, mtimes, symlinks and hard links; computes diff_id of gzip layers', async () => {
    const mtime = new Date('2021-03-04T05:06:07Z');
    const { fsDir, diffId, tarBytes, size, dest } = await unpack(
      [
        { name: './', type: 'directory', mode: 0o755 },
        { name: 'bin/', type: 'directory', mode: 0o750, mtime },
        { name: 'bin/su', data: '#!/bin/sh\n', mode: 0o4755, uid: 0, gid: 0, mtime },
        { name: 'home/u/file', data: 'abc', mode: 0o600, uid: 1000, gid: 1001, mtime },
        { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
        { name: 'bin/su2', type: 'link', linkname: 'bin/su' },
        { name: 'tmp/', type: 'directory', mode: 0o1777 },
      ],
      { gzip: true },
    );
    assert.equal(diffId, sha256(tarBytes));
    assert.equal(size, 13);
    const su = await fs.lstat(path.join(fsDir, 'bin/su'));
    assert.equal(su.mode & 0o7777, 0o4755);
    assert.equal(su.mtime.toISOString(), mtime.toISOString());
    const file = await fs.lstat(path.join(fsDir, 'home/u/file'));
    assert.deepEqual([file.uid, file.gid, file.mode & 0o777], [1000, 1001, 0o600]);
    assert.equal(await fs.readlink(path.join(fsDir, 'bin/sh')), '/bin/busybox');
    assert.equal((await fs.lstat(path.join(fsDir, 'bin/su2'))).ino, su.ino);
    const bin = await fs.lstat(path.join(fsDir, 'bin'));
    assert.equal(bin.mode & 0o7777, 0o750);
    assert.equal(bin.mtime.toISOString(), mtime.toISOString());
    assert.equal((await fs.lstat(path.join(fsDir, 'tmp'))).mode & 0o7777, 0o1777);
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(dest, 'layer.json'), 'utf8')), { diffId, size: 13 });
  });

  it('refuses a layer whose content does not match the diff_id of the config, leaving no folder', async () => {
    await assert.rejects(unpack([{ name: 'a', data: 'a' }], { expectedDiffId: sha256('something else') }), /uncompressed content hashes to sha256:[a-f0-9]{64} but the image config says/);
    assert.deepEqual(await fs.readdir(path.join(work, 'layers')), []);
  });

  it('turns AUFS whiteouts into overlayfs whiteouts: a file and an opaque folder are hidden in the merged view', async () => {
    const lower = await unpack(
      [
        { name: 'd/a', data: 'a' },
        { name: 'd/b', data: 'b' },
        { name: 'o/x', data: 'x' },
      ],
      { name: 'l1' },
    );
    const upper = await unpack(
      [
        { name: 'd/.wh.a', data: '' },
        { name: 'o/.wh..wh..opq', data: '' },
        { name: 'o/y', data: 'y' },
      ],
      { name: 'l2' },
    );
    const wh = await fs.lstat(path.join(upper.fsDir, 'd/a'));
    assert.ok(wh.isCharacterDevice());
    assert.equal(wh.rdev, 0);
    assert.equal((await run('getfattr', ['--only-values', '-n', 'trusted.overlay.opaque', path.join(upper.fsDir, 'o')])).stdout, 'y');
    assert.equal(existsSync(path.join(upper.fsDir, '.wh..wh..opq')), false);
    const merged = path.join(work, `merged-${randomBytes(3).toString('hex')}`);
    await fs.mkdir(merged);
    await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${upper.fsDir}:${lower.fsDir}`, merged]);
    try {
      assert.deepEqual((await fs.readdir(path.join(merged, 'd'))).sort(), ['b']);
      assert.deepEqual((await fs.readdir(path.join(merged, 'o'))).sort(), ['y']);
    } finally {
      await run('umount', [merged]);
    }
  });
});
