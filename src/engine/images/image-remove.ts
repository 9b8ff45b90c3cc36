// docker rmi (DELETE /images/{name}), as dockerd's ImageDelete (daemon/images/image_delete.go): a name is
// untagged; the image itself goes when nothing names it any more, or when it is asked for by id. Then its
// parent goes too, if it is an intermediate image nobody else needs (untagged, no other child, no
// container): that is how `docker rmi` of a built image removes its build steps, each listed as a Deleted
// line, unless ?noprune=1. `docker image prune` removes images one by one through the same path. What an
// image leaves behind (its blobs and unpacked layers) goes when no other image uses it.
import { failedPrecondition, notFound } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import type { ImageRecord } from './image-record.js';
import { isIdRef, matchingName, referencedBlobs } from './image-records.js';
import type { ImageStoreParts } from './image-store-parts.js';

export interface RemoveOptions {
  force?: boolean;
  /** true, or the id of a container using the image (named in the conflict message as Docker does) */
  isInUse: (imageId: string) => boolean | string;
  /** ?noprune=1: keep the untagged parents a deleted image leaves behind */
  noPrune?: boolean;
}

/** Docker's answer to DELETE /images/{name}: one line per name untagged and per image or layer deleted */
export type RemoveResult = Array<{ Untagged?: string; Deleted?: string }>;

export interface DeleteConflict {
  /** a container uses the image (a quiet prune leaves it, even when it is dangling) */
  used: boolean;
  message: string;
  suggestions: string[];
}

/** dockerd's conflict for an image that cannot go: children, containers, names (without force); undefined when it can */
export function deleteConflict(
  image: ImageRecord,
  all: readonly ImageRecord[],
  o: { force?: boolean; inUse: boolean | string; ignoreNames?: boolean },
): DeleteConflict | undefined {
  const id = shortId(image.id);
  if (all.some((r) => r.parent === image.id)) {
    return {
      used: false,
      message: `conflict: unable to delete ${id} (cannot be forced) - image has dependent child images`,
      suggestions: ['remove the images built on it first (docker images -a --filter since=' + id + '), or remove it by a name'],
    };
  }
  if (o.inUse !== false) {
    const container = typeof o.inUse === 'string' ? `container ${shortId(o.inUse)}` : 'a container';
    return {
      used: true,
      message: `conflict: unable to delete ${id} (must be forced) - image is being used by ${container}`,
      suggestions: ['remove the container first: docker rm <container>'],
    };
  }
  if (!o.force && !o.ignoreNames && image.repoTags.length + image.repoDigests.length > 0) {
    return {
      used: false,
      message: `conflict: unable to delete ${id} (must be forced) - image is referenced in multiple repositories`,
      suggestions: ['remove the names one by one (docker rmi <name>), or use docker rmi -f'],
    };
  }
  return undefined;
}

/** "docker.io/x:1" -> "docker.io/x", "x@sha256:..." -> "x": the repository of a name */
function repositoryOf(name: string): string {
  return name.replace(/(@sha256:[a-f0-9]+|:[^:/@]+)$/, '');
}

/**
 * The image without one of its names, and the names that went. As dockerd: when the last tag of a
 * repository goes, that repository's digest references go too.
 */
export function untagName(image: ImageRecord, name: string): { image: ImageRecord; untagged: string[] } {
  const repoTags = image.repoTags.filter((t) => t !== name);
  let repoDigests = image.repoDigests.filter((t) => t !== name);
  const untagged = [name];
  const repo = repositoryOf(name);
  if (!name.includes('@') && !repoTags.some((t) => repositoryOf(t) === repo)) {
    untagged.push(...repoDigests.filter((r) => repositoryOf(r) === repo));
    repoDigests = repoDigests.filter((r) => repositoryOf(r) !== repo);
  }
  return { image: { ...image, repoTags, repoDigests }, untagged };
}

export async function removeImage(parts: ImageStoreParts, ref: string, options: RemoveOptions): Promise<RemoveResult> {
  const { records } = parts;
  let image = await records.find(ref);
  if (!image) throw notFound(`No such image: ${ref}`);
  const out: RemoveResult = [];
  const user = options.isInUse(image.id);
  const container = typeof user === 'string' ? user : undefined;
  const refs = [...image.repoTags, ...image.repoDigests];
  let quiet = false;

  if (!isIdRef(ref, image)) {
    const name = matchingName(ref, image)!;
    if (!options.force && refs.length === 1 && user !== false) {
      throw failedPrecondition(
        `conflict: unable to remove repository reference "${ref}" (must force) - ${container ? `container ${shortId(container)}` : 'a container'} is using its referenced image ${shortId(image.id)}`,
        { suggestions: ['remove the container first (docker rm), or use docker rmi -f to untag anyway'] },
      );
    }
    const untagged = untagName(image, name);
    image = untagged.image;
    for (const n of untagged.untagged) out.push({ Untagged: n });
    await records.write(image);
    if (image.repoTags.length + image.repoDigests.length > 0) {
      await records.syncIndex();
      return out;
    }
    // the last name went: the image goes too unless something still needs it (then, quietly, it stays)
    quiet = true;
  } else {
    const repos = new Set(refs.map((r) => r.replace(/[:@][^:@/]*$/, '')));
    if (refs.length > 0 && repos.size === 1 && image.repoTags.length <= 1) {
      // one name (or one repository's tag and digests): asking by id removes it, conflicts permitting
      const conflict = deleteConflict(image, await records.list(), { force: options.force, inUse: user, ignoreNames: true });
      if (conflict) throw failedPrecondition(conflict.message, { suggestions: conflict.suggestions });
      for (const r of refs) out.push({ Untagged: r });
      image = { ...image, repoTags: [], repoDigests: [] };
    }
  }
  await deleteImage(parts, image, out, { force: options.force ?? false, prune: !options.noPrune, quiet, isInUse: options.isInUse });
  await records.syncIndex();
  return out;
}

/** dockerd's imageDeleteHelper: deletes the image (all its names), then prunes its parent quietly */
async function deleteImage(
  parts: ImageStoreParts,
  image: ImageRecord,
  out: RemoveResult,
  o: { force: boolean; prune: boolean; quiet: boolean; isInUse: RemoveOptions['isInUse'] },
): Promise<void> {
  const all = await parts.records.list();
  const conflict = deleteConflict(image, all, { force: o.force, inUse: o.isInUse(image.id) });
  if (conflict) {
    const dangling = image.repoTags.length + image.repoDigests.length === 0 && !all.some((r) => r.parent === image.id);
    // pruning a parent, or an image whose last name just went: a conflict means it stays, silently
    if (o.quiet && (!dangling || conflict.used)) return;
    throw failedPrecondition(conflict.message, { suggestions: conflict.suggestions });
  }
  for (const r of [...image.repoTags, ...image.repoDigests]) out.push({ Untagged: r });
  await parts.records.delete(image.id);
  out.push({ Deleted: image.id });
  out.push(...(await collectGarbage(parts, image)));
  parts.tracer?.emit(image.id, 'cleanup', { what: `image ${shortId(image.id)} and the layers no other image uses` });
  if (!o.prune || !image.parent) return;
  const parent = await parts.records.read(image.parent);
  if (parent) await deleteImage(parts, parent, out, { force: false, prune: true, quiet: true, isInUse: o.isInUse });
}

/** after an image is deleted: removes its unpacked layers (top first) and blobs unless another image needs them */
async function collectGarbage(parts: ImageStoreParts, image: ImageRecord): Promise<RemoveResult> {
  const records = await parts.records.list();
  const usedChains = new Set(records.flatMap((r) => r.layers.map((l) => l.chainId)));
  const out: RemoveResult = [];
  for (const layer of [...image.layers].reverse()) {
    if (usedChains.has(layer.chainId)) continue;
    await parts.layers.remove(layer.chainId);
    out.push({ Deleted: layer.chainId });
  }
  const usedBlobs = referencedBlobs(records);
  for (const digest of [image.id, image.manifestDigest, ...image.layers.map((l) => l.digest)]) {
    if (!usedBlobs.has(digest)) await parts.content.delete(digest);
  }
  return out;
}
