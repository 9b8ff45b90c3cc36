// An app image (nginx, redis, httpd, python, network-tools, registry): the cached Debian base layer plus the app's
// own cached layer (app-layer.ts), with the config of app-recipes.ts. Two images built this way share the
// base layer, so the engine stores it once and a pull from the mirror says "Already exists" for it.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../../core/errors.js';
import type { ArchiveImage } from '../docker-archive-writer.js';
import { buildAppLayer, APP_TRIM } from './app-layer.js';
import { removeWorkDir } from './safe-remove.js';
import { appImageConfig, appRecipe, type AppRecipe } from './app-recipes.js';
import { bakeCacheDir, cachedLayer, readCachedLayer, recipeHash, type CachedLayerMeta } from './bake-cache.js';
import type { RecipeOptions } from './busybox-recipe.js';
import { debianBase, findDebianBase } from './debian-base.js';

interface AppLayerMeta extends CachedLayerMeta {
  recipe: string;
  base: string;
  versions: string[];
}

/** the app layer's cache key (pure): the recipe data, the base layer it goes on, the trim list */
export function appLayerKey(recipe: AppRecipe, baseDiffId: string): string {
  return recipeHash(recipe.name, { recipe, base: baseDiffId, trim: APP_TRIM });
}

/** the diff ids of the app's base and own layer when both are in the cache (baking it costs nothing) */
export async function bakedAppLayers(name: string, cacheDir = bakeCacheDir()): Promise<string[] | undefined> {
  const recipe = appRecipe(name);
  const base = recipe ? await findDebianBase({ cacheDir }) : undefined;
  if (!recipe || !base) return undefined;
  const layer = await readCachedLayer(path.join(cacheDir, appLayerKey(recipe, base.meta.diffId)));
  return layer ? [base.meta.diffId, layer.meta.diffId] : undefined;
}

export async function bakeApp(name: string, options: RecipeOptions = {}): Promise<ArchiveImage> {
  const recipe = appRecipe(name);
  if (!recipe) throw invalidArgument(`there is no app recipe for "${name}"`);
  const progress = options.progress ?? (() => undefined);
  const cacheDir = options.cacheDir ?? bakeCacheDir();
  const base = await debianBase({ progress, cacheDir });
  const key = appLayerKey(recipe, base.meta.diffId);
  const layer = await cachedLayer<AppLayerMeta>(cacheDir, key, async (tmp) => {
    const workDir = path.join(tmp, 'build');
    try {
      const built = await buildAppLayer(recipe, {
        lower: base.rootfs,
        workDir,
        aptCacheDir: path.join(cacheDir, 'apt'),
        layerFile: path.join(tmp, 'layer.tar'),
        progress,
      });
      return { diffId: built.diffId, size: built.size, recipe: recipe.name, base: base.meta.diffId, versions: built.versions };
    } finally {
      await removeWorkDir(workDir);
    }
  });
  if (layer.reused) progress(`${recipe.name}: reusing the layer cached in ${layer.dir} (${layer.meta.versions.join(' ')})`);
  return {
    config: appImageConfig(recipe, { diffId: base.meta.diffId, mirror: base.meta.mirror }, layer.meta.diffId),
    repoTags: [...recipe.tags],
    layers: [
      { diffId: base.meta.diffId, size: base.meta.size, open: () => createReadStream(base.layerFile) },
      { diffId: layer.meta.diffId, size: layer.meta.size, open: () => createReadStream(layer.layerFile) },
    ],
  };
}
