// The image records: Docker's image database (moby image/fs_store.go, imagedb/content/sha256/<id>) and its
// reference store (repositories.json) in one. Each image is one JSON file, images/<id-hex>.json, written
// atomically: its config, its layers, its names (RepoTags, RepoDigests). The names are looked up here:
// "busybox" is docker.io/library/busybox:latest, shown as "busybox:latest"; an id may be given in full, with
// or without "sha256:", or as a unique prefix. The content store's index.json mirrors the names (an OCI
// image layout a tool such as skopeo can read).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../../core/atomic-file.js';
import { invalidArgument, notFound } from '../../core/errors.js';
import type { ContentStore, Descriptor } from '../content/content-store.js';
import { digestHex } from '../content/digest.js';
import type { Tracer } from '../trace/tracer.js';
import { MEDIA_TYPES } from './archive-plan.js';
import type { ImageConfig } from './image-config.js';
import type { ImageRecord, LayerRecord } from './image-record.js';
import { fullString, looksLikeId, normalizeTagged, parseReference } from './reference.js';

/** an image record from its OCI config; the names (and parent) of an earlier record of the same image are kept */
export function recordFromConfig(id: string, config: ImageConfig, layers: LayerRecord[], size: number, manifestDigest: string, existing?: ImageRecord): ImageRecord {
  return {
    id,
    repoTags: existing?.repoTags ?? [],
    repoDigests: existing?.repoDigests ?? [],
    created: config.created ?? new Date(0).toISOString(),
    architecture: config.architecture,
    os: config.os,
    ...(config.author ? { author: config.author } : {}),
    config: config.config ?? {},
    layers,
    history: config.history ?? [],
    size,
    manifestDigest,
  };
}

/** the image a reference names among records: by id (full, sha256:, or unique prefix) or by name; undefined when none */
export function findImage(records: readonly ImageRecord[], ref: string): ImageRecord | undefined {
  const id = fullImageId(ref);
  if (id !== undefined) return records.find((r) => r.id === id);
  const hex = ref.replace(/^sha256:/, '');
  let name: string | undefined;
  try {
    name = normalizeTagged(ref);
  } catch (err) {
    if (!looksLikeId(ref)) throw err;
  }
  if (name !== undefined) {
    const byName = records.find((r) => r.repoTags.includes(name!) || r.repoDigests.includes(name!));
    if (byName) return byName;
  }
  if (looksLikeId(ref)) {
    const matches = records.filter((r) => r.id.startsWith(`sha256:${hex}`));
    if (matches.length > 1) throw invalidArgument(`image id prefix "${ref}" is ambiguous: it matches ${matches.length} images`, { suggestions: ['type more characters of the id'] });
    return matches[0];
  }
  return undefined;
}

/** "sha256:<64 hex>" when ref is a full image id (with or without "sha256:"), else undefined */
export function fullImageId(ref: string): string | undefined {
  const hex = ref.replace(/^sha256:/, '');
  return /^[a-f0-9]{64}$/.test(hex) ? `sha256:${hex}` : undefined;
}

/** true when every one of names is a tag of the record already (moveNames has nothing to do) */
export function namesAlreadyOn(record: ImageRecord | undefined, names: readonly string[]): boolean {
  return record !== undefined && names.every((n) => record.repoTags.includes(n));
}

/** the name of image that ref spells ("busybox" -> "busybox:latest"), or undefined when ref is not one of its names */
export function matchingName(ref: string, image: ImageRecord): string | undefined {
  try {
    const name = normalizeTagged(ref);
    return [...image.repoTags, ...image.repoDigests].find((n) => n === name);
  } catch {
    return undefined;
  }
}

/** true when ref found image by its id rather than by one of its names */
export function isIdRef(ref: string, image: ImageRecord): boolean {
  return matchingName(ref, image) === undefined;
}

/** the blobs the records need: configs, manifests, layers (what garbage collection keeps) */
export function referencedBlobs(records: readonly ImageRecord[]): Set<string> {
  const used = new Set<string>();
  for (const r of records) {
    used.add(r.id);
    used.add(r.manifestDigest);
    for (const l of r.layers) used.add(l.digest);
  }
  return used;
}

/** index.json's manifests: one descriptor per name of each image, one without a name for an unnamed image */
export function indexDescriptors(records: readonly ImageRecord[], manifestSize: (digest: string) => number | undefined): Descriptor[] {
  const manifests: Descriptor[] = [];
  for (const r of records) {
    const size = manifestSize(r.manifestDigest);
    if (size === undefined) continue;
    const names = r.repoTags.length > 0 ? r.repoTags : [undefined];
    for (const name of names) {
      manifests.push({
        mediaType: MEDIA_TYPES.ociManifest,
        digest: r.manifestDigest,
        size,
        ...(name ? { annotations: { 'io.containerd.image.name': fullString(parseReference(name)), 'org.opencontainers.image.ref.name': name } } : {}),
      });
    }
  }
  return manifests;
}

export class ImageRecords {
  constructor(
    /** images/: one <id-hex>.json per image */
    readonly dir: string,
    private readonly content: ContentStore,
    private readonly tracer?: Tracer,
  ) {}

  async list(): Promise<ImageRecord[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const out: ImageRecord[] = [];
    for (const name of names.sort()) {
      if (!/^[a-f0-9]{64}\.json$/.test(name)) continue;
      const record = await readJsonIfExists<ImageRecord>(path.join(this.dir, name));
      if (record) out.push(record);
    }
    return out;
  }

  read(id: string): Promise<ImageRecord | undefined> {
    return readJsonIfExists<ImageRecord>(this.file(id));
  }

  /** the record as written now; throws NOT_FOUND when it is gone */
  async get(id: string): Promise<ImageRecord> {
    const record = await this.read(id);
    if (!record) throw notFound(`No such image: ${id}`);
    return record;
  }

  async write(record: ImageRecord): Promise<void> {
    await writeJsonAtomic(this.file(record.id), record);
  }

  async delete(id: string): Promise<void> {
    await fs.rm(this.file(id), { force: true });
  }

  /** finds by id or name; undefined when nothing matches */
  async find(ref: string): Promise<ImageRecord | undefined> {
    // a full id names one file: read it alone instead of every record (a cached build step, a container
    // create by id: the cost no longer grows with the number of images). findImage answers the same: a
    // full id is only ever matched against ids
    const id = fullImageId(ref);
    if (id !== undefined) {
      const record = await this.read(id);
      return record?.id === id ? record : undefined;
    }
    return findImage(await this.list(), ref);
  }

  /** finds by id or name (each use is a trace event of the image); throws NOT_FOUND `No such image: <ref>` */
  async resolve(ref: string): Promise<ImageRecord> {
    const found = await this.find(ref);
    if (!found) throw notFound(`No such image: ${ref}`, { suggestions: ['list images with: docker images', 'load one with: boxlab image bake busybox'] });
    this.tracer?.emit(found.id, 'image.resolve', { ref, imageId: found.id });
    return found;
  }

  /** gives names to image id, taking them away from any other image (which may become dangling) */
  async moveNames(id: string, names: string[]): Promise<void> {
    if (names.length === 0) return;
    // a name is on one image at most (this is the only place names are added): names the image has
    // already are on no other, so there is nothing to move or write (a rebuild that tags the same image)
    if (namesAlreadyOn(await this.read(id), names)) return;
    for (const other of await this.list()) {
      if (other.id === id) continue;
      const kept = other.repoTags.filter((t) => !names.includes(t));
      if (kept.length !== other.repoTags.length) await this.write({ ...other, repoTags: kept });
    }
    const record = await this.get(id);
    for (const n of names) if (!record.repoTags.includes(n)) record.repoTags.push(n);
    await this.write(record);
    await this.syncIndex();
  }

  /** records "name@sha256:<manifest digest>" (after a push, or a pull by digest); one digest per repository and image */
  async addRepoDigest(id: string, repoDigest: string): Promise<void> {
    const record = await this.get(id);
    if (record.repoDigests.includes(repoDigest)) return;
    record.repoDigests.push(repoDigest);
    await this.write(record);
  }

  async referencedBlobs(): Promise<Set<string>> {
    return referencedBlobs(await this.list());
  }

  /** index.json of the content store lists each image's manifest under its names (OCI image layout) */
  async syncIndex(): Promise<void> {
    const records = await this.list();
    const sizes = new Map<string, number>();
    for (const r of records) {
      const info = await this.content.info(r.manifestDigest).catch(() => undefined);
      if (info) sizes.set(r.manifestDigest, info.size);
    }
    await this.content.setIndex(indexDescriptors(records, (d) => sizes.get(d)));
  }

  private file(id: string): string {
    return path.join(this.dir, `${digestHex(id)}.json`);
  }
}
