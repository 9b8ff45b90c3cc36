// The bake cache: a baked layer is expensive (debootstrap, apt-get install), so each one is kept under
// ~/.cache/boxlab/bake/<recipe-hash>/ (or $BOXLAB_BAKE_CACHE) and reused by later bakes, tests and CI.
// The hash covers everything the layer is made from (recipe data, base layer, suite, mirror), so a changed
// recipe gets a new folder instead of a stale layer. An entry is built in a temporary folder next to it
// and renamed into place, so a crash never leaves a half-built entry that looks complete.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeWorkDir } from './safe-remove.js';

/** bump when the way layers are made changes, so every cached layer is rebuilt */
export const BAKE_CACHE_FORMAT = 1;

export function bakeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BOXLAB_BAKE_CACHE) return path.resolve(env.BOXLAB_BAKE_CACHE);
  const home = env.XDG_CACHE_HOME ?? path.join(env.HOME ?? os.homedir(), '.cache');
  return path.join(home, 'boxlab', 'bake');
}

/** "<name>-<first 16 hex of sha256(JSON)>" (pure): a readable folder name that changes with the input */
export function recipeHash(name: string, input: unknown): string {
  const hex = createHash('sha256').update(JSON.stringify({ format: BAKE_CACHE_FORMAT, input })).digest('hex');
  return `${name}-${hex.slice(0, 16)}`;
}

/** what a finished cache entry records next to its layer.tar */
export interface CachedLayerMeta {
  diffId: string;
  size: number;
  /** free-form facts of the recipe (mirror, package versions) */
  [key: string]: unknown;
}

export interface CachedLayer<M extends CachedLayerMeta = CachedLayerMeta> {
  dir: string;
  layerFile: string;
  meta: M;
  /** true when the layer came from the cache */
  reused: boolean;
}

export async function readCachedLayer<M extends CachedLayerMeta>(dir: string): Promise<CachedLayer<M> | undefined> {
  try {
    const meta = JSON.parse(await fs.readFile(path.join(dir, 'meta.json'), 'utf8')) as M;
    const layerFile = path.join(dir, 'layer.tar');
    const st = await fs.stat(layerFile);
    if (st.size !== meta.size) return undefined;
    return { dir, layerFile, meta, reused: true };
  } catch {
    return undefined;
  }
}

/**
 * The cached layer in <cache>/<key>/, or builds it: `build(tmpDir)` must write tmpDir/layer.tar and
 * return its meta; the folder is renamed into place only after that succeeded.
 */
export async function cachedLayer<M extends CachedLayerMeta>(
  cacheDir: string,
  key: string,
  build: (tmpDir: string) => Promise<M>,
): Promise<CachedLayer<M>> {
  const dir = path.join(cacheDir, key);
  const found = await readCachedLayer<M>(dir);
  if (found) return found;
  await fs.mkdir(cacheDir, { recursive: true });
  const tmp = path.join(cacheDir, `.tmp-${key}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(tmp);
  try {
    const meta = await build(tmp);
    await fs.writeFile(path.join(tmp, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
    // another bake may have finished the same entry meanwhile: keep its (it may be in use as an
    // overlay lowerdir), drop ours
    const theirs = await readCachedLayer<M>(dir);
    if (theirs) {
      await fs.rm(tmp, { recursive: true, force: true });
      return theirs;
    }
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(tmp, dir);
  } catch (err) {
    await removeWorkDir(tmp); // a failed build may leave mounts in its folder
    throw err;
  }
  return { dir, layerFile: path.join(dir, 'layer.tar'), meta: (await readCachedLayer<M>(dir))!.meta, reused: false };
}
