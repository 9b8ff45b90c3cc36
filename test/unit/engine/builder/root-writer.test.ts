// root-writer: untrusted tar names written into a folder as into a chroot (a temp folder stands for the
// root, a sibling folder for the host): symlinks on the way resolve inside, links are replaced not
// followed, hard links stay inside, a broken archive is a clear error. And resolveInLayers, the same walk
// over an image's layers.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { resolveInLayers } from '../../../../src/engine/builder/image-fs.js';
import { untarFileInRoot, untarInRoot } from '../../../../src/engine/builder/root-writer.js';

type Spec = [string, string] | { name: string; type: 'symlink' | 'link' | 'directory'; linkname?: string };

async function tarOf(entries: Spec[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<Buffer>((resolve) => pack.on('end', () => resolve(Buffer.concat(chunks))));
  for (const e of entries) {
    if (Array.isArray(e)) pack.entry({ name: e[0], mode: 0o644 }, e[1]);
    else pack.entry({ mode: 0o755, ...e });
  }
  pack.finalize();
  return done;
}

describe('root-writer: untar into a folder as into a chroot', () => {
  let base: string;
  let root: string;
  let host: string;

  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-root-writer-'));
    root = path.join(base, 'root');
    host = path.join(base, 'host');
    await fs.mkdir(root);
    await fs.mkdir(host);
    await fs.writeFile(path.join(host, 'victim'), 'original\n');
  });

  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  const untar = async (entries: Spec[]) => untarInRoot(Readable.from(await tarOf(entries)), root, { label: 'test archive' });
  const hostFiles = async () => (await fs.readdir(host)).sort();

  it('resolves a symlink to a host folder inside the root: an error when missing there, else written there', async () => {
    await assert.rejects(
      untar([{ name: 's', type: 'symlink', linkname: host }, ['s/pwned', 'x']]),
      /test archive entry "s\/pwned" cannot be written: open \/s\/pwned: no such file or directory/,
    );
    assert.deepEqual(await hostFiles(), ['victim']);
    await untar([{ name: 'in', type: 'directory' }, { name: 't', type: 'symlink', linkname: '/in' }, ['t/x', 'x'], ['t/deeper/y', 'y']]);
    assert.equal(await fs.readFile(path.join(root, 'in/x'), 'utf8'), 'x');
    assert.equal(await fs.readFile(path.join(root, 'in/deeper/y'), 'utf8'), 'y');
    assert.deepEqual(await hostFiles(), ['victim']);
  });

  it('replaces a symlink at the name rather than writing through it (file and hard link)', async () => {
    await untar([
      { name: 'v', type: 'symlink', linkname: path.join(host, 'victim') },
      ['v', 'pwned'],
      { name: 'w', type: 'symlink', linkname: path.join(host, 'victim') },
      ['h', 'pwned'],
      { name: 'w', type: 'link', linkname: 'h' },
    ]);
    assert.equal(await fs.readFile(path.join(host, 'victim'), 'utf8'), 'original\n');
    assert.equal(await fs.readFile(path.join(root, 'v'), 'utf8'), 'pwned');
    assert.equal((await fs.stat(path.join(root, 'w'))).ino, (await fs.stat(path.join(root, 'h'))).ino);
  });

  it('links a hard link to a symlink as the symlink, never copying what it names', async () => {
    await untar([{ name: 'v', type: 'symlink', linkname: path.join(host, 'victim') }, { name: 'h', type: 'link', linkname: 'v' }]);
    assert.equal(await fs.readlink(path.join(root, 'h')), path.join(host, 'victim'));
  });

  it('keeps absolute and ".." names and hard link targets inside the root, as a chroot does', async () => {
    await untar([['/abs', 'in'], ['../../out', 'x']]);
    assert.equal(await fs.readFile(path.join(root, 'abs'), 'utf8'), 'in');
    assert.equal(await fs.readFile(path.join(root, 'out'), 'utf8'), 'x');
    await assert.rejects(untar([{ name: 'h', type: 'link', linkname: '../host/victim' }]), /test archive entry "h" is a hard link to "\.\.\/host\/victim", which is not in the archive/);
    assert.deepEqual(await hostFiles(), ['victim']);
  });

  it('fails a truncated archive, plain or gzip, with a clear error', async () => {
    const whole = await tarOf([['big', 'a'.repeat(4096)]]);
    await assert.rejects(untarInRoot(Readable.from(whole.subarray(0, 1024)), root, { label: 'test archive' }), /test archive is not a valid tar archive: unexpected end of data/);
    const gz = path.join(base, 'cut.tar.gz');
    const zipped = gzipSync(whole);
    await fs.writeFile(gz, zipped.subarray(0, zipped.length - 20));
    await assert.rejects(untarFileInRoot(gz, root, { label: 'test archive' }), /test archive is not a valid tar archive: unexpected end of file/);
  });
});

describe('resolveInLayers: a path as the image sees it', () => {
  it("follows the image's symlinks across layers and never leaves the image's root", async () => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-layers-'));
    try {
      const lower = path.join(base, 'l0');
      const upper = path.join(base, 'l1');
      await fs.mkdir(path.join(lower, 'etc'), { recursive: true });
      await fs.mkdir(upper);
      await fs.symlink('/etc', path.join(upper, 'app'));
      await fs.symlink('../../../../..', path.join(upper, 'up'));
      assert.equal(await resolveInLayers([lower, upper], '/app/f'), 'etc/f');
      assert.equal(await resolveInLayers([lower, upper], 'up/etc/passwd'), 'etc/passwd');
      assert.equal(await resolveInLayers([lower, upper], 'new/dir'), 'new/dir');
    } finally {
      await fs.rm(base, { recursive: true, force: true });
    }
  });
});
