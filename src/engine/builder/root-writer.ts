// Writing untrusted names into a folder that stands for a root filesystem: the build context, or the
// rootfs of a COPY/ADD step. Docker does this with archive.Untar inside a chroot of that folder, so a name
// can never reach the host; here the same rules are applied by path: the parent of each name is resolved
// inside the root (a symlink on the way is followed as the chroot would follow it, an absolute target or
// ".." never leads out, see core/scoped-path.ts; a name's own ".." stops at the root), whatever already sits at the name is replaced and never
// followed, files are created with O_EXCL|O_NOFOLLOW, and a hard link may only name an entry inside the
// root. No process runs in these folders while they are written, so checking by path cannot be raced.
// untarInRoot applies a whole tar this way: the build context, and ADD's auto-extraction.
import { constants as fsc, createReadStream, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type tar from 'tar-stream';
import { AppError, invalidArgument, messageOf } from '../../core/errors.js';
import { resolveInRoot } from '../../core/scoped-path.js';
import { tarEntryConsumer, type TarEntryStream } from '../images/tar-entries.js';

export interface EntryMeta {
  mode: number;
  mtime?: Date;
  /** owner to set; left as the engine's (root) when absent */
  uid?: number;
  gid?: number;
}

export class RootWriter {
  /** folders get their mode and time last: writing their children would change the time again */
  private readonly dirs: Array<{ target: string; meta: EntryMeta }> = [];

  constructor(readonly root: string) {}

  /** the host path for the root-relative rel: its parent resolved inside the root (and created), its last part as named */
  async place(rel: string): Promise<string> {
    const parentRel = path.posix.dirname(rel);
    const parent = await resolveInRoot(this.root, parentRel);
    if (!(await fs.lstat(parent).catch(() => undefined))) {
      // as Docker's Untar: missing parents are created, but a parent that is a symlink to a missing folder
      // is an error (the open fails in Docker's chroot), whether its target is in the root or on the host
      const named = path.join(await resolveInRoot(this.root, path.posix.dirname(parentRel)), path.posix.basename(parentRel));
      if (parentRel !== '.' && (await fs.lstat(named).catch(() => undefined))?.isSymbolicLink()) {
        throw invalidArgument(`open /${rel}: no such file or directory: "${parentRel}" is a symbolic link to a folder that does not exist in the root`);
      }
      await fs.mkdir(parent, { recursive: true, mode: 0o755 });
    }
    return path.join(parent, path.posix.basename(rel));
  }

  /** removes what is at target (a symlink itself, never what it points at), keeping a folder when asked */
  private async clear(target: string, keepDir = false): Promise<Stats | undefined> {
    const st = await fs.lstat(target).catch(() => undefined);
    if (st && !(keepDir && st.isDirectory())) {
      await fs.rm(target, { recursive: true, force: true });
      return undefined;
    }
    return st;
  }

  async mkdir(rel: string, meta: EntryMeta): Promise<void> {
    const target = await this.place(rel);
    if (!(await this.clear(target, true))) await fs.mkdir(target, { mode: 0o700 });
    await this.own(target, meta);
    this.dirs.push({ target, meta });
  }

  async symlink(rel: string, linkname: string, meta: EntryMeta): Promise<void> {
    const target = await this.place(rel);
    await this.clear(target);
    await fs.symlink(linkname, target);
    await this.own(target, meta);
    if (meta.mtime) await fs.lutimes(target, meta.mtime, meta.mtime);
  }

  /** a new file at rel with data's bytes */
  async writeFile(rel: string, data: AsyncIterable<unknown>, meta: EntryMeta): Promise<void> {
    const target = await this.place(rel);
    await this.clear(target);
    const handle = await fs.open(target, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o600);
    try {
      for await (const chunk of data) await handle.write(chunk as Buffer);
    } finally {
      await handle.close();
    }
    await this.finishFile(target, meta);
  }

  /** a new file at rel with the bytes of source, a host path the caller found with lstat as a regular file */
  async copyFile(rel: string, source: string, meta: EntryMeta): Promise<void> {
    const target = await this.place(rel);
    await this.clear(target);
    await fs.copyFile(source, target, fsc.COPYFILE_EXCL);
    await this.finishFile(target, meta);
  }

  /** a hard link at rel to the entry linkRel of the same root; undefined when fine, else why not */
  async link(rel: string, linkRel: string): Promise<string | undefined> {
    const source = path.join(await resolveInRoot(this.root, path.posix.dirname(linkRel)), path.posix.basename(linkRel));
    const st = await fs.lstat(source).catch(() => undefined);
    if (!st) return 'which is not in the archive (yet)';
    if (st.isDirectory()) return 'which is a directory';
    const target = await this.place(rel);
    if (target === source) return undefined;
    await this.clear(target);
    // link(2) does not follow a symlink source on Linux: the new name is the symlink itself
    await fs.link(source, target);
    return undefined;
  }

  /**
   * copies the host tree at source (found with lstat, stat its result) to rel, as COPY does: links inside
   * are copied as links, never followed; keep(hostPath) leaves out what it refuses (.dockerignore)
   */
  async copyTree(rel: string, source: string, stat: Stats, keep: (hostPath: string) => boolean = () => true): Promise<void> {
    const meta: EntryMeta = { mode: stat.mode & 0o7777, mtime: stat.mtime };
    if (stat.isSymbolicLink()) await this.symlink(rel, await fs.readlink(source), meta);
    else if (stat.isFile()) await this.copyFile(rel, source, meta);
    else if (stat.isDirectory()) {
      await this.mkdir(rel, meta);
      for (const name of (await fs.readdir(source)).sort()) {
        const child = path.join(source, name);
        if (keep(child)) await this.copyTree(rel === '' ? name : `${rel}/${name}`, child, await fs.lstat(child), keep);
      }
    }
    // sockets, fifos and devices have no place in a COPY
  }

  /** sets the folders' modes and times; call once everything is written */
  async finish(): Promise<void> {
    for (const { target, meta } of this.dirs.splice(0).reverse()) {
      await fs.chmod(target, meta.mode);
      if (meta.mtime) await fs.utimes(target, meta.mtime, meta.mtime);
    }
  }

  private async finishFile(target: string, meta: EntryMeta): Promise<void> {
    await this.own(target, meta);
    // chmod after chown: chown clears the setuid/setgid bits
    await fs.chmod(target, meta.mode);
    if (meta.mtime) await fs.utimes(target, meta.mtime, meta.mtime);
  }

  private async own(target: string, meta: EntryMeta): Promise<void> {
    if (meta.uid !== undefined) await fs.lchown(target, meta.uid, meta.gid ?? 0);
  }
}

export interface UntarOptions {
  /** names the archive in errors, e.g. "build context" or "ADD app.tar" */
  label: string;
  /** keep the entries' owners (ADD does); else files belong to the engine */
  keepOwners?: boolean;
}

/** unpacks the tar file (plain or gzip, told by its first bytes) into root; see untarInRoot */
export async function untarFileInRoot(file: string, root: string, options: UntarOptions): Promise<void> {
  const head = Buffer.alloc(2);
  const fh = await fs.open(file, 'r');
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const source = createReadStream(file);
  if (head[0] !== 0x1f || head[1] !== 0x8b) return untarInRoot(source, root, options);
  const gunzip = createGunzip();
  source.on('error', (err) => gunzip.destroy(err));
  return untarInRoot(source.pipe(gunzip), root, options);
}

/**
 * a tar name as a root-relative path, the way Docker's Untar sees it in its chroot: a leading "/" is the
 * root, and ".." stops at the root (as in "/"), so "../../etc/x" and "/etc/x" both name etc/x inside
 */
export function rootRelative(name: string): string {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** unpacks the plain tar stream source into root under the rules above; devices and fifos are left out */
export async function untarInRoot(source: Readable, root: string, options: UntarOptions): Promise<void> {
  const writer = new RootWriter(root);
  const refuse = (name: string, reason: string) => invalidArgument(`${options.label} entry "${name}" ${reason}`);
  const apply = async (h: tar.Header, data: TarEntryStream): Promise<void> => {
    const rel = rootRelative(h.name);
    if (rel === '') return void data.resume();
    const meta: EntryMeta = {
      mode: (h.mode ?? (h.type === 'directory' ? 0o755 : 0o644)) & 0o7777,
      mtime: h.mtime,
      ...(options.keepOwners ? { uid: h.uid ?? 0, gid: h.gid ?? 0 } : {}),
    };
    try {
      if (h.type === 'file' || h.type === 'contiguous-file') return await writer.writeFile(rel, data, meta);
      data.resume();
      if (h.type === 'directory') await writer.mkdir(rel, meta);
      else if (h.type === 'symlink') await writer.symlink(rel, h.linkname ?? '', meta);
      else if (h.type === 'link') {
        const to = rootRelative(h.linkname ?? '');
        const why = to !== '' ? await writer.link(rel, to) : 'which is the root itself';
        if (why) throw refuse(h.name, `is a hard link to "${h.linkname ?? ''}", ${why}`);
      }
    } catch (err) {
      if (err instanceof AppError && err.message.startsWith(options.label)) throw err;
      throw invalidArgument(`${options.label} entry "${h.name}" cannot be written: ${messageOf(err)}`, { cause: err });
    }
  };
  try {
    // each entry's stream is listened to at once: a broken archive fails the pipeline, not the engine
    await pipeline(source, tarEntryConsumer(apply));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw invalidArgument(`${options.label} is not a valid tar archive: ${messageOf(err).replace(/^./, (c) => c.toLowerCase())}`, { cause: err });
  }
  await writer.finish();
}

