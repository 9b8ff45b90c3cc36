// What a QEMU image is built from, as digests: the host binaries (size and mtime), the recipe's files,
// boxlab's compiled code and its package files. recipeHash turns them and the recipe into the cache key,
// so any change of an input builds a new image.
import { COMPOSE_PLUGIN } from './compose-stage.js';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BOXLAB_ROOT, DOCKER_VARIANT_DIR, RECIPE_DIR } from './image-sources.js';
import type { InputFingerprint, QemuImageRecipe } from './qemu-image-recipe.js';

export async function fingerprints(recipe: QemuImageRecipe): Promise<InputFingerprint[]> {
  const out: InputFingerprint[] = [];
  for (const b of recipe.binaries) {
    const st = await fs.stat(b.path);
    out.push({ name: b.path, digest: `${st.size}:${Math.floor(st.mtimeMs)}` });
  }
  for (const f of await fs.readdir(RECIPE_DIR)) out.push({ name: `recipe/${f}`, digest: await fileDigest(path.join(RECIPE_DIR, f)) });
  if (recipe.variant) for (const f of await fs.readdir(DOCKER_VARIANT_DIR)) out.push({ name: `variant/${f}`, digest: await fileDigest(path.join(DOCKER_VARIANT_DIR, f)) });
  out.push({ name: 'compose/plugin', digest: await fileDigest(COMPOSE_PLUGIN) });
  out.push({ name: 'boxlab/dist', digest: await treeDigest(path.join(BOXLAB_ROOT, 'dist', 'src')) });
  out.push({ name: 'boxlab/dist-cli', digest: await treeDigest(path.join(BOXLAB_ROOT, 'dist', 'cli')) });
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
