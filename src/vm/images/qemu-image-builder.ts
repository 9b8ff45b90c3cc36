// Builds the QEMU sandbox image offline from what is on this host plus one Debian kernel package
// (recipe "B-fast" of shared/notes/feasibility.md): the kernel is unpacked from `apt-get download`, its
// XZ-compressed bzImage turned into the uncompressed vmlinux that QEMU boots directly through PVH (4 s
// faster under TCG); the root filesystem is staged from host binaries (busybox, bash, dropbear, runc,
// iptables, node 20, a docker client) + boxlab itself, packed into an
// uncompressed initramfs; its /init bind-mounts it onto itself and moves that mount over / (runc cannot
// pivot_root away from the initramfs mount itself) and mounts a small ext4 data disk (a qcow2 overlay per VM: savevm/loadvm snapshots live
// in it) for what must persist. Files come from RAM, not the disk, because virtio disk reads are slow
// under TCG (~7 MB/s measured; node alone is 99 MB).
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { enginePaths } from '../../core/paths.js';
import { LocalImageStore } from '../../engine/images/local-image-store.js';
import { vmImagesCache } from '../vm-home.js';
import { stageDockerEngine, withImageVariant, type ImageVariant } from './docker-engine-variant.js';
import { bundleEngine } from './engine-bundle.js';
import { findBuilt, imageFiles, type BuiltImage } from './image-cache.js';
import { pickKernelPackage } from './kernel-package.js';
import {
  defaultQemuRecipe,
  parseLddOutput,
  parseModuleList,
  parseShowDepends,
  recipeHash,
  type InputFingerprint,
  type QemuImageRecipe,
} from './qemu-image-recipe.js';

/** the boxlab checkout or install this code runs from (dist/src/vm/images -> root) */
export const BOXLAB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const RECIPE_DIR = path.join(BOXLAB_ROOT, 'vm-images', 'qemu');
/** the docker variant's hook and module list (a folder of its own: the boxlabd image does not hash it) */
const DOCKER_VARIANT_DIR = path.join(BOXLAB_ROOT, 'vm-images', 'qemu-docker');
/** the node binary the recipe copies into the guest (defaultQemuRecipe) */
const GUEST_NODE = '/usr/bin/node';

export interface BuildOptions {
  cacheRoot?: string;
  progress?: (line: string) => void;
  /** rebuild even when the cache has this recipe */
  force?: boolean;
  /** 'docker' adds Debian's Docker engine (default boxlabd only) */
  variant?: ImageVariant;
}

export interface BuildResult extends BuiltImage {
  cached: boolean;
  ms: number;
}

const EXTRACT_VMLINUX = [
  'import lzma, sys',
  'd = open(sys.argv[1], "rb").read()',
  'off = d.find(b"\\xfd7zXZ\\x00")',
  'if off < 0: sys.exit("no xz payload in " + sys.argv[1])',
  'open(sys.argv[2], "wb").write(lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(d[off:]))',
].join('\n');

export async function ensureQemuImage(options: BuildOptions = {}): Promise<BuildResult> {
  const t0 = Date.now();
  const say = options.progress ?? (() => undefined);
  const cacheRoot = options.cacheRoot ?? vmImagesCache();
  const kernelPackage = await pickKernelPackage(cacheRoot);
  const modules = parseModuleList(await fs.readFile(path.join(RECIPE_DIR, 'modules.txt'), 'utf8'));
  const variant = options.variant ?? 'boxlabd';
  const variantModules = variant === 'docker' ? parseModuleList(await fs.readFile(path.join(DOCKER_VARIANT_DIR, 'modules.txt'), 'utf8')) : [];
  const recipe = withImageVariant(defaultQemuRecipe(kernelPackage, modules), variant, variantModules);
  recipe.binaries = recipe.binaries.filter((b) => (b.path !== '/usr/local/bin/docker' && !b.optional) || existsSync(b.path));
  if (!recipe.binaries.some((b) => b.as === '/usr/bin/docker')) recipe.binaries.push({ path: '/usr/bin/docker' });
  await checkHostInputs(recipe);
  const hash = recipeHash(recipe, await fingerprints(recipe));
  const hit = options.force ? undefined : await findBuilt(cacheRoot, hash);
  if (hit) return { ...hit, cached: true, ms: Date.now() - t0 };

  say(`vm image ${hash}: building (kernel ${kernelPackage})`);
  const kernel = await ensureKernel(path.join(cacheRoot, 'kernels', kernelPackage), kernelPackage, say);
  const work = `${path.join(cacheRoot, hash)}.tmp-${process.pid}`;
  await fs.rm(work, { recursive: true, force: true });
  const stage = path.join(work, 'rootfs');
  try {
    say('[1/5] staging the root filesystem (busybox, dropbear, runc, iptables, node, docker)');
    await stageRootfs(stage, recipe);
    if (recipe.variant === 'docker') await stageDockerEngine(stage, DOCKER_VARIANT_DIR, variantModules);
    say('[2/5] copying boxlab (dist, bin, production node_modules), baking the busybox image into the engine root');
    await stageBoxlab(stage);
    say('[3/5] kernel modules + depmod');
    await stageModules(stage, kernel, recipe.modules);
    say(`[4/5] the data disk: empty ext4 (sparse ${recipe.diskSize}) for /var/lib/boxlab, /root, /home`);
    await run('mkfs.ext4', ['-q', '-F', '-L', 'boxlab-data', path.join(work, 'rootfs.img'), recipe.diskSize]);
    say('[5/5] initramfs (uncompressed cpio: the kernel unpacks it fastest under TCG) + vmlinux');
    await fs.copyFile(path.join(RECIPE_DIR, 'initrd-init.sh'), path.join(stage, 'init'));
    await fs.chmod(path.join(stage, 'init'), 0o755);
    // positional parameters, not interpolation: the paths never become shell code
    await run('sh', ['-c', 'cd "$1" && find . | cpio -o -H newc --quiet > "$2"', 'sh', stage, path.join(work, 'initrd.cpio')]);
    await fs.link(path.join(kernel.dir, 'vmlinux'), path.join(work, 'vmlinux')).catch(() => fs.copyFile(path.join(kernel.dir, 'vmlinux'), path.join(work, 'vmlinux')));
    await fs.rm(stage, { recursive: true, force: true });
    await fs.writeFile(path.join(work, 'image.json'), JSON.stringify({ hash, kernelVersion: kernel.version, recipe, builtAt: new Date().toISOString() }, null, 2));
    const dir = path.join(cacheRoot, hash);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(work, dir);
    say(`vm image ${hash}: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await pruneOldImages(cacheRoot, KEEP_IMAGES);
    return { ...imageFiles(dir, hash, kernel.version), cached: false, ms: Date.now() - t0 };
  } catch (err) {
    await fs.rm(work, { recursive: true, force: true });
    throw err;
  }
}

/** builds kept in the cache: each is ~200 MB, and a stopped VM needs its own build to start again */
const KEEP_IMAGES = 3;

async function pruneOldImages(cacheRoot: string, keep: number): Promise<void> {
  const dirs = [];
  for (const e of await fs.readdir(cacheRoot)) {
    if (!/^[0-9a-f]{16}$/.test(e)) continue;
    const st = await fs.stat(path.join(cacheRoot, e, 'image.json')).catch(() => undefined);
    if (st) dirs.push({ dir: path.join(cacheRoot, e), mtime: st.mtimeMs });
  }
  dirs.sort((a, b) => b.mtime - a.mtime);
  // a running VM keeps its open files; only a stopped VM on a pruned build must be recreated
  for (const d of dirs.slice(keep)) await fs.rm(d.dir, { recursive: true, force: true });
}

function existsSync(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

async function checkHostInputs(recipe: QemuImageRecipe): Promise<void> {
  const absent = [];
  for (const b of recipe.binaries) if (!existsSync(b.path)) absent.push(b.path);
  if (absent.length) {
    throw new AppError('FAILED_PRECONDITION', `cannot build the vm image: missing ${absent.join(', ')}`, {
      suggestions: ['install them: apt-get install busybox-static dropbear-bin openssh-sftp-server runc iptables attr procps docker.io', 'node 20 must be /usr/bin/node'],
    });
  }
}

async function fingerprints(recipe: QemuImageRecipe): Promise<InputFingerprint[]> {
  const out: InputFingerprint[] = [];
  for (const b of recipe.binaries) {
    const st = await fs.stat(b.path);
    out.push({ name: b.path, digest: `${st.size}:${Math.floor(st.mtimeMs)}` });
  }
  for (const f of await fs.readdir(RECIPE_DIR)) out.push({ name: `recipe/${f}`, digest: await fileDigest(path.join(RECIPE_DIR, f)) });
  if (recipe.variant) for (const f of await fs.readdir(DOCKER_VARIANT_DIR)) out.push({ name: `variant/${f}`, digest: await fileDigest(path.join(DOCKER_VARIANT_DIR, f)) });
  out.push({ name: 'boxlab/dist', digest: await treeDigest(path.join(BOXLAB_ROOT, 'dist', 'src')) });
  out.push({ name: 'boxlab/bin', digest: await treeDigest(path.join(BOXLAB_ROOT, 'bin')) });
  for (const f of ['package.json', 'package-lock.json']) out.push({ name: f, digest: await fileDigest(path.join(BOXLAB_ROOT, f)).catch(() => 'none') });
  return out;
}

async function fileDigest(file: string): Promise<string> {
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
}

async function treeDigest(dir: string): Promise<string> {
  const h = createHash('sha256');
  const walk = async (d: string): Promise<void> => {
    for (const e of (await fs.readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (!e.name.endsWith('.map')) h.update(`${path.relative(dir, p)}\0`).update(await fs.readFile(p));
    }
  };
  await walk(dir);
  return h.digest('hex');
}

interface KernelTree {
  dir: string;
  /** the unpacked package root (lib/modules/<version>/...) */
  root: string;
  version: string;
}

async function ensureKernel(dir: string, pkg: string, say: (l: string) => void): Promise<KernelTree> {
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

async function copyFileInto(root: string, file: string, as = file): Promise<void> {
  const dest = path.join(root, as);
  await fs.mkdir(path.dirname(dest), { recursive: true });
  await fs.copyFile(await fs.realpath(file), dest);
  const st = await fs.stat(file);
  await fs.chmod(dest, st.mode & 0o7777);
}

async function copyWithLibs(root: string, file: string, as?: string): Promise<void> {
  await copyFileInto(root, file, as);
  const copied = [path.join(root, as ?? file)];
  const ldd = await run('ldd', [file], { allowFailure: true });
  if (ldd.exitCode === 0) {
    for (const lib of parseLddOutput(ldd.stdout)) {
      if (await fs.stat(path.join(root, lib)).then(() => true, () => false)) continue;
      await copyFileInto(root, lib);
      copied.push(path.join(root, lib));
    }
  }
  await stripSymbols(copied);
}

/**
 * Symbols and debug info are dead weight in the initramfs, and the kernel unpacks every byte of it at
 * each boot (~10 ms per MB under TCG): stripping node and the docker client alone saves ~26 MB. Without
 * binutils' strip the files stay as they are.
 */
async function stripSymbols(files: string[]): Promise<void> {
  await run('strip', ['--strip-unneeded', ...files], { allowFailure: true });
}

async function stageRootfs(stage: string, recipe: QemuImageRecipe): Promise<void> {
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc/dropbear', 'proc', 'sys', 'dev', 'run', 'tmp', 'root', 'var/lib/boxlab', 'var/log', 'opt/boxlab/images', 'lib64', 'newroot', 'home']) {
    await fs.mkdir(path.join(stage, d), { recursive: true });
  }
  await fs.chmod(path.join(stage, 'tmp'), 0o1777);
  for (const b of recipe.binaries) {
    await copyWithLibs(stage, b.path, b.as);
    for (const l of b.links ?? []) await fs.symlink(path.basename(b.as ?? b.path), path.join(stage, path.dirname(b.as ?? b.path), l));
  }
  for (const f of recipe.folders) {
    await fs.mkdir(path.join(stage, path.dirname(f)), { recursive: true });
    await run('cp', ['-a', f, path.join(stage, f)]);
  }
  // busybox applets at the paths busybox itself lists (sbin/modprobe matters: the kernel calls it)
  const list = await run('/bin/busybox', ['--list-full']);
  for (const rel of list.stdout.split('\n').filter(Boolean)) {
    const dest = path.join(stage, rel);
    if (path.basename(rel) === 'busybox') continue;
    if (await fs.lstat(dest).then(() => true, () => false)) continue;
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await fs.symlink('/bin/busybox', dest);
  }
  await fs.writeFile(path.join(stage, 'etc/passwd'), 'root::0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  await fs.writeFile(path.join(stage, 'etc/group'), 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n');
  await fs.writeFile(path.join(stage, 'etc/shells'), '/bin/sh\n/bin/bash\n');
  await fs.writeFile(path.join(stage, 'etc/os-release'), 'NAME="boxlab sandbox"\nID=boxlab\nPRETTY_NAME="boxlab sandbox (Debian 12 parts)"\n');
  await fs.writeFile(path.join(stage, 'root/.profile'), 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nexport DOCKER_HOST=unix:///run/boxlab/docker.sock\n');
  await fs.writeFile(path.join(stage, 'root/.bashrc'), '. /root/.profile\nPS1="\\h:\\w# "\n');
  await fs.writeFile(path.join(stage, 'etc/environment'), 'DOCKER_HOST=unix:///run/boxlab/docker.sock\n');
  // one host key per image build (every VM of this image shares it; clients pin per vm dir, not globally)
  await run('dropbearkey', ['-t', 'ed25519', '-f', path.join(stage, 'etc/dropbear/dropbear_ed25519_host_key')]);
  await copyFileInto(stage, path.join(RECIPE_DIR, 'init.sh'), '/sbin/boxlab-init');
  await fs.chmod(path.join(stage, 'sbin/boxlab-init'), 0o755);
}

/** the production dependency closure of package.json, walked through node_modules (hoisted layout) */
async function productionPackages(root: string): Promise<string[]> {
  const seen = new Set<string>();
  const visit = async (from: string, deps: Record<string, string>) => {
    for (const name of Object.keys(deps)) {
      let dir = from;
      let found: string | undefined;
      for (;;) {
        const candidate = path.join(dir, 'node_modules', name);
        if (await fs.stat(path.join(candidate, 'package.json')).then(() => true, () => false)) {
          found = candidate;
          break;
        }
        if (dir === root) break;
        dir = path.dirname(dir);
      }
      if (!found || seen.has(found)) continue;
      seen.add(found);
      const pj = JSON.parse(await fs.readFile(path.join(found, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
      await visit(found, { ...pj.dependencies, ...pj.optionalDependencies });
    }
  };
  const pj = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  await visit(root, pj.dependencies ?? {});
  return [...seen].sort();
}

async function stageBoxlab(stage: string): Promise<void> {
  const dest = path.join(stage, 'opt/boxlab');
  await fs.mkdir(path.join(dest, 'dist'), { recursive: true });
  await run('cp', ['-a', path.join(BOXLAB_ROOT, 'dist/src'), path.join(dest, 'dist/')]);
  await run('cp', ['-a', path.join(BOXLAB_ROOT, 'bin'), path.join(BOXLAB_ROOT, 'package.json'), dest + '/']);
  if (existsSync(path.join(BOXLAB_ROOT, 'oclif.manifest.json'))) await fs.copyFile(path.join(BOXLAB_ROOT, 'oclif.manifest.json'), path.join(dest, 'oclif.manifest.json'));
  for (const pkg of await productionPackages(BOXLAB_ROOT)) {
    const rel = path.relative(BOXLAB_ROOT, pkg);
    await fs.mkdir(path.dirname(path.join(dest, rel)), { recursive: true });
    await run('cp', ['-a', pkg, path.dirname(path.join(dest, rel)) + '/']);
    // nested node_modules were copied along; native build leftovers are not needed at run time
    await fs.rm(path.join(dest, rel, 'build', 'Release', 'obj.target'), { recursive: true, force: true });
  }
  await pruneNodeModules(path.join(dest, 'node_modules'));
  await fs.symlink('/opt/boxlab/bin/run.js', path.join(stage, 'usr/bin/boxlab'));
  await bundleEngine(RECIPE_DIR, dest, GUEST_NODE);
  const tar = path.join(stage, 'tmp', 'busybox.tar');
  await run(process.execPath, [path.join(BOXLAB_ROOT, 'bin/run.js'), 'image', 'bake', 'busybox', '--output', tar], { timeout: 300_000 });
  await preloadImage(path.join(stage, 'var/lib/boxlab'), tar);
  await fs.rm(tar);
}

/**
 * `docker load` at image-build time instead of at every first boot (~7 s under TCG): the engine's own
 * image store unpacks the tarball into the staged /var/lib/boxlab, whose records hold only relative
 * paths; stage 1 copies that tree onto a new VM's data disk. The marker keeps init from loading it again.
 */
async function preloadImage(engineRoot: string, tarball: string): Promise<void> {
  const store = new LocalImageStore(enginePaths(engineRoot));
  await store.init();
  await store.load(createReadStream(tarball));
  await fs.rm(enginePaths(engineRoot).tmp, { recursive: true, force: true });
  await fs.writeFile(path.join(engineRoot, `.loaded-${path.basename(tarball)}`), '');
}

/** the initramfs lives in guest RAM: drop native sources, other platforms' prebuilds, types and maps */
async function pruneNodeModules(dir: string): Promise<void> {
  const rm = (p: string) => fs.rm(path.join(dir, p), { recursive: true, force: true });
  for (const p of ['node-pty/deps', 'node-pty/third_party', 'node-pty/src', 'better-sqlite3/deps', 'better-sqlite3/src', 'better-sqlite3/build/deps', 'better-sqlite3/build/Release/obj', 'better-sqlite3/build/Release/.deps']) await rm(p);
  const pre = path.join(dir, 'node-pty/prebuilds');
  for (const p of await fs.readdir(pre).catch(() => [] as string[])) if (p !== `${process.platform}-${process.arch}`) await rm(path.join('node-pty/prebuilds', p));
  const walk = async (d: string): Promise<void> => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.(d\.ts|map|md|markdown)$/.test(e.name) && !/^(readme|license)/i.test(e.name)) await fs.rm(p, { force: true });
    }
  };
  await walk(dir);
}

async function stageModules(root: string, kernel: KernelTree, modules: string[]): Promise<void> {
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
