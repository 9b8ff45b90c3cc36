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
