// docker load (POST /images/load): a docker-archive or OCI-layout tarball becomes images. The tarball is
// staged in <root>/tmp/load-<hex>/ (staged-archive.ts), planned (archive-plan.ts: which config, which
// layers, which names), then each image's blobs go to the content store and its layers are unpacked once
// (layer-store.ts). Records are written last, in one transaction (image-transaction.ts): a bad tarball
// leaves nothing. The progress lines are dockerd's: "Loading layer" with a bar, then "Loaded image: <name>"
// (or "Loaded image ID: <id>" for an image without a name).
import { randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { invalidArgument } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import { blobCompression } from './archive-compression.js';
import { MEDIA_TYPES, planArchive, type PlannedImage } from './archive-plan.js';
import { chainIds } from './chain-id.js';
import { parseImageConfig } from './image-config.js';
import type { ImageRecord, LayerRecord } from './image-record.js';
import { recordFromConfig } from './image-records.js';
import type { ImageStoreParts } from './image-store-parts.js';
import type { LoadProgress } from './image-store.js';
import { ImageTransaction } from './image-transaction.js';
import { ociManifestBytes } from './oci-manifest.js';
import { normalizeTagged } from './reference.js';
import { StagedArchive } from './staged-archive.js';

/** sizes as the docker CLI's progress bars show them (decimal units, as go-units HumanSize) */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n}B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(2)}kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(3)}MB`;
  return `${(n / 1e9).toFixed(3)}GB`;
}

/** dockerd's "Loading layer" bar: empty before the layer is read, full after */
export function loadingBar(size: number, done: boolean): string {
  return done
    ? `[==================================================>]  ${formatBytes(size)}/${formatBytes(size)}`
    : `[>                                                  ]  0B/${formatBytes(size)}`;
}

/** loads every image of the tarball; returns the names loaded (an unnamed image by its id) */
export async function loadImages(parts: ImageStoreParts, tarball: Readable, progress: LoadProgress): Promise<string[]> {
  const stageDir = path.join(parts.tmp, `load-${randomBytes(6).toString('hex')}`);
  const staged = await StagedArchive.stage(tarball, stageDir).catch(async (err: unknown) => {
    await fs.rm(stageDir, { recursive: true, force: true });
    throw err;
  });
  const tx = new ImageTransaction(parts);
  try {
    const plans = await planArchive(staged, 'image tarball');
    const ready: Array<{ record: ImageRecord; names: string[] }> = [];
    const parents = new Map<string, string>();
    for (const plan of plans) {
      const imported = await importImage(parts, tx, staged, plan, progress);
      if (plan.parent) parents.set(imported.record.id, plan.parent);
      ready.push(imported);
    }
    const loaded: string[] = [];
    const { records } = parts;
    // records are committed last: until here nothing names the new blobs and layers
    for (const { record, names } of ready) {
      const existing = await records.read(record.id);
      if (existing) {
        record.repoTags = existing.repoTags;
        record.repoDigests = existing.repoDigests;
        if (existing.parent) record.parent = existing.parent;
      }
      await records.write(record);
      for (const name of names) {
        const old = (await records.list()).find((r) => r.id !== record.id && r.repoTags.includes(name));
        if (old) progress({ status: `The image ${name} already exists, renaming the old one with ID ${old.id} to empty string` });
      }
      await records.moveNames(record.id, names);
      parts.tracer?.emit(record.id, 'image.load', { ref: names[0] ?? record.id, layers: record.layers.length, imageId: record.id });
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
      const record = await records.read(id);
      if (record && !record.parent && (await records.read(parent))) await records.write({ ...record, parent });
    }
    await records.syncIndex();
    return loaded;
  } catch (err) {
    await tx.rollback();
    throw err;
  } finally {
    await staged.dispose();
  }
}

/** one planned image: its config, blobs and layers in the store; the record to write (not written yet) */
async function importImage(
  parts: ImageStoreParts,
  tx: ImageTransaction,
  staged: StagedArchive,
  plan: PlannedImage,
  progress: LoadProgress,
): Promise<{ record: ImageRecord; names: string[] }> {
  const names = plan.names.map((n) => {
    try {
      return normalizeTagged(n);
    } catch (err) {
      throw invalidArgument(`image tarball names an image "${n}", which is not a valid reference`, { cause: err });
    }
  });
  const configBytes = await staged.readBytes(plan.configEntry, 'image config');
  const config = parseImageConfig(configBytes, `"${plan.configEntry}"`);
  const configBlob = await tx.ingest(configBytes, plan.configDigest);
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
    const blob = await tx.ingest(createReadStream(staged.file(planned.entry, 'layer')), planned.digest);
    const blobPath = parts.content.blobPath(blob.digest);
    const compressed = (await blobCompression(blobPath)) === 'gzip';
    const id = shortId(diffIds[i]);
    const label = `"${planned.entry}" (layer ${i + 1} of ${plan.layers.length})`;
    const layer = await tx.unpack(configBlob.digest, { chainId: chains[i], diffId: diffIds[i], digest: blob.digest, blobPath, label }, () =>
      progress({ status: 'Loading layer', id, progress: loadingBar(blob.size, false) }),
    );
    size += layer.size;
    progress({ status: 'Loading layer', id, progress: loadingBar(blob.size, true) });
    layers.push({
      digest: blob.digest,
      diffId: diffIds[i],
      chainId: chains[i],
      mediaType: planned.mediaType ?? (compressed ? MEDIA_TYPES.ociLayerGzip : MEDIA_TYPES.ociLayer),
      size: blob.size,
    });
  }
  // keep the original manifest when the archive has one; otherwise describe the image in an OCI manifest
  const manifest = plan.manifestEntry
    ? await tx.ingest(await staged.readBytes(plan.manifestEntry, 'manifest'), plan.manifestDigest)
    : await tx.ingest(ociManifestBytes(configBlob, layers));
  return { record: recordFromConfig(configBlob.digest, config, layers, size, manifest.digest), names };
}
