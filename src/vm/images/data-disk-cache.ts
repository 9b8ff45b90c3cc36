// The VM image's data disk (an ext4 file whose engine root holds the preloaded images, preloaded-images.ts)
// cached on its own, like a Docker build cache keeps a layer whose inputs did not change: the disk is made
// only from the baked images (their layers' diff ids, busybox's host binary) and the disk's format, not from
// boxlab's code, so a rebuild of the VM image after a code change (dist is part of the image's hash) links
// the cached disk instead of loading ~450 MB of images and running mkfs again (~55 s). The cached file is
// never written: each VM boots a qcow2 overlay whose backing file it is (qemu-provider.ts).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../core/exec.js';
import { pruneOldImages } from './image-cache.js';
import { stagePreloadedImages } from './preloaded-images.js';

/**
 * Bump when what the disk holds or how it is made changes without its inputs changing: the tree
 * stagePreloadedImages writes, mkfs.ext4's arguments, the way busybox is baked.
 * (An older engine root on a cached disk is still read: the engine moves earlier store layouts over at start.)
 */
export const DATA_DISK_FORMAT = 1;
/** the data disk's filesystem label */
export const DATA_DISK_LABEL = 'boxlab-data';
/** cached data disks kept: a new one comes only when the bake cache's images change */
export const KEEP_DATA_DISKS = 2;

export interface DataDiskInputs {
  /** the sparse size given to mkfs.ext4 (the recipe's diskSize) */
  size: string;
  /** the preloaded bake recipes and the diff ids of the cached layers each is made of */
  images: ReadonlyArray<{ recipe: string; layers: readonly string[] }>;
  /** busybox's image is made from this host's binary at each bake: its size and mtime */
  busybox: string;
}

/** pure: the cache key of a data disk, 16 hex; the order the images are listed in does not matter */
export function dataDiskKey(inputs: DataDiskInputs): string {
  const images = [...inputs.images].sort((a, b) => a.recipe.localeCompare(b.recipe)).map((i) => ({ recipe: i.recipe, layers: [...i.layers] }));
  const key = { format: DATA_DISK_FORMAT, label: DATA_DISK_LABEL, size: inputs.size, busybox: inputs.busybox, images };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16);
}

/** where the cached data disks live: <vm-images>/data-disks/<key>/rootfs.img */
export function dataDisksDir(cacheRoot: string): string {
  return path.join(cacheRoot, 'data-disks');
}

export async function busyboxFingerprint(binary = '/bin/busybox'): Promise<string> {
  const st = await fs.stat(binary);
  return `${st.size}:${Math.floor(st.mtimeMs)}`;
}

/**
 * Puts the data disk at `dest` (a new image's rootfs.img): a hard link to the cached disk for these inputs,
 * made first when the cache lacks it (from the staged engine root `stage`/var/lib/boxlab plus the images).
 * Returns whether the cache had it.
 */
export async function placeDataDisk(cacheRoot: string, stage: string, inputs: DataDiskInputs, dest: string): Promise<{ cached: boolean; key: string }> {
  const key = dataDiskKey(inputs);
  const dir = path.join(dataDisksDir(cacheRoot), key);
  const disk = path.join(dir, 'rootfs.img');
  const cached = await fs.stat(path.join(dir, 'disk.json')).then(() => true, () => false);
  if (!cached) await buildDataDisk(dir, stage, inputs);
  await fs.link(disk, dest).catch(() => run('cp', ['--sparse=always', disk, dest]));
  // its time says when an image last used it (pruning keeps the newest)
  const now = new Date();
  await fs.utimes(path.join(dir, 'disk.json'), now, now);
  // an image keeps its own hard link: removing the cache's name frees nothing an image still uses
  await pruneOldImages(dataDisksDir(cacheRoot), KEEP_DATA_DISKS, 'disk.json');
  return { cached, key };
}

/** built in <key>.tmp-<pid>/ and renamed, so a half-built disk never looks finished */
async function buildDataDisk(dir: string, stage: string, inputs: DataDiskInputs): Promise<void> {
  const work = `${dir}.tmp-${process.pid}`;
  await fs.rm(work, { recursive: true, force: true });
  await fs.mkdir(work, { recursive: true });
  try {
    const data = path.join(work, 'data');
    await stagePreloadedImages(stage, data, inputs.images.map((i) => i.recipe));
    await run('mkfs.ext4', ['-q', '-F', '-L', DATA_DISK_LABEL, '-d', data, path.join(work, 'rootfs.img'), inputs.size]);
    await fs.rm(data, { recursive: true, force: true });
    await fs.writeFile(path.join(work, 'disk.json'), JSON.stringify({ key: dataDiskKey(inputs), format: DATA_DISK_FORMAT, ...inputs, builtAt: new Date().toISOString() }, null, 2));
    // another build of the same key may have finished first: its disk is the same, keep it
    await fs.rename(work, dir).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      await fs.rm(work, { recursive: true, force: true });
    });
  } catch (err) {
    await fs.rm(work, { recursive: true, force: true });
    throw err;
  }
}
