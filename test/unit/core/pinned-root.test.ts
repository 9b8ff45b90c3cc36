// PinnedRoot resolves paths inside a directory as if it were "/", one pinned directory at a time: links
// resolve inside the root, ".." stops at it, and a symlink swapped in after a step cannot lead outside.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAppError } from '../../../src/core/errors.js';
import { PinnedRoot, type PinnedPath } from '../../../src/core/pinned-root.js';

describe('PinnedRoot', () => {
  let base: string;
  let root: string;
  /** a folder outside the root that nothing may touch */
  let outside: string;
  let pinned: PinnedRoot;
  const opened: PinnedPath[] = [];
  const resolve = async (inside: string, options = {}) => {
    const where = await pinned.resolve(inside, options);
    opened.push(where);
    return { inside: where.dir.inside, name: where.name };
  };

  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-pinned-root-'));
    root = path.join(base, 'root');
    outside = path.join(base, 'outside');
    await fs.mkdir(path.join(root, 'etc'), { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'secret'), 'host secret\n');
    await fs.writeFile(path.join(root, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
    await fs.symlink('/etc', path.join(root, 'abs-link'));
    await fs.symlink('../../../../../../etc', path.join(root, 'etc', 'up-link'));
    await fs.symlink('passwd', path.join(root, 'etc', 'rel-link'));
    await fs.symlink(outside, path.join(root, 'to-host'));
    await fs.symlink('loop', path.join(root, 'loop'));
    pinned = await PinnedRoot.open(root);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((w) => w.dir.close()));
    await pinned.close();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('resolves absolute links against the root, not the host\'s', async () => {
    assert.deepEqual(await resolve('/abs-link/passwd'), { inside: '/etc', name: 'passwd' });
    // /<host path of outside> does not exist inside the root: not found, never the host folder
    await assert.rejects(resolve('/to-host/secret'), (err) => isAppError(err, 'NOT_FOUND'));
  });

  it('stops ".." at the root', async () => {
    assert.deepEqual(await resolve('/../../etc/passwd'), { inside: '/etc', name: 'passwd' });
    assert.deepEqual(await resolve('/etc/up-link/passwd'), { inside: '/etc', name: 'passwd' });
    assert.deepEqual(await resolve('/etc/..'), { inside: '/', name: null });
  });

  it('keeps the last component a link unless asked to follow it', async () => {
    assert.deepEqual(await resolve('/etc/rel-link'), { inside: '/etc', name: 'rel-link' });
    assert.deepEqual(await resolve('/etc/rel-link', { followLast: true }), { inside: '/etc', name: 'passwd' });
    assert.deepEqual(await resolve('/abs-link', { followLast: true }), { inside: '/etc', name: null });
  });

  it('refuses a symlink loop and a file used as a directory', async () => {
    await assert.rejects(resolve('/loop/x'), /too many levels of symbolic links/);
    await assert.rejects(resolve('/etc/passwd/x'), /\/etc\/passwd is not a directory/);
  });

  it('creates missing directories on the way when asked, inside the root', async () => {
    assert.deepEqual(await resolve('/to-host/new/file', { createDirs: true }), { inside: outside + '/new', name: 'file' });
    assert.deepEqual(await fs.readdir(outside), ['secret']);
    await fs.access(path.join(root, outside, 'new'));
  });

  it('keeps working on the directory it pinned when a symlink is swapped in after the step', async () => {
    await fs.mkdir(path.join(root, 'work'));
    const work = await pinned.openDir('/work');
    opened.push({ dir: work, name: null });
    // what CVE-2018-15664's attacker does between the engine's check and its write
    await fs.rename(path.join(root, 'work'), path.join(root, 'work.moved'));
    await fs.symlink(outside, path.join(root, 'work'));
    await fs.writeFile(work.at('pwned'), 'x');
    assert.deepEqual(await fs.readdir(outside), ['secret']);
    assert.deepEqual(await fs.readdir(path.join(root, 'work.moved')), ['pwned']);
    // and the next walk meets the symlink, resolves it inside the root, and does not find the host folder
    await assert.rejects(resolve('/work/secret'), (err) => isAppError(err, 'NOT_FOUND'));
  });

  it('swapped by renameat2(RENAME_EXCHANGE) at every step, never leaves the root', async function () {
    // 300 walks against a process that swaps as fast as it can: a fixed amount of work that took 12 s on
    // this 2-core host under a load of 15 (about 1 s quiet); the timeout only guards against a hang
    this.timeout(60_000);
    // a real exchanger, as the attacker runs it; python's ctypes calls renameat2 without a compiler
    try {
      execFileSync('python3', ['-c', 'import ctypes'], { stdio: 'ignore' });
    } catch {
      this.skip();
    }
    await fs.mkdir(path.join(root, 'dir'));
    await fs.writeFile(path.join(root, 'dir', 'secret'), 'container file\n');
    await fs.symlink(outside, path.join(root, 'link'));
    const swapper = `import ctypes,os\nlibc=ctypes.CDLL(None,use_errno=True)\nd=os.open(${JSON.stringify(root)},os.O_RDONLY)\nfor i in range(200000): libc.renameat2(d,b"dir",d,b"link",2)\n`;
    const { spawn } = await import('node:child_process');
    const child = spawn('python3', ['-c', swapper], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      for (let i = 0; i < 300; i++) {
        try {
          const where = await pinned.resolve('/dir/secret');
          const entry = where.name ? await pinned.entry(where.dir, where.name) : null;
          if (entry?.file) assert.equal(await entry.file.readFile('utf8'), 'container file\n');
          await entry?.file?.close();
          await where.dir.close();
        } catch (err) {
          if (!isAppError(err)) throw err; // "not found" while /dir is the symlink: fine
        }
        const into = await pinned.resolve('/dir/new', { createDirs: true }).catch(() => undefined);
        if (into?.name) await fs.writeFile(into.dir.at(into.name), 'x', { flag: 'wx' }).catch(() => undefined);
        await into?.dir.close();
      }
    } finally {
      child.kill();
      await exited;
    }
    assert.deepEqual(await fs.readdir(outside), ['secret']);
  });

  it('tells what an entry is without following it, and never opens a fifo', async () => {
    execFileSync('mkfifo', [path.join(root, 'fifo')]);
    const top = await pinned.openDir('/');
    opened.push({ dir: top, name: null });
    const link = await pinned.entry(top, 'to-host');
    assert.equal(link?.linkTarget, outside);
    const fifo = await pinned.entry(top, 'fifo');
    assert.equal(fifo?.stat.isFIFO(), true);
    assert.equal(fifo?.file, undefined);
    const etc = await pinned.entry(top, 'etc');
    assert.equal(etc?.dir?.inside, '/etc');
    const passwd = etc?.dir ? await pinned.entry(etc.dir, 'passwd') : null;
    assert.match(String(await passwd?.file?.readFile('utf8')), /^root:/);
    await passwd?.file?.close();
    await etc?.dir?.close();
    assert.equal(await pinned.entry(top, 'missing'), null);
  });

  it('enters a mount\'s host directory in place of its mount point', async () => {
    const volume = path.join(base, 'volume');
    await fs.mkdir(volume);
    await fs.mkdir(path.join(root, 'data'));
    const mounted = await PinnedRoot.open(root, { '/data/': volume });
    try {
      const data = await mounted.openDir('/abs-link/../data');
      await fs.writeFile(data.at('f'), 'in the volume');
      await data.close();
      assert.deepEqual(await fs.readdir(volume), ['f']);
      assert.deepEqual(await fs.readdir(path.join(root, 'data')), []);
    } finally {
      await mounted.close();
    }
  });
});
