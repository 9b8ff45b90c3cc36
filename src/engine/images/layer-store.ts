// The layer store: Docker's layer store (moby layer/layer_store.go, /var/lib/docker/image/overlay2/layerdb),
// keyed by chain id. Each layer is unpacked once into <root>/images/layers/<chainid-hex>/: fs/ holds the
// files (an overlayfs lower dir, whiteouts included) and layer.json says "this layer is complete" (chain id,
// blob digest, diff_id, size). A layer is shared by every image built on the same layers below it, which
// is what the chain id names. The store owns this folder: the snapshotter is handed the fs/ folders it
// stacks (ImageStore.layerDirs) and never looks for them itself.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonIfExists, removeStaleTemps } from '../../core/atomic-file.js';
import { digestHex } from '../content/digest.js';
import { moveLegacyLayerFolder } from './legacy-layer-folder.js';
import { unpackLayer } from './layer-unpack.js';

/** <root>/images/layers: where the store keeps its unpacked layers */
export function layersRoot(imagesDir: string): string {
  return path.join(imagesDir, 'layers');
}

/** a layer to make sure of: its identity (chain id, diff_id) and the blob it comes from */
export interface LayerToUnpack {
  chainId: string;
  /** sha256 of the uncompressed tar; the unpack fails when the blob's content hashes differently */
  diffId: string;
  /** digest of the blob in the content store */
  digest: string;
  /** the blob's file on disk */
  blobPath: string;
  /** how errors name the tarball, e.g. "layer 2 of 3 (sha256:ab12...)" */
  label: string;
}

/** layer.json: what a complete layer folder says about itself */
interface LayerFacts {
  chainId: string;
  digest: string;
  diffId: string;
  /** bytes of the regular files unpacked */
  size: number;
}

export interface EnsuredLayer {
  /** bytes of the regular files in the layer */
  size: number;
  /** true when this call unpacked it, false when it was there already */
  created: boolean;
  /** the overlay lower dir */
  fsDir: string;
}

export class LayerStore {
  constructor(
    /** the folder of unpacked layers: layersRoot(paths.images) */
    readonly root: string,
    /** where roots made before kept them (legacyLayersDir): moved here once, at init */
    private readonly legacyDir?: string,
  ) {}

  /** makes the folder (moving the one of earlier versions over) and removes half-unpacked layers a crash left */
  async init(): Promise<void> {
    if (this.legacyDir !== undefined) await moveLegacyLayerFolder(this.legacyDir, this.root);
    await fs.mkdir(this.root, { recursive: true });
    await removeStaleTemps(this.root);
  }

  /** <root>/<chainid-hex>: the folder of one layer */
  dir(chainId: string): string {
    return path.join(this.root, digestHex(chainId));
  }

  /** <root>/<chainid-hex>/fs: an unpacked layer, an overlay lower dir */
  fsDir(chainId: string): string {
    return path.join(this.dir(chainId), 'fs');
  }

  /** true when the layer with this chain id is unpacked and complete (a pull reports it as "Already exists") */
  async has(chainId: string, diffId: string): Promise<boolean> {
    return (await this.facts(chainId, diffId)) !== undefined;
  }

  /**
   * Makes sure the layer is unpacked: a complete folder with the same diff_id is reused as it is; otherwise
   * the blob is unpacked (checked against the diff_id) and renamed into place. beforeUnpack runs only when
   * there is something to unpack (the "Extracting" of a pull, the 0B bar of a load).
   */
  async ensureUnpacked(layer: LayerToUnpack, beforeUnpack?: () => void): Promise<EnsuredLayer> {
    const known = await this.facts(layer.chainId, layer.diffId);
    if (known) return { size: known.size, created: false, fsDir: this.fsDir(layer.chainId) };
    beforeUnpack?.();
    const meta: Omit<LayerFacts, 'diffId' | 'size'> = { chainId: layer.chainId, digest: layer.digest };
    const unpacked = await unpackLayer({ blobPath: layer.blobPath, dest: this.dir(layer.chainId), label: layer.label, expectedDiffId: layer.diffId, meta });
    return { size: unpacked.size, created: true, fsDir: unpacked.fsDir };
  }

  /** removes an unpacked layer (no image may use it any more) */
  async remove(chainId: string): Promise<void> {
    await fs.rm(this.dir(chainId), { recursive: true, force: true });
  }

  private async facts(chainId: string, diffId: string): Promise<LayerFacts | undefined> {
    const known = await readJsonIfExists<LayerFacts>(path.join(this.dir(chainId), 'layer.json'));
    return known?.diffId === diffId ? known : undefined;
  }
}
