// The guest's kernel: one Debian linux-image package, downloaded with `apt-get download` and unpacked;
// its XZ-compressed bzImage is turned into the uncompressed vmlinux QEMU boots directly through PVH (4 s
// faster under TCG), and the modules the recipe names are staged with their dependencies (modprobe
// --show-depends) for depmod in the guest. Cached per package in vm-images/kernels/<package>/.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../core/exec.js';
import { copyFileInto } from './file-staging.js';
import { parseShowDepends } from './qemu-image-recipe.js';

const EXTRACT_VMLINUX = [
  'import lzma, sys',
  'd = open(sys.argv[1], "rb").read()',
  'off = d.find(b"\\xfd7zXZ\\x00")',
  'if off < 0: sys.exit("no xz payload in " + sys.argv[1])',
  'open(sys.argv[2], "wb").write(lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(d[off:]))',
].join('\n');

export interface KernelTree {
  dir: string;
  /** the unpacked package root (lib/modules/<version>/...) */
  root: string;
  version: string;
}

export async function ensureKernel(dir: string, pkg: string, say: (l: string) => void): Promise<KernelTree> {
  const version = pkg.replace(/^linux-image-/, '');
  const tree = { dir, root: path.join(dir, 'root'), version };
  if (await fs.stat(path.join(dir, 'vmlinux')).then(() => true, () => false)) return tree;
  const tmp = `${dir}.tmp-${process.pid}`;
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp, { recursive: true });
  say(`kernel: apt-get download ${pkg}`);
  await run('apt-get', ['download', pkg], { cwd: tmp, timeout: 300_000 });
  const deb = (await fs.readdir(tmp)).find((f) => f.endsWith('.deb'))!;
  say('kernel: dpkg -x and extracting the uncompressed vmlinux for PVH boot');
  await run('dpkg', ['-x', path.join(tmp, deb), path.join(tmp, 'root')]);
  await fs.rm(path.join(tmp, deb));
  await run('depmod', ['-b', path.join(tmp, 'root'), version]);
  await run('python3', ['-c', EXTRACT_VMLINUX, path.join(tmp, 'root', 'boot', `vmlinuz-${version}`), path.join(tmp, 'vmlinux')]);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rename(tmp, dir);
  return tree;
}

export async function stageModules(root: string, kernel: KernelTree, modules: string[]): Promise<void> {
  const kos = new Set<string>();
  for (const m of modules) {
    const r = await run('modprobe', ['-d', kernel.root, '-S', kernel.version, '--show-depends', m], { allowFailure: true });
    for (const ko of parseShowDepends(r.stdout)) kos.add(ko);
  }
  for (const ko of kos) await copyFileInto(root, ko, path.relative(kernel.root, ko).replace(/^/, '/'));
  const modDir = path.join('lib/modules', kernel.version);
  for (const f of ['modules.builtin', 'modules.order', 'modules.builtin.modinfo']) {
    await copyFileInto(root, path.join(kernel.root, modDir, f), '/' + path.join(modDir, f));
  }
  await run('depmod', ['-b', root, kernel.version]);
}
