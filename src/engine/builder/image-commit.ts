// Makes an image from a parent image, a new run config, a history line and (optionally) one new layer:
// what Docker calls a commit. Every build step commits one (an "intermediate image"), and so does
// `docker commit`. The image config is written as Docker writes it (rootfs.diff_ids, history with
// empty_layer for steps that only change the config), and handed to the image store's commit, which
// ingests and unpacks only the new layer (the parent's layers are shared). A store without commitImage
// (a test double) is given a docker-archive instead.
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { ContainerConfig } from '../docker-model.js';
import type { ImageRecord, HistoryEntry } from '../images/image-record.js';
import type { ImageStore } from '../images/image-store.js';
import { writeDockerArchive, type ArchiveLayer } from '../images/docker-archive-writer.js';
import { hostArchitecture } from '../images/image-config.js';
import type { LayerFile } from './dir-layer.js';

/** the image store, plus where its layer blobs are (to hand the parent's layers on) and its fast commit */
export type BuildImageStore = ImageStore & {
  content: { blobPath(digest: string): string };
  commitImage?(config: Buffer, layer: { file: string; diffId: string } | undefined, options: { parent?: ImageRecord; tags?: string[]; layerLabel?: string }): Promise<ImageRecord>;
};

export interface CommitInput {
  parent?: ImageRecord;
  config: ContainerConfig;
  history: HistoryEntry;
  layer?: LayerFile;
  author?: string;
  /** how the unpacker's errors name the new layer */
  layerLabel?: string;
}

export function imageConfigJson(input: CommitInput, created = new Date().toISOString()): Buffer {
  const parentHistory = input.parent?.history ?? [];
  const diffIds = [...(input.parent?.layers.map((l) => l.diffId) ?? []), ...(input.layer ? [input.layer.diffId] : [])];
  const config = {
    architecture: input.parent?.architecture ?? hostArchitecture(),
    os: input.parent?.os ?? 'linux',
    created,
    ...(input.author ? { author: input.author } : {}),
    config: input.config,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: [...parentHistory, { created, ...input.history, ...(input.layer ? {} : { empty_layer: true }) }],
  };
  return Buffer.from(JSON.stringify(config));
}

export async function commitImage(images: BuildImageStore, input: CommitInput): Promise<ImageRecord> {
  const config = imageConfigJson(input);
  if (images.commitImage) return images.commitImage(config, input.layer, { parent: input.parent, layerLabel: input.layerLabel });
  const layers: ArchiveLayer[] = (input.parent?.layers ?? []).map((l) => ({
    diffId: l.diffId,
    size: l.size,
    open: () => createReadStream(images.content.blobPath(l.digest)),
  }));
  if (input.layer) {
    const file = input.layer.file;
    layers.push({ diffId: input.layer.diffId, size: input.layer.size, open: () => createReadStream(file) });
  }
  const stream = new PassThrough();
  // the parent id rides in the archive's manifest ("Parent", as docker save writes it): the store records it
  const writing = writeDockerArchive([{ config, repoTags: [], layers, ...(input.parent ? { parent: input.parent.id } : {}) }], stream);
  const [names] = await Promise.all([images.load(stream), writing]);
  const id = names.find((n) => n.startsWith('sha256:'));
  return images.resolve(id ?? names[0]!);
}
