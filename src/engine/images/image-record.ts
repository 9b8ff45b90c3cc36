// What the engine knows about one image: the OCI image config it was built from, the layers, its names.
import type { ContainerConfig } from '../docker-model.js';

export interface LayerRecord {
  /** digest of the layer blob as stored (compressed or not) in the content store */
  digest: string;
  /** digest of the uncompressed tar (OCI diff_id) */
  diffId: string;
  /** chain id: identifies this layer together with every layer under it; names the unpacked folder */
  chainId: string;
  mediaType: string;
  /** bytes of the blob */
  size: number;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageRecord {
  /** "sha256:<hex of the config blob>" */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** ISO time from the image config */
  created: string;
  architecture: string;
  os: string;
  author?: string;
  /** the image's default run config (OCI config.config, Docker's field names) */
  config: ContainerConfig;
  layers: LayerRecord[];
  history: HistoryEntry[];
  /** sum of the unpacked layer sizes, bytes */
  size: number;
  /** digest of the manifest it came from */
  manifestDigest: string;
  /**
   * id of the image it was committed on (a build step's previous image, the image of a `docker commit`ed
   * container): Docker's "Parent". Local only, not in the image config; absent for pulled/loaded images.
   * Untagged images that are parents are "intermediate" images: hidden by `docker images`, pruned with
   * their last child.
   */
  parent?: string;
}
