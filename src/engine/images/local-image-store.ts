// LocalImageStore: Docker's image store for boxlabd. Image records are JSON files in images/<id-hex>.json
// (written atomically, and last, so a failed load leaves no partial image); blobs live in the content
// store; each layer is unpacked once into snapshots/layers/<chainid-hex>/fs, shared by every image built
// on the same layers. Names follow Docker's rules: "busybox" is docker.io/library/busybox:latest, shown
// as "busybox:latest".
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readJsonIfExists, removeStaleTemps, writeJsonAtomic } from '../../core/atomic-file.js';
import { failedPrecondition, invalidArgument, notFound } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import type { EnginePaths } from '../../core/paths.js';
import type { ContentStore, Descriptor } from '../content/content-store.js';
import { digestHex, sha256Digest } from '../content/digest.js';
import { OciLayoutContentStore } from '../content/oci-layout-store.js';
import type { Tracer } from '../trace/tracer.js';
import { MEDIA_TYPES, planArchive, type PlannedImage } from './archive-plan.js';
import { chainIds } from './chain-id.js';
import { writeDockerArchive, type ArchiveImage } from './docker-archive-writer.js';
import { parseImageConfig, type ImageConfig } from './image-config.js';
import type { ImageRecord, LayerRecord } from './image-record.js';
import type { ImageStore, LoadProgress } from './image-store.js';
import { blobCompression, openUncompressed } from './archive-compression.js';
import { unpackLayer } from './layer-unpack.js';
import { familiarString, fullString, looksLikeId, parseReference, withDefaultTag } from './reference.js';
import { StagedArchive } from './staged-archive.js';

export interface LocalImageStoreOptions {
  content?: ContentStore & { init?(): Promise<void> };
  tracer?: Tracer;
}

/** an image whose blobs a pull has put in the content store */
export interface PulledImage {
  configDigest: string;
  /** the platform manifest (stored in the content store) */
  manifestDigest: string;
  layers: Array<{ digest: string; mediaType: string; size: number }>;
  /** familiar "name:tag" to give it, absent for a pull by digest */
  tag?: string;
  /** familiar "name@sha256:..." of the reference pulled (the index digest when it came from an index) */
  repoDigest: string;
}

/** layer i of a pulled image: already unpacked, being unpacked, or unpacked now */
export type PullCommitProgress = (layerIndex: number, state: 'exists' | 'extracting' | 'complete') => void;

export interface RemoveOptions {
  force?: boolean;
  /** true, or the id of a container using the image (named in the conflict message as Docker does) */
  isInUse: (imageId: string) => boolean | string;
  /** ?noprune=1: keep the untagged parents a deleted image leaves behind */
  noPrune?: boolean;
}

type RemoveResult = Array<{ Untagged?: string; Deleted?: string }>;

/** the one new layer of a commit: an uncompressed layer tar on disk and its sha256 (the diff_id) */
export interface CommitLayer {
  file: string;
  diffId: string;
}

export interface CommitImageOptions {
  /** the image the new one is built on: its layers are reused as they are */
  parent?: ImageRecord;
  /** names to give the new image (taken from any image that has them) */
  tags?: string[];
}

export class LocalImageStore implements ImageStore {
  readonly content: ContentStore & { init?(): Promise<void> };
  private readonly tracer?: Tracer;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly paths: EnginePaths,
    options: LocalImageStoreOptions = {},
  ) {
    this.content = options.content ?? new OciLayoutContentStore(paths.content);
    this.tracer = options.tracer;
  }

  /** creates the folders and removes what a crash left half-done (temp records, half-unpacked layers) */
  async init(): Promise<void> {
    await fs.mkdir(this.paths.images, { recursive: true });
    await fs.mkdir(this.layersRoot(), { recursive: true });
    await fs.mkdir(this.paths.tmp, { recursive: true });
    await this.content.init?.();
    await removeStaleTemps(this.paths.images);
    await removeStaleTemps(this.layersRoot());
  }

  // ---- queries -------------------------------------------------------------------------------------

  async list(): Promise<ImageRecord[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.paths.images);
    } catch {
      return [];
    }
    const out: ImageRecord[] = [];
    for (const name of names.sort()) {
      if (!/^[a-f0-9]{64}\.json$/.test(name)) continue;
      const record = await readJsonIfExists<ImageRecord>(path.join(this.paths.images, name));
      if (record) out.push(record);
    }
    return out;
  }

  async resolve(ref: string): Promise<ImageRecord> {
    const found = await this.find(ref);
    if (!found) throw notFound(`No such image: ${ref}`, { suggestions: ['list images with: docker images', 'load one with: boxlab image bake busybox'] });
    this.tracer?.emit(found.id, 'image.resolve', { ref, imageId: found.id });
    return found;
  }

  layerDirs(image: ImageRecord): string[] {
    return image.layers.map((l) => this.layerFsDir(l.chainId));
  }

  /** snapshots/layers/<chainid-hex>/fs: an unpacked layer, an overlay lowerdir */
  layerFsDir(chainId: string): string {
    return path.join(this.layersRoot(), digestHex(chainId), 'fs');
  }

  // ---- names ---------------------------------------------------------------------------------------

  tag(ref: string, newRef: string): Promise<void> {
    return this.exclusive(async () => {
      const image = await this.resolve(ref);
      const name = familiarString(withDefaultTag(parseReference(newRef)));
      if (parseReference(newRef).digest !== undefined) throw invalidArgument(`refusing to create a tag with a digest reference: ${newRef}`);
      await this.moveNames(image.id, [name]);
    });
  }

  remove(ref: string, options: RemoveOptions): Promise<RemoveResult> {
    return this.exclusive(() => this.removeLocked(ref, options));
  }

  /**
   * dockerd's ImageDelete: a name is untagged; the image itself goes when nothing names it any more, or when
   * it is asked for by id. Then its parent goes too, if it is an intermediate image nobody else needs
   * (untagged, no other child, no container): that is how `docker rmi` of a built image removes its build
   * steps, each listed as a Deleted line.
   */
  private async removeLocked(ref: string, options: RemoveOptions): Promise<RemoveResult> {
    const image = await this.find(ref);
    if (!image) throw notFound(`No such image: ${ref}`);
    const records: RemoveResult = [];
    const user = options.isInUse(image.id);
    const container = user === true ? undefined : user === false ? undefined : user;
    const inUse = user !== false;
    const byId = this.isIdRef(ref, image);
    const refs = [...image.repoTags, ...image.repoDigests];
    let quiet = false;

    if (!byId) {
      const name = this.matchingName(ref, image)!;
      if (!options.force && refs.length === 1 && inUse) {
        throw failedPrecondition(
          `conflict: unable to remove repository reference "${ref}" (must force) - ${container ? `container ${shortId(container)}` : 'a container'} is using its referenced image ${shortId(image.id)}`,
          { suggestions: ['remove the container first (docker rm), or use docker rmi -f to untag anyway'] },
        );
      }
      image.repoTags = image.repoTags.filter((t) => t !== name);
      image.repoDigests = image.repoDigests.filter((t) => t !== name);
      records.push({ Untagged: name });
      // as dockerd: when the last tag of a repository goes, that repository's digest references go too
      const repoOf = (n: string) => n.replace(/(@sha256:[a-f0-9]+|:[^:/@]+)$/, '');
      if (!name.includes('@') && !image.repoTags.some((t) => repoOf(t) === repoOf(name))) {
        for (const d of image.repoDigests.filter((r) => repoOf(r) === repoOf(name))) records.push({ Untagged: d });
        image.repoDigests = image.repoDigests.filter((r) => repoOf(r) !== repoOf(name));
      }
      await this.writeRecord(image);
      if (image.repoTags.length + image.repoDigests.length > 0) {
        await this.syncIndex();
        return records;
      }
      // the last name went: the image goes too unless something still needs it (then, quietly, it stays)
      quiet = true;
    } else {
      const repos = new Set(refs.map((r) => r.replace(/[:@][^:@/]*$/, '')));
      const tags = image.repoTags.length;
      if (refs.length > 0 && repos.size === 1 && tags <= 1) {
        // one name (or one repository's tag and digests): asking by id removes it, conflicts permitting
        this.checkDelete(image, await this.list(), { force: options.force, inUse: user, ignoreNames: true });
        for (const r of refs) records.push({ Untagged: r });
        image.repoTags = [];
        image.repoDigests = [];
      }
    }
    await this.deleteImage(image, records, { force: options.force ?? false, prune: !options.noPrune, quiet, isInUse: options.isInUse });
    await this.syncIndex();
    return records;
  }

  /** throws dockerd's conflict for an image that cannot go: children, containers, names (without force) */
  private checkDelete(image: ImageRecord, all: ImageRecord[], o: { force?: boolean; inUse: boolean | string; ignoreNames?: boolean }) {
    const conflict = this.deleteConflict(image, all, o);
    if (conflict) throw failedPrecondition(conflict.message, { suggestions: conflict.suggestions });
  }

  private deleteConflict(image: ImageRecord, all: ImageRecord[], o: { force?: boolean; inUse: boolean | string; ignoreNames?: boolean }) {
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

  /** dockerd's imageDeleteHelper: deletes the image (all its names), then prunes its parent quietly */
  private async deleteImage(
    image: ImageRecord,
    records: RemoveResult,
    o: { force: boolean; prune: boolean; quiet: boolean; isInUse: RemoveOptions['isInUse'] },
  ): Promise<void> {
    const all = await this.list();
    const conflict = this.deleteConflict(image, all, { force: o.force, inUse: o.isInUse(image.id) });
    if (conflict) {
      const dangling = image.repoTags.length + image.repoDigests.length === 0 && !all.some((r) => r.parent === image.id);
      // pruning a parent, or an image whose last name just went: a conflict means it stays, silently
      if (o.quiet && (!dangling || conflict.used)) return;
      throw failedPrecondition(conflict.message, { suggestions: conflict.suggestions });
    }
    for (const r of [...image.repoTags, ...image.repoDigests]) records.push({ Untagged: r });
    await fs.rm(this.recordFile(image.id), { force: true });
    records.push({ Deleted: image.id });
    records.push(...(await this.collectGarbage(image)));
    this.tracer?.emit(image.id, 'cleanup', { what: `image ${shortId(image.id)} and the layers no other image uses` });
    if (!o.prune || !image.parent) return;
    const parent = await readJsonIfExists<ImageRecord>(this.recordFile(image.parent));
    if (parent) await this.deleteImage(parent, records, { force: false, prune: true, quiet: true, isInUse: o.isInUse });
  }

  // ---- load ----------------------------------------------------------------------------------------

  load(tarball: Readable, progress: LoadProgress = () => undefined): Promise<string[]> {
    // the body waits for the lock before anything reads it: an error meanwhile must not be unheard (it
    // would end the engine); reading it then fails the load with it
    tarball.on('error', () => undefined);
    return this.exclusive(() => this.loadLocked(tarball, progress));
  }

  private async loadLocked(tarball: Readable, progress: LoadProgress): Promise<string[]> {
    await this.init();
    const stageDir = path.join(this.paths.tmp, `load-${randomBytes(6).toString('hex')}`);
    const staged = await StagedArchive.stage(tarball, stageDir).catch(async (err: unknown) => {
      await fs.rm(stageDir, { recursive: true, force: true });
      throw err;
    });
    const createdLayers: string[] = [];
    const createdBlobs: string[] = [];
    try {
      const plans = await planArchive(staged, 'image tarball');
      const ready: Array<{ record: ImageRecord; names: string[] }> = [];
      const parents = new Map<string, string>();
      for (const plan of plans) {
        const imported = await this.importImage(staged, plan, progress, createdLayers, createdBlobs);
        if (plan.parent) parents.set(imported.record.id, plan.parent);
        ready.push(imported);
      }
      const loaded: string[] = [];
      // records are committed last: until here nothing names the new blobs and layers
      for (const { record, names } of ready) {
        const existing = await readJsonIfExists<ImageRecord>(this.recordFile(record.id));
        if (existing) {
          record.repoTags = existing.repoTags;
          record.repoDigests = existing.repoDigests;
          if (existing.parent) record.parent = existing.parent;
        }
        await this.writeRecord(record);
        for (const name of names) {
          const old = (await this.list()).find((r) => r.id !== record.id && r.repoTags.includes(name));
          if (old) progress({ status: `The image ${name} already exists, renaming the old one with ID ${old.id} to empty string` });
        }
        await this.moveNames(record.id, names);
        this.tracer?.emit(record.id, 'image.load', { ref: names[0] ?? record.id, layers: record.layers.length, imageId: record.id });
        if (names.length === 0) {
          progress({ status: `Loaded image ID: ${record.id}` });
          loaded.push(record.id);
        }
        for (const name of names) {
          progress({ status: `Loaded image: ${name}` });
          loaded.push(name);
        }
      }
      // the archive's "Parent" (docker save of an image with its parent, a commit handed in as an archive)
      // is kept when that parent is here once everything is loaded, as dockerd keeps the links it can
      for (const [id, parent] of parents) {
        const record = await readJsonIfExists<ImageRecord>(this.recordFile(id));
        if (record && !record.parent && (await readJsonIfExists<ImageRecord>(this.recordFile(parent)))) await this.writeRecord({ ...record, parent });
      }
      await this.syncIndex();
      return loaded;
    } catch (err) {
      await this.rollback(createdLayers, createdBlobs);
      throw err;
    } finally {
      await staged.dispose();
    }
  }

  private async importImage(
    staged: StagedArchive,
    plan: PlannedImage,
    progress: LoadProgress,
    createdLayers: string[],
    createdBlobs: string[],
  ): Promise<{ record: ImageRecord; names: string[] }> {
    const names = plan.names.map((n) => {
      try {
        return familiarString(withDefaultTag(parseReference(n)));
      } catch (err) {
        throw invalidArgument(`image tarball names an image "${n}", which is not a valid reference`, { cause: err });
      }
    });
    const configBytes = await staged.readBytes(plan.configEntry, 'image config');
    const config = parseImageConfig(configBytes, `"${plan.configEntry}"`);
    const configBlob = await this.ingest(configBytes, plan.configDigest, createdBlobs);
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== plan.layers.length) {
      throw invalidArgument(
        `image tarball: the config "${plan.configEntry}" lists ${diffIds.length} layer(s) (rootfs.diff_ids) but the manifest has ${plan.layers.length}`,
      );
    }
    const chains = chainIds(diffIds);
    const layers: LayerRecord[] = [];
    let size = 0;
    for (let i = 0; i < plan.layers.length; i++) {
      const planned = plan.layers[i];
      const file = staged.file(planned.entry, 'layer');
      const blob = await this.ingest(createReadStream(file), planned.digest, createdBlobs);
      const compressed = (await blobCompression(this.content.blobPath(blob.digest))) === 'gzip';
      const dest = path.dirname(this.layerFsDir(chains[i]));
      const bar = `[==================================================>]  ${formatBytes(blob.size)}/${formatBytes(blob.size)}`;
      const known = await readJsonIfExists<{ size: number; diffId: string }>(path.join(dest, 'layer.json'));
      if (known && known.diffId === diffIds[i]) {
        size += known.size;
        progress({ status: 'Loading layer', id: shortId(diffIds[i]), progress: bar });
      } else {
        progress({ status: 'Loading layer', id: shortId(diffIds[i]), progress: `[>                                                  ]  0B/${formatBytes(blob.size)}` });
        const unpacked = await unpackLayer({
          blobPath: this.content.blobPath(blob.digest),
          dest,
          label: `"${planned.entry}" (layer ${i + 1} of ${plan.layers.length})`,
          expectedDiffId: diffIds[i],
          meta: { chainId: chains[i], digest: blob.digest },
        });
        createdLayers.push(dest);
        size += unpacked.size;
        this.tracer?.emit(sha256Digest(configBytes), 'layer.unpack', { diffId: diffIds[i], path: unpacked.fsDir });
        progress({ status: 'Loading layer', id: shortId(diffIds[i]), progress: bar });
      }
      layers.push({
        digest: blob.digest,
        diffId: diffIds[i],
        chainId: chains[i],
        mediaType: planned.mediaType ?? (compressed ? MEDIA_TYPES.ociLayerGzip : MEDIA_TYPES.ociLayer),
        size: blob.size,
      });
    }
    // keep the original manifest when the archive has one; otherwise describe the image in an OCI manifest
    let manifestDigest: string;
    if (plan.manifestEntry) {
      manifestDigest = (await this.ingest(await staged.readBytes(plan.manifestEntry, 'manifest'), plan.manifestDigest, createdBlobs)).digest;
    } else {
      const manifest = {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        config: { mediaType: MEDIA_TYPES.ociConfig, digest: configBlob.digest, size: configBlob.size },
        layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
      };
      manifestDigest = (await this.ingest(Buffer.from(JSON.stringify(manifest)), undefined, createdBlobs)).digest;
    }
    const record = recordFromConfig(configBlob.digest, config, layers, size, manifestDigest);
    return { record, names };
  }

  private async ingest(data: Readable | Buffer, expected: string | undefined, created: string[]) {
    if (!Buffer.isBuffer(data)) data.on('error', () => undefined); // read below, after an await
    const existedBefore = expected !== undefined && (await this.content.has(expected));
    const info = await this.content.ingest(data, expected !== undefined ? { digest: expected } : {});
    if (!existedBefore && !(await this.referencedBlobs()).has(info.digest)) created.push(info.digest);
    return info;
  }

  /** undoes a failed load: layers and blobs it created that no committed image uses */
  private async rollback(createdLayers: string[], createdBlobs: string[]): Promise<void> {
    const records = await this.list();
    const usedLayers = new Set(records.flatMap((r) => r.layers.map((l) => path.dirname(this.layerFsDir(l.chainId)))));
    for (const dir of createdLayers) if (!usedLayers.has(dir)) await fs.rm(dir, { recursive: true, force: true });
    const usedBlobs = await this.referencedBlobs(records);
    for (const digest of createdBlobs) if (!usedBlobs.has(digest)) await this.content.delete(digest);
  }

  // ---- pull / push (the distribution client's side of the store) ---------------------------------------

  /** true when the layer with this chain id is unpacked already (a pull reports it as "Already exists") */
  async hasLayer(chainId: string, diffId: string): Promise<boolean> {
    const known = await readJsonIfExists<{ diffId: string }>(path.join(path.dirname(this.layerFsDir(chainId)), 'layer.json'));
    return known?.diffId === diffId;
  }

  /**
   * Makes an image of blobs a pull put in the content store: unpacks the layers not unpacked yet (lowest
   * first, as the overlay stacks them), writes the record last, then gives it its tag and repo digest.
   * A failure removes the layers it unpacked.
   */
  commitPulled(image: PulledImage, progress: PullCommitProgress = () => undefined): Promise<ImageRecord> {
    return this.exclusive(async () => {
      await this.init();
      const configBytes = await this.content.readBytes(image.configDigest);
      const config = parseImageConfig(configBytes, `config ${image.configDigest}`);
      const diffIds = config.rootfs.diff_ids;
      if (diffIds.length !== image.layers.length) {
        throw invalidArgument(`image ${image.repoDigest}: the config lists ${diffIds.length} layer(s) (rootfs.diff_ids) but the manifest has ${image.layers.length}`);
      }
      const chains = chainIds(diffIds);
      const createdLayers: string[] = [];
      try {
        const layers: LayerRecord[] = [];
        let size = 0;
        for (let i = 0; i < image.layers.length; i++) {
          const blob = image.layers[i];
          const dest = path.dirname(this.layerFsDir(chains[i]));
          const known = await readJsonIfExists<{ size: number; diffId: string }>(path.join(dest, 'layer.json'));
          if (known && known.diffId === diffIds[i]) {
            size += known.size;
            progress(i, 'exists');
          } else {
            progress(i, 'extracting');
            const unpacked = await unpackLayer({
              blobPath: this.content.blobPath(blob.digest),
              dest,
              label: `layer ${i + 1} of ${image.layers.length} (${blob.digest})`,
              expectedDiffId: diffIds[i],
              meta: { chainId: chains[i], digest: blob.digest },
            });
            createdLayers.push(dest);
            size += unpacked.size;
            this.tracer?.emit(image.configDigest, 'layer.unpack', { diffId: diffIds[i], path: unpacked.fsDir });
            progress(i, 'complete');
          }
          layers.push({ digest: blob.digest, diffId: diffIds[i], chainId: chains[i], mediaType: blob.mediaType, size: blob.size });
        }
        const existing = await readJsonIfExists<ImageRecord>(this.recordFile(image.configDigest));
        const record = recordFromConfig(image.configDigest, config, layers, size, image.manifestDigest, existing);
        await this.writeRecord(record);
        await this.addRepoDigestLocked(record.id, image.repoDigest);
        if (image.tag !== undefined) await this.moveNames(record.id, [image.tag]);
        else await this.syncIndex();
        return (await readJsonIfExists<ImageRecord>(this.recordFile(record.id)))!;
      } catch (err) {
        await this.rollback(createdLayers, []);
        throw err;
      }
    });
  }

  /** records "name@sha256:<manifest digest>" (after a push, or a pull by digest); one digest per repository and image */
  addRepoDigest(imageId: string, repoDigest: string): Promise<void> {
    return this.exclusive(() => this.addRepoDigestLocked(imageId, repoDigest));
  }

  private async addRepoDigestLocked(imageId: string, repoDigest: string): Promise<void> {
    const record = await readJsonIfExists<ImageRecord>(this.recordFile(imageId));
    if (!record) throw notFound(`No such image: ${imageId}`);
    if (record.repoDigests.includes(repoDigest)) return;
    record.repoDigests.push(repoDigest);
    await this.writeRecord(record);
  }

  // ---- commit (builds and docker commit) --------------------------------------------------------------

  /**
   * Docker's commit: a new image made of its parent's layers plus at most one new layer (an uncompressed
   * tar whose sha256 is its diff_id). Only the new layer is ingested and unpacked; the parent's blobs and
   * unpacked folders are shared as they are. The record (which remembers the parent id, as dockerd's
   * image metadata does) is written last, so a failure leaves no image.
   */
  commitImage(configBytes: Buffer, layer: CommitLayer | undefined, options: CommitImageOptions = {}): Promise<ImageRecord> {
    return this.exclusive(async () => {
      await this.init();
      const config = parseImageConfig(configBytes, 'committed image config');
      const parentLayers = options.parent?.layers ?? [];
      const diffIds = config.rootfs.diff_ids;
      const expected = [...parentLayers.map((l) => l.diffId), ...(layer ? [layer.diffId] : [])];
      if (diffIds.length !== expected.length || diffIds.some((d, i) => d !== expected[i])) {
        throw invalidArgument(`commit: the config's rootfs.diff_ids (${diffIds.length}) do not match the parent's layers plus the new one (${expected.length})`);
      }
      const createdBlobs: string[] = [];
      const createdLayers: string[] = [];
      try {
        const configBlob = await this.ingest(configBytes, undefined, createdBlobs);
        const layers: LayerRecord[] = [...parentLayers];
        let size = options.parent?.size ?? 0;
        if (layer) {
          const chainId = chainIds(diffIds)[diffIds.length - 1]!;
          // the blob of an uncompressed layer is the tar itself: its digest is the diff_id
          const blob = await this.ingest(createReadStream(layer.file), layer.diffId, createdBlobs);
          const dest = path.dirname(this.layerFsDir(chainId));
          const known = await readJsonIfExists<{ size: number; diffId: string }>(path.join(dest, 'layer.json'));
          if (known && known.diffId === layer.diffId) size += known.size;
          else {
            const unpacked = await unpackLayer({
              blobPath: this.content.blobPath(blob.digest),
              dest,
              label: `committed layer ${layer.diffId}`,
              expectedDiffId: layer.diffId,
              meta: { chainId, digest: blob.digest },
            });
            createdLayers.push(dest);
            size += unpacked.size;
            this.tracer?.emit(configBlob.digest, 'layer.unpack', { diffId: layer.diffId, path: unpacked.fsDir });
          }
          layers.push({ digest: blob.digest, diffId: layer.diffId, chainId, mediaType: MEDIA_TYPES.ociLayer, size: blob.size });
        }
        const manifest = {
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociManifest,
          config: { mediaType: MEDIA_TYPES.ociConfig, digest: configBlob.digest, size: configBlob.size },
          layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
        };
        const manifestBlob = await this.ingest(Buffer.from(JSON.stringify(manifest)), undefined, createdBlobs);
        const existing = await readJsonIfExists<ImageRecord>(this.recordFile(configBlob.digest));
        const record: ImageRecord = {
          ...recordFromConfig(configBlob.digest, config, layers, size, existing?.manifestDigest ?? manifestBlob.digest, existing),
          ...(options.parent ? { parent: options.parent.id } : {}),
        };
        await this.writeRecord(record);
        const names = (options.tags ?? []).map((t) => familiarString(withDefaultTag(parseReference(t))));
        if (names.length > 0) await this.moveNames(record.id, names);
        else await this.syncIndex();
        return (await readJsonIfExists<ImageRecord>(this.recordFile(record.id)))!;
      } catch (err) {
        await this.rollback(createdLayers, createdBlobs);
        throw err;
      }
    });
  }

  // ---- save ----------------------------------------------------------------------------------------

  async save(refs: string[], out: Writable): Promise<void> {
    const images: ArchiveImage[] = [];
    const temps: string[] = [];
    try {
      for (const ref of refs) {
        const image = await this.resolve(ref);
        const tags = this.isIdRef(ref, image) ? image.repoTags : [this.matchingName(ref, image)!].filter((n) => !n.includes('@'));
        const already = images.find((i) => sha256Digest(i.config) === image.id);
        if (already) {
          for (const t of tags) if (!already.repoTags.includes(t)) already.repoTags.push(t);
          continue;
        }
        const config = await this.content.readBytes(image.id);
        const layers = [];
        for (const layer of image.layers) layers.push(await this.archiveLayer(layer, temps));
        images.push({ config, repoTags: tags, layers, ...(image.parent ? { parent: image.parent } : {}) });
      }
      // as docker save: a parent link is written only when the parent is in the same archive
      const ids = new Set(images.map((i) => sha256Digest(i.config)));
      for (const i of images) if (i.parent && !ids.has(i.parent)) delete i.parent;
      await writeDockerArchive(images, out);
    } finally {
      for (const t of temps) await fs.rm(t, { force: true });
    }
  }

  /** docker-archive layers are uncompressed tars: a gzip blob is inflated to a temp file to learn its size */
  private async archiveLayer(layer: LayerRecord, temps: string[]) {
    const blob = this.content.blobPath(layer.digest);
    if ((await blobCompression(blob)) === 'none') {
      const { size } = await this.content.info(layer.digest);
      return { diffId: layer.diffId, size, open: () => createReadStream(blob) };
    }
    await fs.mkdir(this.paths.tmp, { recursive: true });
    const tmp = path.join(this.paths.tmp, `save-${randomBytes(6).toString('hex')}.tar`);
    temps.push(tmp);
    await pipeline(await openUncompressed(blob, layer.digest), createWriteStream(tmp));
    const { size } = await fs.stat(tmp);
    return { diffId: layer.diffId, size, open: () => createReadStream(tmp) };
  }

  // ---- internals -----------------------------------------------------------------------------------

  private layersRoot(): string {
    return path.join(this.paths.snapshots, 'layers');
  }

  private recordFile(id: string): string {
    return path.join(this.paths.images, `${digestHex(id)}.json`);
  }

  private async writeRecord(record: ImageRecord): Promise<void> {
    await writeJsonAtomic(this.recordFile(record.id), record);
  }

  /** finds by id (full, sha256:, or unique prefix) or by name; undefined when nothing matches */
  private async find(ref: string): Promise<ImageRecord | undefined> {
    const records = await this.list();
    const hex = ref.replace(/^sha256:/, '');
    if (/^[a-f0-9]{64}$/.test(hex)) return records.find((r) => r.id === `sha256:${hex}`);
    let name: string | undefined;
    try {
      name = familiarString(withDefaultTag(parseReference(ref)));
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

  private isIdRef(ref: string, image: ImageRecord): boolean {
    return this.matchingName(ref, image) === undefined;
  }

  private matchingName(ref: string, image: ImageRecord): string | undefined {
    try {
      const name = familiarString(withDefaultTag(parseReference(ref)));
      return [...image.repoTags, ...image.repoDigests].find((n) => n === name);
    } catch {
      return undefined;
    }
  }

  /** gives names to image id, taking them away from any other image (which may become dangling) */
  private async moveNames(id: string, names: string[]): Promise<void> {
    if (names.length === 0) return;
    for (const other of await this.list()) {
      if (other.id === id) continue;
      const kept = other.repoTags.filter((t) => !names.includes(t));
      if (kept.length !== other.repoTags.length) await this.writeRecord({ ...other, repoTags: kept });
    }
    const record = await readJsonIfExists<ImageRecord>(this.recordFile(id));
    if (!record) throw notFound(`No such image: ${id}`);
    for (const n of names) if (!record.repoTags.includes(n)) record.repoTags.push(n);
    await this.writeRecord(record);
    await this.syncIndex();
  }

  private async referencedBlobs(records?: ImageRecord[]): Promise<Set<string>> {
    const used = new Set<string>();
    for (const r of records ?? (await this.list())) {
      used.add(r.id);
      used.add(r.manifestDigest);
      for (const l of r.layers) used.add(l.digest);
    }
    return used;
  }

  /** after an image is deleted: removes its blobs and unpacked layers unless another image needs them */
  private async collectGarbage(image: ImageRecord): Promise<RemoveResult> {
    const records = await this.list();
    const usedChains = new Set(records.flatMap((r) => r.layers.map((l) => l.chainId)));
    const out: RemoveResult = [];
    for (const layer of [...image.layers].reverse()) {
      if (usedChains.has(layer.chainId)) continue;
      await fs.rm(path.dirname(this.layerFsDir(layer.chainId)), { recursive: true, force: true });
      out.push({ Deleted: layer.chainId });
    }
    const usedBlobs = await this.referencedBlobs(records);
    for (const digest of [image.id, image.manifestDigest, ...image.layers.map((l) => l.digest)]) {
      if (!usedBlobs.has(digest)) await this.content.delete(digest);
    }
    return out;
  }

  /** index.json of the content store lists each image's manifest under its names (OCI image layout) */
  private async syncIndex(): Promise<void> {
    const manifests: Descriptor[] = [];
    for (const r of await this.list()) {
      const info = await this.content.info(r.manifestDigest).catch(() => undefined);
      if (!info) continue;
      const names = r.repoTags.length > 0 ? r.repoTags : [undefined];
      for (const name of names) {
        manifests.push({
          mediaType: MEDIA_TYPES.ociManifest,
          digest: r.manifestDigest,
          size: info.size,
          ...(name ? { annotations: { 'io.containerd.image.name': fullString(parseReference(name)), 'org.opencontainers.image.ref.name': name } } : {}),
        });
      }
    }
    await this.content.setIndex(manifests);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn, fn);
    this.lock = next.catch(() => undefined);
    return next;
  }
}


function formatBytes(n: number): string {
  if (n < 1000) return `${n}B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(2)}kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(3)}MB`;
  return `${(n / 1e9).toFixed(3)}GB`;
}

/** an image record from its OCI config; the names of an earlier record of the same image are kept */
function recordFromConfig(id: string, config: ImageConfig, layers: LayerRecord[], size: number, manifestDigest: string, existing?: ImageRecord): ImageRecord {
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
