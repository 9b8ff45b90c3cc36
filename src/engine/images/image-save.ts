// docker save (GET /images/get): the named images as one docker-archive tarball (docker-archive-writer.ts):
// each image's config, its layers as uncompressed tars, manifest.json with the names asked for. An image
// asked for twice (by two names) is written once with both names. As dockerd, an image asked for by id
// keeps all its tags, one asked for by name only that name, and "Parent" is written only when the parent
// is in the same archive.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sha256Digest } from '../content/digest.js';
import { blobCompression, openUncompressed } from './archive-compression.js';
import { writeDockerArchive, type ArchiveImage, type ArchiveLayer } from './docker-archive-writer.js';
import type { ImageRecord, LayerRecord } from './image-record.js';
import { isIdRef, matchingName } from './image-records.js';
import type { ImageStoreParts } from './image-store-parts.js';

/** the RepoTags an image gets in the archive when ref asked for it: all its tags by id, else the name given (not a digest) */
export function archiveTags(ref: string, image: ImageRecord): string[] {
  return isIdRef(ref, image) ? [...image.repoTags] : [matchingName(ref, image)!].filter((n) => !n.includes('@'));
}

/** drops the "Parent" of images whose parent is not in the archive (docker save does not write dangling links) */
export function withArchiveParents<T extends { config: Buffer; parent?: string }>(images: T[]): T[] {
  const ids = new Set(images.map((i) => sha256Digest(i.config)));
  for (const i of images) if (i.parent && !ids.has(i.parent)) delete i.parent;
  return images;
}

export async function saveImages(parts: ImageStoreParts, refs: string[], out: Writable): Promise<void> {
  const images: ArchiveImage[] = [];
  const temps: string[] = [];
  try {
    for (const ref of refs) {
      const image = await parts.records.resolve(ref);
      const tags = archiveTags(ref, image);
      const already = images.find((i) => sha256Digest(i.config) === image.id);
      if (already) {
        for (const t of tags) if (!already.repoTags.includes(t)) already.repoTags.push(t);
        continue;
      }
      const config = await parts.content.readBytes(image.id);
      const layers: ArchiveLayer[] = [];
      for (const layer of image.layers) layers.push(await archiveLayer(parts, layer, temps));
      images.push({ config, repoTags: tags, layers, ...(image.parent ? { parent: image.parent } : {}) });
    }
    await writeDockerArchive(withArchiveParents(images), out);
  } finally {
    for (const t of temps) await fs.rm(t, { force: true });
  }
}

/** docker-archive layers are uncompressed tars: a gzip blob is inflated to <root>/tmp/save-<hex>.tar to learn its size */
async function archiveLayer(parts: ImageStoreParts, layer: LayerRecord, temps: string[]): Promise<ArchiveLayer> {
  const blob = parts.content.blobPath(layer.digest);
  if ((await blobCompression(blob)) === 'none') {
    const { size } = await parts.content.info(layer.digest);
    return { diffId: layer.diffId, size, open: () => createReadStream(blob) };
  }
  await fs.mkdir(parts.tmp, { recursive: true });
  const tmp = path.join(parts.tmp, `save-${randomBytes(6).toString('hex')}.tar`);
  temps.push(tmp);
  await pipeline(await openUncompressed(blob, layer.digest), createWriteStream(tmp));
  const { size } = await fs.stat(tmp);
  return { diffId: layer.diffId, size, open: () => createReadStream(tmp) };
}
