// Adding an image is all or nothing, like dockerd's (and conman's rollback of half-created objects): a
// load, a pull's commit or a commit first ingests blobs and unpacks layers, and writes the image record
// last. Until then nothing names what it added, so a failure takes back exactly what this transaction
// created and no committed image uses; blobs and layers that were there before are left alone.
import type { Readable } from 'node:stream';
import type { BlobInfo } from '../content/content-store.js';
import type { ImageRecord } from './image-record.js';
import { referencedBlobs } from './image-records.js';
import type { ImageStoreParts } from './image-store-parts.js';
import type { EnsuredLayer, LayerToUnpack } from './layer-store.js';

export class ImageTransaction {
  private readonly blobs: string[] = [];
  private readonly chainIds: string[] = [];

  constructor(private readonly parts: ImageStoreParts) {}

  /** puts bytes in the content store, checked against the expected digest when there is one */
  async ingest(data: Readable | Buffer, expected?: string): Promise<BlobInfo> {
    if (!Buffer.isBuffer(data)) data.on('error', () => undefined); // read below, after an await
    const { content, records } = this.parts;
    const existedBefore = expected !== undefined && (await content.has(expected));
    const info = await content.ingest(data, expected !== undefined ? { digest: expected } : {});
    if (!existedBefore && !(await records.referencedBlobs()).has(info.digest)) this.blobs.push(info.digest);
    return info;
  }

  /** makes sure one layer of image imageId is unpacked (layer-store.ts); a new one is a trace event of the image */
  async unpack(imageId: string, layer: LayerToUnpack, beforeUnpack?: () => void): Promise<EnsuredLayer> {
    const ensured = await this.parts.layers.ensureUnpacked(layer, beforeUnpack);
    if (ensured.created) {
      this.chainIds.push(layer.chainId);
      this.parts.tracer?.emit(imageId, 'layer.unpack', { diffId: layer.diffId, path: ensured.fsDir });
    }
    return ensured;
  }

  /** undoes a failed write: the layers and blobs it created that no committed image uses */
  async rollback(): Promise<void> {
    const records = await removeUnusedLayers(this.parts, this.chainIds);
    const usedBlobs = referencedBlobs(records);
    for (const digest of this.blobs) if (!usedBlobs.has(digest)) await this.parts.content.delete(digest);
  }
}

/** removes the unpacked layers of chainIds that no image record uses; returns the records it read */
export async function removeUnusedLayers(parts: ImageStoreParts, chainIds: readonly string[]): Promise<ImageRecord[]> {
  const records = await parts.records.list();
  const usedChains = new Set(records.flatMap((r) => r.layers.map((l) => l.chainId)));
  for (const chainId of chainIds) if (!usedChains.has(chainId)) await parts.layers.remove(chainId);
  return records;
}
