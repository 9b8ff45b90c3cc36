// Resolving a path inside a directory tree as if that directory were "/" (like chroot, or Go's
// filepath-securejoin): symlinks are followed, but an absolute link target or ".." can never lead out of
// the root. Use it whenever the engine reads or writes inside a container's rootfs or a volume, where
// the files (and their symlinks) were made by whoever built the image.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument } from './errors.js';

const MAX_LINKS = 255;

/** the host path for `unsafePath` inside `root`; components that do not exist yet are kept as they are */
export async function resolveInRoot(root: string, unsafePath: string): Promise<string> {
  const base = path.resolve(root);
  const rel = await resolveScoped(unsafePath, async (p) => {
    const candidate = path.join(base, p);
    const stat = await fs.lstat(candidate).catch(() => undefined);
    return stat?.isSymbolicLink() ? fs.readlink(candidate) : undefined;
  }, root);
  return path.join(base, rel);
}

/**
 * the walk behind resolveInRoot, over any view of a tree (a folder, an image's layers): `readLink(rel)` gives
 * the target of the symlink at the root-relative rel, or undefined when rel is no symlink (or missing).
 * Returns the root-relative resolved path ('' for the root).
 */
export async function resolveScoped(unsafePath: string, readLink: (rel: string) => Promise<string | undefined>, rootName = '/'): Promise<string> {
  let pending = unsafePath.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '..') {
      done.pop(); // ".." at the top stays at the top, as in "/"
      continue;
    }
    const target = await readLink([...done, part].join('/'));
    if (target === undefined) {
      done.push(part);
      continue;
    }
    if (++links > MAX_LINKS) throw invalidArgument(`too many levels of symbolic links in ${unsafePath} under ${rootName}`);
    if (target.startsWith('/')) done.length = 0;
    pending = [...target.split('/').filter((p) => p !== '' && p !== '.'), ...pending];
  }
  return done.join('/');
}

/** reads a file inside root (through resolveInRoot); undefined when it does not exist */
export async function readFileInRoot(root: string, unsafePath: string): Promise<string | undefined> {
  try {
    return await fs.readFile(await resolveInRoot(root, unsafePath), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}
