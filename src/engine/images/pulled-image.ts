// The last steps of docker pull (dockerd's pull ends in an image create). While the distribution client
// downloads, it unpacks each layer as soon as its blob and the blobs below it are in (unpackPulledLayer,
// one layer at a time under the image store's lock, as dockerd extracts layer i while later ones
// download). Then the commit: the manifest, the config and the layer blobs are in the content store; the
// layers not unpacked yet are unpacked, lowest first as the overlay stacks them ("Extracting", or
// "Already exists" for a layer unpacked before or another image brought), the record is written last, then
// the image gets its tag and repo digest. A failure removes the layers it unpacked (the blobs stay: they
// are the pull's, verified, and resumable); a pull that fails before its commit discards the layers it
// unpacked early (discardPulledLayers).
import { invalidArgument } from '../../core/errors.js';
import { chainIds } from './chain-id.js';
import { parseImageConfig } from './image-config.js';
import type { ImageRecord, LayerRecord } from './image-record.js';
import { recordFromConfig } from './image-records.js';
import type { ImageStoreParts } from './image-store-parts.js';
import { ImageTransaction, removeUnusedLayers } from './image-transaction.js';
import type { EnsuredLayer } from './layer-store.js';

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

/** one layer of a pull whose blob is in the content store */
export interface PulledLayer {
  chainId: string;
  diffId: string;
  /** the blob's digest */
  digest: string;
  /** how errors name it, e.g. "layer 2 of 3 (sha256:ab12...)" */
  label: string;
}

/** unpacks one layer of image imageId while the pull goes on (created: this call unpacked it) */
export function unpackPulledLayer(parts: ImageStoreParts, imageId: string, layer: PulledLayer): Promise<EnsuredLayer> {
  return new ImageTransaction(parts).unpack(imageId, { ...layer, blobPath: parts.content.blobPath(layer.digest) });
}

/** a pull failed before its commit: the layers it unpacked early go, unless an image uses them */
export async function discardPulledLayers(parts: ImageStoreParts, chainIds: readonly string[]): Promise<void> {
  await removeUnusedLayers(parts, chainIds);
}

export async function commitPulledImage(parts: ImageStoreParts, image: PulledImage, progress: PullCommitProgress): Promise<ImageRecord> {
  const configBytes = await parts.content.readBytes(image.configDigest);
  const config = parseImageConfig(configBytes, `config ${image.configDigest}`);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== image.layers.length) {
    throw invalidArgument(`image ${image.repoDigest}: the config lists ${diffIds.length} layer(s) (rootfs.diff_ids) but the manifest has ${image.layers.length}`);
  }
  const chains = chainIds(diffIds);
  const tx = new ImageTransaction(parts);
  try {
    const layers: LayerRecord[] = [];
    let size = 0;
    for (let i = 0; i < image.layers.length; i++) {
      const blob = image.layers[i];
      const label = `layer ${i + 1} of ${image.layers.length} (${blob.digest})`;
      const layer = { chainId: chains[i], diffId: diffIds[i], digest: blob.digest, blobPath: parts.content.blobPath(blob.digest), label };
      const unpacked = await tx.unpack(image.configDigest, layer, () => progress(i, 'extracting'));
      progress(i, unpacked.created ? 'complete' : 'exists');
      size += unpacked.size;
      layers.push({ digest: blob.digest, diffId: diffIds[i], chainId: chains[i], mediaType: blob.mediaType, size: blob.size });
    }
    const { records } = parts;
    const existing = await records.read(image.configDigest);
    const record = recordFromConfig(image.configDigest, config, layers, size, image.manifestDigest, existing);
    await records.write(record);
    await records.addRepoDigest(record.id, image.repoDigest);
    if (image.tag !== undefined) await records.moveNames(record.id, [image.tag]);
    else await records.syncIndex();
    return await records.get(record.id);
  } catch (err) {
    await tx.rollback();
    throw err;
  }
}
