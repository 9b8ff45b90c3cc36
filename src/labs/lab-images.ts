// The images a lab names in its front matter (`needs: {engine: true, images: [busybox, httpd]}`) are
// there before its setup runs. The sandbox has no internet: an image the engine lacks is baked offline
// from Debian packages on this host (`boxlab image bake`, src/engine/images/bake/), written to a
// docker-archive file and loaded with `docker load -i` in the sandbox, the way a student would load a
// tarball. A name no recipe makes, and that the engine lacks, stops the lab with the fix.
// The baking itself comes from the caller (a LabImageSource): labs do not reach into the engine.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { failedPrecondition } from '../core/errors.js';
import type { Lang } from '../core/lang.js';
import type { Guest } from '../vm/guest.js';
import type { Lab } from './lab-model.js';
import { labMessage } from './lab-messages.js';

/** where missing images come from: boxlab's bake recipes */
export interface LabImageSource {
  /** the recipe whose image carries this name ("httpd" for httpd:2.4), or undefined */
  recipeFor(image: string): string | undefined;
  /** bakes the recipes into one docker-archive file on this host */
  bake(recipes: string[], file: string, progress: (line: string) => void): Promise<void>;
}

/** pure: a name as Docker completes it ("httpd" -> "httpd:latest"; a digest or a tag stays) */
export function withDefaultTag(image: string): string {
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  return image.includes('@') || lastPart.includes(':') ? image : `${image}:latest`;
}

/** pure: the script that prints, one per line, the names the engine does not have */
export function missingImagesScript(images: readonly string[]): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `for image in ${images.map(q).join(' ')}; do docker image inspect "$image" >/dev/null 2>&1 || echo "$image"; done`;
}

/** pure: which recipes make the missing names; the names none makes */
export function planImages(missing: readonly string[], recipeFor: (image: string) => string | undefined): { recipes: string[]; unknown: string[] } {
  const recipes = new Set<string>();
  const unknown: string[] = [];
  for (const image of missing) {
    const recipe = recipeFor(withDefaultTag(image));
    if (recipe) recipes.add(recipe);
    else unknown.push(image);
  }
  return { recipes: [...recipes], unknown };
}

/**
 * Makes sure the engine the lab's scripts reach (env's DOCKER_HOST) holds every image the lab needs,
 * baking and loading the missing ones. A guest that cannot copy files (this host) reads the baked file
 * where it was written; a VM gets a copy in its /tmp, removed after the load.
 */
export async function ensureLabImages(
  guest: Guest,
  lab: Lab,
  env: Record<string, string>,
  source: LabImageSource,
  options: { lang: Lang; progress?: (line: string) => void },
): Promise<string[]> {
  const images = lab.needs.engine ? (lab.needs.images ?? []) : [];
  if (images.length === 0) return [];
  const asked = await guest.exec({ script: missingImagesScript(images) }, { env, timeoutMs: 60_000 });
  const missing = asked.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  if (missing.length === 0) return [];
  const { recipes, unknown } = planImages(missing, (i) => source.recipeFor(i));
  if (unknown.length > 0) {
    throw failedPrecondition(labMessage(options.lang, 'images.unknown', { id: lab.id, images: unknown.join(', ') }), {
      suggestions: [labMessage(options.lang, 'images.unknown-fix', { image: unknown[0] })],
    });
  }
  const progress = options.progress ?? (() => undefined);
  progress(labMessage(options.lang, 'images.baking', { images: missing.join(', ') }));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boxlab-lab-images-'));
  const file = path.join(dir, 'images.tar');
  try {
    await source.bake(recipes, file, progress);
    const inGuest = guest.copyTo ? `/tmp/boxlab-lab-images-${randomBytes(6).toString('hex')}.tar` : file;
    if (guest.copyTo) await guest.copyTo(file, inGuest);
    const loaded = await guest.exec(['sh', '-c', 'docker load -q -i "$1"; code=$?; [ "$1" = "$2" ] || rm -f "$1"; exit $code', 'sh', inGuest, file], { env, timeoutMs: 600_000 });
    if (loaded.exitCode !== 0) {
      throw failedPrecondition(labMessage(options.lang, 'images.load-failed', { images: missing.join(', '), detail: (loaded.stderr || loaded.stdout).trim() }), {
        suggestions: [`boxlab image bake ${recipes.join(' ')}`],
      });
    }
    return missing;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** the docker variant's own dockerd, which the student's `docker` talks to on a `docker` node (ADR 0008) */
export const NODE_DOCKERD_HOST = 'unix:///var/run/docker.sock';

/**
 * pure: the script that copies into a docker node's dockerd each image it lacks, from boxlabd on the same
 * node (`docker save | docker load`, as the notes do between hosts without a registry); prints the copied names
 */
export function seedDockerdScript(images: readonly string[], boxlabd: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    'set -e',
    `for image in ${images.map(q).join(' ')}; do`,
    `  docker -H ${q(NODE_DOCKERD_HOST)} image inspect "$image" >/dev/null 2>&1 && continue`,
    `  docker -H ${q(boxlabd)} save "$image" | docker -H ${q(NODE_DOCKERD_HOST)} load -q >/dev/null`,
    '  echo "$image"',
    'done',
  ].join('\n');
}

/**
 * a docker node (the Swarm labs' nodes are offline, ADR 0018): the lab's `needs: images` baked into the
 * node's boxlabd when missing (ensureLabImages), then copied into its dockerd, so `docker run busybox`
 * and `docker service create busybox` find them on every node without a setup of the lab's own
 */
export async function seedDockerNodeImages(guest: Guest, lab: Lab, env: Record<string, string>, boxlabd: string, source: LabImageSource | undefined, options: { lang: Lang; progress?: (line: string) => void }): Promise<string[]> {
  const images = lab.needs.images ?? [];
  if (images.length === 0) return [];
  if (source) await ensureLabImages(guest, { ...lab, needs: { ...lab.needs, engine: true } }, { ...env, DOCKER_HOST: boxlabd }, source, options);
  const r = await guest.exec({ script: seedDockerdScript(images, boxlabd) }, { env, timeoutMs: 600_000 });
  if (r.exitCode !== 0) throw failedPrecondition(labMessage(options.lang, 'images.load-failed', { images: images.join(', '), detail: (r.stderr || r.stdout).trim() }));
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}
