// `boxlab image bake`: builds base images offline from Debian packages (see the recipes) as one
// docker-archive tarball, then either writes it to a file or streams it into the running engine with
// POST /images/load, the endpoint `docker load` uses.
import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { invalidArgument, AppError } from '../../../core/errors.js';
import { sha256Digest } from '../../content/digest.js';
import { writeDockerArchive, type ArchiveImage } from '../docker-archive-writer.js';
import { bakeBusybox, type RecipeOptions } from './busybox-recipe.js';
import { bakeDebian, DEBIAN_TAGS } from './debian-recipe.js';
import { appRecipe } from './app-recipes.js';
import { bakeApp, bakedAppLayers } from './app-image.js';
import { bakeCacheDir } from './bake-cache.js';
import { findDebianBase } from './debian-base.js';

export const BAKE_RECIPES = ['busybox', 'debian', 'nginx', 'redis', 'httpd', 'python', 'network-tools', 'registry'] as const;
export type BakeRecipe = (typeof BAKE_RECIPES)[number];

const RECIPES: Record<BakeRecipe, (o: RecipeOptions) => Promise<ArchiveImage & { dispose?: () => Promise<void> }>> = {
  busybox: bakeBusybox,
  debian: bakeDebian,
  nginx: (o) => bakeApp('nginx', o),
  redis: (o) => bakeApp('redis', o),
  httpd: (o) => bakeApp('httpd', o),
  python: (o) => bakeApp('python', o),
  'network-tools': (o) => bakeApp('network-tools', o),
  registry: (o) => bakeApp('registry', o),
};

/** what bake needs from the engine: EngineClient fits */
export interface EngineRequester {
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Buffer }>;
}

export interface BakeOptions {
  names: string[];
  /** write the tarball here instead of loading it */
  output?: string;
  engine?: EngineRequester;
  progress?: (line: string) => void;
  workDir?: string;
  /** the bake cache (default ~/.cache/boxlab/bake or $BOXLAB_BAKE_CACHE) */
  cacheDir?: string;
}

export interface BakeResult {
  images: Array<{ recipe: BakeRecipe; id: string; tags: string[] }>;
  output?: string;
  /** names the engine reports as loaded */
  loaded?: string[];
}

export function checkRecipes(names: readonly string[]): BakeRecipe[] {
  if (names.length === 0) throw invalidArgument('name at least one image to bake', { suggestions: [`choose from: ${BAKE_RECIPES.join(', ')}`] });
  return names.map((n) => {
    if (!(BAKE_RECIPES as readonly string[]).includes(n)) {
      throw invalidArgument(`there is no bake recipe for "${n}"`, { suggestions: [`choose from: ${BAKE_RECIPES.join(', ')}`] });
    }
    return n as BakeRecipe;
  });
}

/** the names a recipe's image is tagged with, known without baking it */
export function recipeTags(recipe: BakeRecipe): string[] {
  if (recipe === 'busybox') return ['busybox:latest'];
  if (recipe === 'debian') return [...DEBIAN_TAGS];
  return [...(appRecipe(recipe)?.tags ?? [])];
}

/**
 * The recipes that bake without building anything: busybox (one binary, always cheap) and those whose
 * layers are in the bake cache. `boxlab mirror start` seeds these by default.
 */
export async function bakedRecipes(cacheDir = bakeCacheDir()): Promise<BakeRecipe[]> {
  return (await bakedRecipeLayers(cacheDir)).map((b) => b.recipe);
}

/**
 * bakedRecipes with the diff ids of the cached layers each would bake (busybox's: none, it is made from
 * this host's /bin/busybox at each bake): a cache key for what is made from them (the QEMU image's
 * preloaded images, src/vm/images/preloaded-images.ts).
 */
export async function bakedRecipeLayers(cacheDir = bakeCacheDir()): Promise<Array<{ recipe: BakeRecipe; layers: string[] }>> {
  const found: Array<{ recipe: BakeRecipe; layers: string[] }> = [{ recipe: 'busybox', layers: [] }];
  const base = await findDebianBase({ cacheDir });
  if (base) found.push({ recipe: 'debian', layers: [base.meta.diffId] });
  for (const r of BAKE_RECIPES) {
    if (r === 'busybox' || r === 'debian') continue;
    const layers = await bakedAppLayers(r, cacheDir);
    if (layers) found.push({ recipe: r, layers });
  }
  return found;
}

export async function bakeImages(options: BakeOptions): Promise<BakeResult> {
  const recipes = [...new Set(checkRecipes(options.names))];
  const progress = options.progress ?? (() => undefined);
  if (!options.output && !options.engine) throw invalidArgument('bake needs an engine to load into, or --output <file>');
  const baked: Array<ArchiveImage & { dispose?: () => Promise<void> }> = [];
  try {
    for (const recipe of recipes) baked.push(await RECIPES[recipe]({ progress, workDir: options.workDir, cacheDir: options.cacheDir }));
    const images = baked.map((b, i) => ({ recipe: recipes[i], id: sha256Digest(b.config), tags: b.repoTags }));
    if (options.output) {
      progress(`writing ${options.output}`);
      await writeDockerArchive(baked, createWriteStream(options.output));
      return { images, output: options.output };
    }
    progress('loading into the engine (POST /images/load)');
    const loaded = await loadIntoEngine(options.engine!, baked, progress);
    return { images, loaded };
  } finally {
    for (const b of baked) await b.dispose?.();
  }
}

async function loadIntoEngine(engine: EngineRequester, images: ArchiveImage[], progress: (line: string) => void): Promise<string[]> {
  const body = new PassThrough();
  const writing = writeDockerArchive(images, body);
  const [res] = await Promise.all([engine.request('POST', '/images/load?quiet=0', body as Readable, { 'Content-Type': 'application/x-tar' }), writing]);
  const text = res.body.toString('utf8');
  if (res.status >= 400) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      /* plain text */
    }
    throw new AppError(res.status === 400 ? 'INVALID_ARGUMENT' : 'INTERNAL', `the engine refused the baked images: ${message.trim()}`);
  }
  const loaded: string[] = [];
  // the answer is Docker's JSON message stream: {"status": ...} / {"stream": "Loaded image: x\n"} / {"error": ...}
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let msg: { status?: string; stream?: string; error?: string; id?: string; progress?: string };
    try {
      msg = JSON.parse(line);
    } catch {
      continue;
    }
    if (msg.error) throw new AppError('INTERNAL', `the engine failed to load the baked images: ${msg.error}`);
    const said = (msg.stream ?? msg.status ?? '').trim();
    const m = /^Loaded image(?: ID)?: (.+)$/.exec(said);
    const repeat = m !== null && loaded.includes(m[1]);
    if (m && !repeat) loaded.push(m[1]);
    if (said !== '' && !repeat) progress(msg.id ? `${msg.id}: ${said} ${msg.progress ?? ''}`.trimEnd() : said);
  }
  return loaded;
}
