// Builds the QEMU sandbox image offline from what is on this host plus one Debian kernel package
// (recipe "B-fast" of shared/notes/feasibility.md), or finds it in the cache by its recipe's hash. The
// steps, each in its own module: the kernel and its modules (guest-kernel.ts), the root filesystem staged
// from host binaries (rootfs-stage.ts: busybox, bash, dropbear, runc, iptables, node 20, a docker client),
// boxlab itself with busybox preloaded (boxlab-stage.ts), an ext4 data disk whose engine root holds every
// image the host's bake cache has (preloaded-images.ts; cached apart, data-disk-cache.ts), then one uncompressed
// initramfs. Its /init bind-mounts it onto itself and moves that mount over / (runc cannot pivot_root
// away from the initramfs mount itself) and mounts the data disk (a qcow2 overlay per VM: savevm/loadvm
// snapshots live in it) for what must persist. Files come from RAM, not the disk, because virtio disk
// reads are slow under TCG (~7 MB/s measured; node alone is 99 MB).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { hostHasCompose, stageCompose } from './compose-stage.js';
import { run } from '../../core/exec.js';
import { waitForPidLock } from '../../core/pid-lock.js';
import { vmImagesCache } from '../vm-home.js';
import { stageBoxlab } from './boxlab-stage.js';
import { busyboxFingerprint, placeDataDisk } from './data-disk-cache.js';
import { stageDockerEngine, withImageVariant, type ImageVariant } from './docker-engine-variant.js';
import { isFile } from './file-staging.js';
import { ensureKernel, stageModules } from './guest-kernel.js';
import { findBuilt, imageFiles, KEEP_IMAGES, pruneOldImages, type BuiltImage } from './image-cache.js';
import { DOCKER_VARIANT_DIR, RECIPE_DIR } from './image-sources.js';
import { pickKernelPackage } from './kernel-package.js';
import { preloadableImages } from './preloaded-images.js';
import { defaultQemuRecipe, parseModuleList, recipeHash, type QemuImageRecipe } from './qemu-image-recipe.js';
import { fingerprints } from './recipe-fingerprints.js';
import { checkHostInputs, stageRootfs } from './rootfs-stage.js';

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

export async function ensureQemuImage(options: BuildOptions = {}): Promise<BuildResult> {
  const t0 = Date.now();
  const say = options.progress ?? (() => undefined);
  const cacheRoot = options.cacheRoot ?? vmImagesCache();
  const kernelPackage = await pickKernelPackage(cacheRoot);
  const modules = parseModuleList(await fs.readFile(path.join(RECIPE_DIR, 'modules.txt'), 'utf8'));
  const variant = options.variant ?? 'boxlabd';
  const variantModules = variant === 'docker' ? parseModuleList(await fs.readFile(path.join(DOCKER_VARIANT_DIR, 'modules.txt'), 'utf8')) : [];
  const recipe = withImageVariant(defaultQemuRecipe(kernelPackage, modules), variant, variantModules);
  recipe.binaries = recipe.binaries.filter((b) => (b.path !== '/usr/local/bin/docker' && !b.optional) || isFile(b.path));
  if (!recipe.binaries.some((b) => b.as === '/usr/bin/docker')) recipe.binaries.push({ path: '/usr/bin/docker' });
  await checkHostInputs(recipe);
  // the docker variant's labs use dockerd's own store: only the boxlabd image preloads baked images
  const preload = variant === 'boxlabd' ? await preloadableImages() : { recipes: [], layers: [], fingerprints: [] };
  if (preload.recipes.length > 0) recipe.images = preload.recipes;
  const hash = recipeHash(recipe, [...(await fingerprints(recipe)), ...preload.fingerprints]);
  const hit = options.force ? undefined : await findBuilt(cacheRoot, hash);
  if (hit) return { ...hit, cached: true, ms: Date.now() - t0 };
  // one build at a time per cache: two `boxlab up` at once (or a lab's nodes) would build the same kernel,
  // data disk and image side by side, and the second rename would fail on the first's finished folder
  const lock = await waitForPidLock(path.join(cacheRoot, 'build.lock'), { onWait: (pid) => say(`vm image ${hash}: waiting for the build of boxlab pid ${pid} (one build at a time per cache)`) });
  try {
    const built = options.force ? undefined : await findBuilt(cacheRoot, hash);
    if (built) return { ...built, cached: true, ms: Date.now() - t0 };
    return await buildImage({ cacheRoot, hash, kernelPackage, recipe, preload, variantModules, say, t0 });
  } finally {
    await lock.release();
  }
}

/** what one build needs, decided before it takes the cache's lock */
interface ImageBuild {
  cacheRoot: string;
  hash: string;
  kernelPackage: string;
  recipe: QemuImageRecipe;
  preload: Awaited<ReturnType<typeof preloadableImages>>;
  variantModules: string[];
  say: (line: string) => void;
  t0: number;
}

async function buildImage({ cacheRoot, hash, kernelPackage, recipe, preload, variantModules, say, t0 }: ImageBuild): Promise<BuildResult> {
  say(`vm image ${hash}: building (kernel ${kernelPackage})`);
  const kernel = await ensureKernel(path.join(cacheRoot, 'kernels', kernelPackage), kernelPackage, say);
  const work = `${path.join(cacheRoot, hash)}.tmp-${process.pid}`;
  await fs.rm(work, { recursive: true, force: true });
  const stage = path.join(work, 'rootfs');
  try {
    say('[1/5] staging the root filesystem (busybox, dropbear, runc, iptables, node, docker)');
    await stageRootfs(stage, recipe);
    if (hostHasCompose()) await stageCompose(stage);
    else say('docker-compose is not installed on this host: the image has no compose client (apt-get install docker-compose)');
    if (recipe.variant === 'docker') await stageDockerEngine(stage, DOCKER_VARIANT_DIR, variantModules);
    say('[2/5] copying boxlab (dist, bin, production node_modules), baking the busybox image into the engine root');
    await stageBoxlab(stage);
    say('[3/5] kernel modules + depmod');
    await stageModules(stage, kernel, recipe.modules);
    say(`[4/5] the data disk: ext4 (sparse ${recipe.diskSize}) for /var/lib/boxlab, /root, /home; the engine root with busybox${recipe.images ? `, ${recipe.images.join(', ')}` : ''} preloaded`);
    const disk = await placeDataDisk(cacheRoot, stage, { size: recipe.diskSize, images: preload.layers, busybox: await busyboxFingerprint() }, path.join(work, 'rootfs.img'));
    say(`data disk ${disk.key}: ${disk.cached ? 'linked from the cache (the baked images did not change)' : 'built and cached'}`);
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
