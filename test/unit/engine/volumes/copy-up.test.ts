import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyUp, copyUpFromRootfs } from '../../../../src/engine/volumes/copy-up.js';

describe('copyUp (image content into a new volume)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-volumes-copyup-'));
    mkdirSync(path.join(dir, 'rootfs/var/lib/app/sub'), { recursive: true });
    writeFileSync(path.join(dir, 'rootfs/var/lib/app/seed.db'), 'seed');
    symlinkSync('seed.db', path.join(dir, 'rootfs/var/lib/app/current'));
    chmodSync(path.join(dir, 'rootfs/var/lib/app'), 0o750);
    mkdirSync(path.join(dir, 'vol'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies files, links and the folder mode into an empty volume', async () => {
    assert.equal(await copyUp(path.join(dir, 'rootfs/var/lib/app'), path.join(dir, 'vol')), true);
    assert.equal(readFileSync(path.join(dir, 'vol/seed.db'), 'utf8'), 'seed');
    assert.equal(readlinkSync(path.join(dir, 'vol/current')), 'seed.db');
    assert.ok(statSync(path.join(dir, 'vol/sub')).isDirectory());
    assert.equal(statSync(path.join(dir, 'vol')).mode & 0o777, 0o750);
  });

  it('leaves a volume with content alone, and does nothing for a missing image path', async () => {
    writeFileSync(path.join(dir, 'vol/mine'), 'keep');
    assert.equal(await copyUp(path.join(dir, 'rootfs/var/lib/app'), path.join(dir, 'vol')), false);
    assert.deepEqual(readdirSync(path.join(dir, 'vol')), ['mine']);
    assert.equal(await copyUp(path.join(dir, 'rootfs/nope'), path.join(dir, 'vol')), false);
  });

  it('copyUpFromRootfs resolves image symlinks inside the rootfs', async () => {
    // /data in the image is a link to /var/lib/app: it must not resolve against the host's /var/lib/app
    symlinkSync('/var/lib/app', path.join(dir, 'rootfs/data'));
    assert.equal(await copyUpFromRootfs(path.join(dir, 'rootfs'), '/data', path.join(dir, 'vol')), true);
    assert.equal(readFileSync(path.join(dir, 'vol/seed.db'), 'utf8'), 'seed');
  });
});
