// Where built VM images live and how a finished one is recognised: a build goes to <hash>.tmp-*/ and is
// renamed to <hash>/ only when complete, so an interrupted build never looks finished.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface BuiltImage {
  dir: string;
  hash: string;
  kernel: string;
  initrd: string;
  disk: string;
  kernelVersion: string;
}

export function imageFiles(dir: string, hash: string, kernelVersion: string): BuiltImage {
  return { dir, hash, kernelVersion, kernel: path.join(dir, 'vmlinux'), initrd: path.join(dir, 'initrd.cpio'), disk: path.join(dir, 'rootfs.img') };
}

export async function findBuilt(cacheRoot: string, hash: string): Promise<BuiltImage | undefined> {
  const dir = path.join(cacheRoot, hash);
  try {
    const m = JSON.parse(await fs.readFile(path.join(dir, 'image.json'), 'utf8')) as { kernelVersion: string };
    return imageFiles(dir, hash, m.kernelVersion);
  } catch {
    return undefined;
  }
}

/** builds kept in the cache: each is ~200 MB, and a stopped VM needs its own build to start again */
export const KEEP_IMAGES = 3;

/** keeps the newest `keep` builds (by their `marker` file's time: image.json, a data disk's disk.json), removes the others */
export async function pruneOldImages(cacheRoot: string, keep: number, marker = 'image.json'): Promise<void> {
  const dirs = [];
  for (const e of await fs.readdir(cacheRoot)) {
    if (!/^[0-9a-f]{16}$/.test(e)) continue;
    const st = await fs.stat(path.join(cacheRoot, e, marker)).catch(() => undefined);
    if (st) dirs.push({ dir: path.join(cacheRoot, e), mtime: st.mtimeMs });
  }
  dirs.sort((a, b) => b.mtime - a.mtime);
  // a running VM keeps its open files; only a stopped VM on a pruned build must be recreated
  for (const d of dirs.slice(keep)) await fs.rm(d.dir, { recursive: true, force: true });
}
