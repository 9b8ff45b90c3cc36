// The image store's side of a commit (dockerd's image create from a container's diff, moby
// daemon/commit.go): a new image made of its parent's layers plus at most one new layer, an uncompressed
// tar whose sha256 is its diff_id. Every build step commits one, and so does `docker commit`
// (builder/image-commit.ts writes the config). Only the new layer is ingested and unpacked; the parent's
// blobs and unpacked folders are shared as they are. The record remembers the parent id, as dockerd's image
// metadata does, and is written last, so a failure leaves no image.
import { createReadStream } from 'node:fs';
import { invalidArgument } from '../../core/errors.js';
import { MEDIA_TYPES } from './archive-plan.js';
import { chainIds } from './chain-id.js';
import { parseImageConfig } from './image-config.js';
import type { ImageRecord, LayerRecord } from './image-record.js';
import { recordFromConfig } from './image-records.js';
import type { ImageStoreParts } from './image-store-parts.js';
import { ImageTransaction } from './image-transaction.js';
import { ociManifestBytes } from './oci-manifest.js';
import { normalizeTagged } from './reference.js';

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
  /** how errors name the new layer (default "committed layer <diff_id>"), e.g. "the imported tarball" */
  layerLabel?: string;
}

/** a problem with the config's rootfs.diff_ids: they must be the parent's plus the new layer's (pure) */
export function commitDiffIdProblem(diffIds: readonly string[], parentLayers: readonly LayerRecord[], layer?: CommitLayer): string | undefined {
  const expected = [...parentLayers.map((l) => l.diffId), ...(layer ? [layer.diffId] : [])];
  if (diffIds.length === expected.length && diffIds.every((d, i) => d === expected[i])) return undefined;
  return `commit: the config's rootfs.diff_ids (${diffIds.length}) do not match the parent's layers plus the new one (${expected.length})`;
}

export async function commitImage(parts: ImageStoreParts, configBytes: Buffer, layer: CommitLayer | undefined, options: CommitImageOptions = {}): Promise<ImageRecord> {
  const config = parseImageConfig(configBytes, 'committed image config');
  const parentLayers = options.parent?.layers ?? [];
  const diffIds = config.rootfs.diff_ids;
  const problem = commitDiffIdProblem(diffIds, parentLayers, layer);
  if (problem) throw invalidArgument(problem);
  const tx = new ImageTransaction(parts);
  try {
    const configBlob = await tx.ingest(configBytes);
    const layers: LayerRecord[] = [...parentLayers];
    let size = options.parent?.size ?? 0;
    if (layer) {
      const chainId = chainIds(diffIds)[diffIds.length - 1]!;
      // the blob of an uncompressed layer is the tar itself: its digest is the diff_id
      const blob = await tx.ingest(createReadStream(layer.file), layer.diffId);
      const label = options.layerLabel ?? `committed layer ${layer.diffId}`;
      const unpacked = await tx.unpack(configBlob.digest, { chainId, diffId: layer.diffId, digest: blob.digest, blobPath: parts.content.blobPath(blob.digest), label });
      size += unpacked.size;
      layers.push({ digest: blob.digest, diffId: layer.diffId, chainId, mediaType: MEDIA_TYPES.ociLayer, size: blob.size });
    }
    const manifestBlob = await tx.ingest(ociManifestBytes(configBlob, layers));
    const { records } = parts;
    const existing = await records.read(configBlob.digest);
    const record: ImageRecord = {
      ...recordFromConfig(configBlob.digest, config, layers, size, existing?.manifestDigest ?? manifestBlob.digest, existing),
      ...(options.parent ? { parent: options.parent.id } : {}),
    };
    await records.write(record);
    const names = (options.tags ?? []).map(normalizeTagged);
    if (names.length > 0) await records.moveNames(record.id, names);
    else await records.syncIndex();
    return await records.get(record.id);
  } catch (err) {
    await tx.rollback();
    throw err;
  }
}
