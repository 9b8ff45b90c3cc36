// LocalImageStore: Docker's image service for boxlabd, the one object the API, the builder, the container
// service and the distribution client hold. It joins the parts, each in its own file:
//   image-records.ts   the records and names (images/<id-hex>.json; content/index.json mirrors the names)
//   layer-store.ts     the unpacked layers (images/layers/<chainid-hex>/fs), one per chain id, shared
//   image-load.ts      docker load          image-save.ts     docker save
//   image-remove.ts    docker rmi / prune    image-commit.ts   a build step, docker commit
//   pulled-image.ts    the end of docker pull
// and runs every operation that changes them one at a time (a promise chain as the lock), so a load and an
// rmi never see each other half done. Blobs live in the content store (content/oci-layout-store.ts).
import { promises as fs } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { removeStaleTemps } from '../../core/atomic-file.js';
import { invalidArgument } from '../../core/errors.js';
import type { EnginePaths } from '../../core/paths.js';
import type { ContentStore } from '../content/content-store.js';
import { OciLayoutContentStore } from '../content/oci-layout-store.js';
import type { Tracer } from '../trace/tracer.js';
import { commitImage, type CommitImageOptions, type CommitLayer } from './image-commit.js';
import { loadImages } from './image-load.js';
import type { ImageRecord } from './image-record.js';
import { ImageRecords } from './image-records.js';
import { removeImage, type RemoveOptions, type RemoveResult } from './image-remove.js';
import { saveImages } from './image-save.js';
import type { ImageStoreParts } from './image-store-parts.js';
import type { ImageStore, LoadProgress } from './image-store.js';
import { LayerStore, layersRoot } from './layer-store.js';
import { legacyLayersDir } from './legacy-layer-folder.js';
import { commitPulledImage, discardPulledLayers, unpackPulledLayer, type PulledImage, type PulledLayer, type PullCommitProgress } from './pulled-image.js';
import { normalizeTagged, parseReference } from './reference.js';

export type { CommitImageOptions, CommitLayer } from './image-commit.js';
export type { RemoveOptions, RemoveResult } from './image-remove.js';
export type { PulledImage, PulledLayer, PullCommitProgress } from './pulled-image.js';

export interface LocalImageStoreOptions {
  content?: ContentStore & { init?(): Promise<void> };
  tracer?: Tracer;
}

export class LocalImageStore implements ImageStore {
  readonly content: ContentStore & { init?(): Promise<void> };
  private readonly parts: ImageStoreParts;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly paths: EnginePaths,
    options: LocalImageStoreOptions = {},
  ) {
    this.content = options.content ?? new OciLayoutContentStore(paths.content);
    this.parts = {
      content: this.content,
      records: new ImageRecords(paths.images, this.content, options.tracer),
      layers: new LayerStore(layersRoot(paths.images), legacyLayersDir(paths.snapshots)),
      tmp: paths.tmp,
      tracer: options.tracer,
    };
  }

  /**
   * at the engine's start: creates the folders and removes what a crash left half-done (temp records,
   * half-unpacked layers, the content store's temp blobs)
   */
  async init(): Promise<void> {
    await this.content.init?.();
    await this.ready();
  }

  /**
   * before a load or a commit, under the lock: the folders, and what an earlier failed one left. Never the
   * content store's temp blobs: those are downloads under way (a pull writes them outside the lock), and a
   * `docker load` must not break another client's `docker pull`
   */
  private async ready(): Promise<void> {
    await fs.mkdir(this.paths.images, { recursive: true });
    await fs.mkdir(this.paths.tmp, { recursive: true });
    await this.parts.layers.init();
    await removeStaleTemps(this.paths.images);
  }

  // ---- queries -------------------------------------------------------------------------------------

  list(): Promise<ImageRecord[]> {
    return this.parts.records.list();
  }

  resolve(ref: string): Promise<ImageRecord> {
    return this.parts.records.resolve(ref);
  }

  /** the image's unpacked layer folders, lowest first: what the snapshotter stacks (it is handed them, it does not look) */
  layerDirs(image: ImageRecord): string[] {
    return image.layers.map((l) => this.parts.layers.fsDir(l.chainId));
  }

  /** images/layers/<chainid-hex>/fs: an unpacked layer, an overlay lower dir */
  layerFsDir(chainId: string): string {
    return this.parts.layers.fsDir(chainId);
  }

  /** true when the layer with this chain id is unpacked already (a pull reports it as "Already exists") */
  hasLayer(chainId: string, diffId: string): Promise<boolean> {
    return this.parts.layers.has(chainId, diffId);
  }

  // ---- names ---------------------------------------------------------------------------------------

  tag(ref: string, newRef: string): Promise<void> {
    return this.exclusive(async () => {
      const image = await this.resolve(ref);
      const name = normalizeTagged(newRef);
      if (parseReference(newRef).digest !== undefined) throw invalidArgument(`refusing to create a tag with a digest reference: ${newRef}`);
      await this.parts.records.moveNames(image.id, [name]);
    });
  }

  /** records "name@sha256:<manifest digest>" (after a push, or a pull by digest); one digest per repository and image */
  addRepoDigest(imageId: string, repoDigest: string): Promise<void> {
    return this.exclusive(() => this.parts.records.addRepoDigest(imageId, repoDigest));
  }

  // ---- operations (one file each) ------------------------------------------------------------------

  remove(ref: string, options: RemoveOptions): Promise<RemoveResult> {
    return this.exclusive(() => removeImage(this.parts, ref, options));
  }

  load(tarball: Readable, progress: LoadProgress = () => undefined): Promise<string[]> {
    // the body waits for the lock before anything reads it: an error meanwhile must not be unheard (it
    // would end the engine); reading it then fails the load with it
    tarball.on('error', () => undefined);
    return this.exclusive(async () => {
      await this.ready();
      return loadImages(this.parts, tarball, progress);
    });
  }

  save(refs: string[], out: Writable): Promise<void> {
    return saveImages(this.parts, refs, out);
  }

  /**
   * one layer of a pull under way, unpacked while later layers download (created: this call unpacked it).
   * No init() here: the pull's own blobs are still being written next to the content store's temp files
   */
  unpackPulledLayer(imageId: string, layer: PulledLayer): Promise<{ created: boolean }> {
    return this.exclusive(() => unpackPulledLayer(this.parts, imageId, layer));
  }

  /** a pull that failed before its commit: removes the layers it unpacked that no image uses */
  discardPulledLayers(chainIds: string[]): Promise<void> {
    return this.exclusive(() => discardPulledLayers(this.parts, chainIds));
  }

  commitPulled(image: PulledImage, progress: PullCommitProgress = () => undefined): Promise<ImageRecord> {
    return this.exclusive(async () => {
      await this.ready();
      return commitPulledImage(this.parts, image, progress);
    });
  }

  commitImage(configBytes: Buffer, layer: CommitLayer | undefined, options: CommitImageOptions = {}): Promise<ImageRecord> {
    return this.exclusive(async () => {
      await this.ready();
      return commitImage(this.parts, configBytes, layer, options);
    });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn, fn);
    this.lock = next.catch(() => undefined);
    return next;
  }
}
