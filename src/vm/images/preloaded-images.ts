// The images a VM's engine has from its first boot, like `docker load` done once at image-build time
// instead of in every VM: each bake recipe this host has already baked (busybox and what the bake cache
// holds: httpd, python, redis...) is loaded by the engine's own image store into a copy of the staged
// engine root, which becomes the data disk's /var/lib/boxlab (mkfs.ext4 -d). A lab that needs httpd then
// finds it in the VM instead of copying a 260 MB tarball over ssh and unpacking it under TCG; the guest
// reads an image's files from the disk only when a container uses them. Recipes not baked here are left
// out (baking them from Debian packages is the slow part): `lab start` still bakes and loads those.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../core/exec.js';
import { bakedRecipeLayers } from '../../engine/images/bake/bake-service.js';
import { loadImageArchive } from '../../engine/index.js';
import { BOXLAB_ROOT } from './image-sources.js';
import type { InputFingerprint } from './qemu-image-recipe.js';

/** the recipes to preload (all the baked ones but busybox, which the initramfs's engine root has), their layers, and those as fingerprints */
export async function preloadableImages(): Promise<{ recipes: string[]; layers: Array<{ recipe: string; layers: string[] }>; fingerprints: InputFingerprint[] }> {
  const baked = (await bakedRecipeLayers()).filter((b) => b.recipe !== 'busybox');
  return { recipes: baked.map((b) => b.recipe), layers: baked, fingerprints: baked.map((b) => ({ name: `image/${b.recipe}`, digest: b.layers.join(',') })) };
}

/**
 * Writes the data disk's tree: <data>/var-lib-boxlab (the name init.sh gives /var/lib/boxlab on the disk)
 * is the staged engine root (busybox in it) plus the recipes' images. init.sh copies a folder from the
 * initramfs only when the disk lacks it, so the preloaded root is used as it is.
 */
export async function stagePreloadedImages(stage: string, data: string, recipes: readonly string[]): Promise<void> {
  const root = path.join(data, 'var-lib-boxlab');
  await fs.mkdir(data, { recursive: true });
  await run('cp', ['-a', path.join(stage, 'var/lib/boxlab'), root]);
  if (recipes.length === 0) return;
  const tar = path.join(data, 'preload.tar');
  try {
    await run(process.execPath, [path.join(BOXLAB_ROOT, 'bin/run.js'), 'image', 'bake', ...recipes, '--output', tar], { timeout: 600_000 });
    await loadImageArchive(root, tar);
  } finally {
    await fs.rm(tar, { force: true });
  }
}
