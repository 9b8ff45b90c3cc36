// An OCI image manifest (image-spec manifest.md): the config blob and the layer blobs, lowest first, each as
// a descriptor. The store writes one for an image that came without a manifest (a docker-archive holds
// none, a commit makes a new image), so every image has a manifest to list in index.json and to push.
import type { BlobInfo } from '../content/content-store.js';
import { MEDIA_TYPES } from './archive-plan.js';
import type { LayerRecord } from './image-record.js';

export interface OciManifest {
  schemaVersion: 2;
  mediaType: typeof MEDIA_TYPES.ociManifest;
  config: { mediaType: typeof MEDIA_TYPES.ociConfig; digest: string; size: number };
  layers: Array<{ mediaType: string; digest: string; size: number }>;
}

export function ociManifest(config: BlobInfo, layers: readonly LayerRecord[]): OciManifest {
  return {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: config.digest, size: config.size },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
}

/** the manifest's bytes as the store ingests them (compact JSON: its sha256 is the manifest digest) */
export function ociManifestBytes(config: BlobInfo, layers: readonly LayerRecord[]): Buffer {
  return Buffer.from(JSON.stringify(ociManifest(config, layers)));
}
