// Reading and writing a container's root filesystem from the host: `docker cp` (a tar out of / into the
// container's files), `docker diff` (walk the upper dir: overlayfs keeps every change there, deletions as
// whiteouts, i.e. 0:0 character devices) and the size of the writable layer (`docker ps -s`).
// `docker cp` works through a PinnedRoot (src/core/pinned-root.ts): every path is walked one pinned
// directory at a time, so a container that swaps a directory for a symlink during the copy cannot make the
// engine follow it onto the host (CVE-2018-15664). The root is the container's own view while it runs
// (/proc/<pid>/root: its volumes, binds and tmpfs are mounted there), else its snapshot, mounted for the time
// of the copy, with its volumes and binds entered in place of their mount points, as Docker does.
import { constants as C, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { failedPrecondition, invalidArgument, isAppError, notFound } from '../../core/errors.js';
import { PinnedRoot, splitPath, type PinnedDir, type PinnedEntry, type PinnedPath } from '../../core/pinned-root.js';
import type { Snapshot, Snapshotter } from '../snapshots/snapshotter.js';
import type { Mounter } from './container-deps.js';
import { readMountsUnder } from './mount-table.js';
import { goFileMode } from './root-path.js';
import { tarEntryConsumer } from '../images/tar-entries.js';
import type { OciMount } from '../oci-runtime-spec.js';
export type ChangeKind = 0 | 1 | 2;

/** what a copy needs to know of a container */
export interface CopyTarget {
  /** its snapshot key */
  key: string;
  /** the pid of its init while it runs, else 0 */
  pid: number;
  /** its binds, volumes and tmpfs (a stopped container's volumes are entered through their host dirs) */
  mounts: OciMount[];
}

export class RootfsAccess {
  /** one copy at a time per container: a temporary mount must not be unmounted under another copy */
  private readonly busy = new Map<string, Promise<void>>();

  constructor(private readonly snapshotter: Snapshotter, private readonly mounter: Mounter) {}

  private async snapshot(key: string): Promise<Snapshot> {
    const s = await this.snapshotter.get(key);
    if (!s) throw notFound(`the root filesystem of container ${key} is gone`);
    return s;
  }

  /** the merged rootfs of a stopped container, mounted until release() */
  private async mountRootfs(key: string): Promise<{ rootfs: string; release: () => Promise<void> }> {
    const previous = this.busy.get(key) ?? Promise.resolve();
    let unlock!: () => void;
    const mine = new Promise<void>((resolve) => (unlock = resolve));
    const chain = previous.then(() => mine);
    this.busy.set(key, chain);
    await previous;
    let released = false;
    let mountedByUs = false;
    let rootfs = '';
    const release = async () => {
      if (released) return;
      released = true;
      if (mountedByUs) await this.mounter.unmount(rootfs, key).catch(() => undefined);
      if (this.busy.get(key) === chain) this.busy.delete(key);
      unlock();
    };
    try {
      const s = await this.snapshot(key);
      rootfs = s.rootfs;
      if (!(await readMountsUnder(s.rootfs)).includes(s.rootfs)) {
        await this.mounter.mount(s.mounts, key);
        mountedByUs = true;
      }
      return { rootfs, release };
    } catch (err) {
      await release();
      throw err;
    }
  }

  /** the container's files as a PinnedRoot, until release() */
  private async pin(target: CopyTarget): Promise<{ root: PinnedRoot; release: () => Promise<void> }> {
    if (target.pid > 0) {
      const running = await this.pinRunning(target);
      if (running) return { root: running, release: () => running.close() };
    }
    const { rootfs, release } = await this.mountRootfs(target.key);
    try {
      const root = await PinnedRoot.open(rootfs, await directoryMounts(target.mounts));
      return { root, release: async () => (await root.close(), await release()) };
    } catch (err) {
      await release();
      throw err;
    }
  }

  /**
   * /proc/<pid>/root: the root the container's processes see, with their mounts. The pid may have exited
   * and been reused since the record was read: the root must be the container's own rootfs (same device and
   * inode as the merged dir), else undefined (the caller treats the container as stopped).
   */
  private async pinRunning(target: CopyTarget): Promise<PinnedRoot | undefined> {
    const s = await this.snapshot(target.key);
    const root = await PinnedRoot.open(`/proc/${target.pid}/root`).catch(() => undefined);
    if (!root) return undefined;
    const [mine, merged] = await Promise.all([root.stat(), fs.stat(s.rootfs).catch(() => undefined)]);
    if (merged && mine.dev === merged.dev && mine.ino === merged.ino) return root;
    await root.close();
    return undefined;
  }

  /** runs fn on the pinned root; fn calls release itself when it streams past its return */
  private async withRoot<T>(target: CopyTarget, fn: (root: PinnedRoot, release: () => Promise<void>) => Promise<T>): Promise<T> {
    const { root, release } = await this.pin(target);
    try {
      return await fn(root, release);
    } catch (err) {
      await release();
      throw err;
    }
  }

  /** what `inside` names, not following a last symlink unless the path ends with "/" or "/." (like docker cp) */
  private async lookup(root: PinnedRoot, inside: string): Promise<{ where: PinnedPath; entry: PinnedEntry; name: string }> {
    let where: PinnedPath;
    try {
      where = await root.resolve(inside, { followLast: /\/\.?$/.test(inside) });
    } catch (err) {
      if (isAppError(err, 'NOT_FOUND')) throw notFound(`Could not find the file ${inside} in container`);
      throw err;
    }
    const entry = where.name === null ? { stat: await where.dir.handle.stat(), dir: where.dir } : await root.entry(where.dir, where.name);
    if (!entry) {
      await where.dir.close();
      throw notFound(`Could not find the file ${inside} in container`);
    }
    // "dir/." means the contents of dir: Docker names the top entry "." and the client rebases from it
    const name = inside.endsWith('/.') ? '.' : (where.name ?? (path.posix.basename(where.dir.inside) || '/'));
    return { where, entry, name };
  }

  private static statHeader(entry: PinnedEntry, name: string): Record<string, unknown> {
    const st = entry.stat;
    return { name, size: st.size, mode: goFileMode(st), mtime: st.mtime.toISOString(), linkTarget: entry.linkTarget ?? '' };
  }

  async statPath(target: CopyTarget, inside: string): Promise<Record<string, unknown>> {
    return this.withRoot(target, async (root, release) => {
      const { where, entry, name } = await this.lookup(root, inside);
      await closeEntry(entry);
      await where.dir.close();
      await release();
      return RootfsAccess.statHeader(entry, name);
    });
  }

  /**
   * A tar whose top entry is the basename of the path, as `docker cp` expects. Errors while the tar is
   * produced destroy the stream (its consumer sees them through pipeline, even if they came first).
   */
  async getArchive(target: CopyTarget, inside: string): Promise<{ stat: Record<string, unknown>; tar: Readable }> {
    return this.withRoot(target, async (root, release) => {
      const { where, entry, name } = await this.lookup(root, inside);
      const pack = tar.pack();
      const out = new PassThrough();
      pack.pipe(out);
      // an error is handed to `out`; until the route's pipeline listens, it stays in out.errored (pipeline
      // reports it then) instead of being an 'error' event nobody listens to, which would stop the engine
      pack.on('error', (err: Error) => out.destroy(err));
      out.on('error', () => undefined);
      out.once('close', () => pack.destroy()); // the client went away: stop reading the container's files
      void (async () => {
        try {
          await addToTar(root, pack, entry, name);
          pack.finalize();
        } catch (err) {
          pack.destroy(err as Error);
        } finally {
          await where.dir.close();
          await release();
        }
      })();
      return { stat: RootfsAccess.statHeader(entry, name), tar: out };
    });
  }

  /**
   * `docker export`: the snapshot's merged view (image layers, init layer, the container's upper dir) as a
   * tar whose entries are relative to / ("bin/sh", as dockerd writes them), hard links kept as links. Only
   * the overlay: volumes, binds and tmpfs are mounted inside the container's mount namespace, not here, so
   * they are not in it (as with dockerd). A stopped container's overlay is mounted for the time of the tar.
   */
  async exportArchive(key: string): Promise<{ rootfs: string; tar: Readable }> {
    const { rootfs, release } = await this.mountRootfs(key);
    let root: PinnedRoot;
    try {
      root = await PinnedRoot.open(rootfs);
    } catch (err) {
      await release();
      throw err;
    }
    const pack = tar.pack();
    const out = new PassThrough();
    pack.pipe(out);
    pack.on('error', (err: Error) => out.destroy(err));
    out.on('error', () => undefined);
    out.once('close', () => pack.destroy());
    void (async () => {
      try {
        const top = await root.resolve('/', { followLast: true });
        const links = new Map<string, string>();
        try {
          for (const child of (await fs.readdir(top.dir.self)).sort()) {
            const found = await root.entry(top.dir, child);
            if (found) await addToTar(root, pack, found, child, links);
          }
        } finally {
          await top.dir.close();
        }
        pack.finalize();
      } catch (err) {
        pack.destroy(err as Error);
      } finally {
        await root.close();
        await release();
      }
    })();
    return { rootfs, tar: out };
  }

  /** extracts a tar into a directory of the container; every entry is written under a pinned parent */
  async putArchive(target: CopyTarget, inside: string, input: Readable): Promise<void> {
    await this.withRoot(target, async (root, release) => {
      const { where, entry } = await this.lookup(root, /\/\.?$/.test(inside) ? inside : `${inside}/`).catch(async (err) => {
        if (isAppError(err, 'INVALID_ARGUMENT') && /not a directory/.test(err.message)) throw invalidArgument(`extraction point is not a directory: ${inside}`);
        throw err;
      });
      await where.dir.close();
      await closeEntry(entry);
      if (!entry.stat.isDirectory()) throw invalidArgument(`extraction point is not a directory: ${inside}`);
      const dest = entry.dir?.inside ?? where.dir.inside;
      if (readOnlyMountAt(target.mounts, dest)) throw failedPrecondition(`mounted volume is marked read-only: ${inside}`, { suggestions: ['copy into a writable path, or mount the volume without :ro'] });
      // each entry's stream is listened to at once: it fails when the archive ends early, maybe before we read it
      const extract = tarEntryConsumer(async (header, stream) => {
        await extractEntry(root, dest, header, stream as unknown as Readable);
        stream.resume();
      });
      try {
        await pipeline(input, extract);
      } catch (err) {
        throw isAppError(err) ? err : invalidArgument(`cannot extract the archive into ${inside}: ${describeTarError(err)}`, { cause: err });
      } finally {
        await release();
      }
    });
  }

  /** `docker diff`: Kind 0 modified (also in the image), 1 added, 2 deleted (an overlayfs whiteout) */
  async changes(key: string): Promise<Array<{ Path: string; Kind: ChangeKind }>> {
    const s = await this.snapshot(key);
    const out: Array<{ Path: string; Kind: ChangeKind }> = [];
    const inLower = async (rel: string) => {
      for (const lower of s.lowerdirs) if (await fs.lstat(path.join(lower, rel)).then(() => true, () => false)) return true;
      return false;
    };
    const walk = async (rel: string): Promise<void> => {
      const entries = await fs.readdir(path.join(s.upperdir, rel), { withFileTypes: true }).catch(() => []);
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const childRel = path.join(rel, e.name);
        const st = await fs.lstat(path.join(s.upperdir, childRel));
        if (st.isCharacterDevice() && st.rdev === 0) {
          out.push({ Path: `/${childRel}`, Kind: 2 });
          continue;
        }
        out.push({ Path: `/${childRel}`, Kind: (await inLower(childRel)) ? 0 : 1 });
        if (st.isDirectory()) await walk(childRel);
      }
    };
    await walk('');
    return withoutInitLayer(out);
  }

  /** bytes in the writable layer */
  async upperSize(key: string): Promise<number> {
    const s = await this.snapshotter.get(key).catch(() => undefined);
    return s ? du(s.upperdir) : 0;
  }
}

/**
 * Docker keeps the files it creates for every container (/etc/hosts, mount points like /proc) in an
 * "init" layer below the container's, so `docker diff` does not show them; so does boxlab now
 * (snapshots/init-layer.ts). A container created before that has them in its upper dir, where runc made
 * them: leave them out, and a directory that changed only because of them.
 */
export const INIT_LAYER_PATHS = ['/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/etc/mtab', '/dev', '/dev/pts', '/dev/shm', '/dev/console', '/proc', '/sys'];

export function withoutInitLayer(changes: Array<{ Path: string; Kind: ChangeKind }>): Array<{ Path: string; Kind: ChangeKind }> {
  const rest = changes.filter((c) => !INIT_LAYER_PATHS.includes(c.Path) || c.Kind === 2);
  return rest.filter((c) => c.Kind !== 0 || INIT_LAYER_PATHS.every((p) => !p.startsWith(`${c.Path}/`)) || rest.some((o) => o.Path.startsWith(`${c.Path}/`)));
}

async function du(dir: string): Promise<number> {
  let total = 0;
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await du(p);
    else total += (await fs.lstat(p).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/**
 * A stopped container's binds and volumes, as inside path -> host dir: the copy enters the volume where the
 * container would see it (Docker mounts them for the copy). tmpfs has no content while stopped, and a bind
 * of a single file is left out (the walk pins directories).
 */
async function directoryMounts(mounts: OciMount[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const m of mounts) {
    const isBind = m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind');
    if (!isBind || !m.source) continue;
    if ((await fs.stat(m.source).catch(() => undefined))?.isDirectory()) out[m.destination] = m.source;
  }
  return out;
}

/** whether the mount that holds `inside` (the deepest one) is read-only: Docker refuses to copy into it */
function readOnlyMountAt(mounts: OciMount[], inside: string): boolean {
  const holding = mounts
    .filter((m) => inside === path.posix.resolve('/', m.destination) || inside.startsWith(`${path.posix.resolve('/', m.destination)}/`))
    .sort((a, b) => b.destination.length - a.destination.length)[0];
  return (holding?.options ?? []).includes('ro');
}

/** Docker's words for a broken archive, with the way out */
function describeTarError(err: unknown): string {
  const message = (err as Error).message ?? String(err);
  if (/unexpected end of data|premature close/i.test(message)) return 'unexpected EOF (the tar stream ended inside an entry: is the archive complete?)';
  if (/invalid tar header|checksum/i.test(message)) return 'invalid tar header (send a tar archive, e.g. made with tar -c)';
  return message;
}

/**
 * proc, sysfs, devpts, mqueue and cgroup mounts of a running container hold the kernel's files, not the
 * container's: like Docker (whose copy does not see them), a copy shows their directory and not its contents
 * (which would be slow, huge, or readings of the host's kernel state).
 */
const KERNEL_FS_MAGIC = new Set([0x9fa0, 0x62656572, 0x1cd1, 0x19800202, 0x63677270, 0x27e0eb]);
async function isKernelFilesystem(dir: PinnedDir): Promise<boolean> {
  const { type } = await fs.statfs(dir.self);
  return KERNEL_FS_MAGIC.has(type);
}

async function closeEntry(entry: PinnedEntry): Promise<void> {
  await entry.file?.close().catch(() => undefined);
  await entry.dir?.close();
}

/** links: when given, a file with more names than one is written once and then as hard links to that entry */
async function addToTar(root: PinnedRoot, pack: tar.Pack, entry: PinnedEntry, name: string, links?: Map<string, string>): Promise<void> {
  try {
    const st = entry.stat;
    const base = { name, mode: st.mode & 0o7777, mtime: st.mtime, uid: st.uid, gid: st.gid };
    const inode = links && entry.file && st.nlink > 1 ? `${st.dev}:${st.ino}` : undefined;
    const first = inode ? links?.get(inode) : undefined;
    if (first !== undefined) {
      pack.entry({ ...base, type: 'link', linkname: first });
    } else if (st.isSymbolicLink()) {
      pack.entry({ ...base, type: 'symlink', linkname: entry.linkTarget ?? '' });
    } else if (entry.dir) {
      pack.entry({ ...base, type: 'directory' });
      if (await isKernelFilesystem(entry.dir)) return;
      for (const child of (await fs.readdir(entry.dir.self)).sort()) {
        const found = await root.entry(entry.dir, child);
        if (found) await addToTar(root, pack, found, `${name}/${child}`, links);
      }
    } else if (entry.file) {
      if (inode) links?.set(inode, name);
      await addFile(pack, entry.file, { ...base, size: st.size });
    }
  } finally {
    await closeEntry(entry);
  }
}

/**
 * A file is copied with the size it had when it was opened, as Docker does: a log the container is still
 * writing gives its first `size` bytes (a file that shrank meanwhile is padded with zeros, as GNU tar does).
 */
async function addFile(pack: tar.Pack, file: FileHandle, header: Partial<tar.Header> & { name: string; size: number }): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const sink = pack.entry({ ...header, type: 'file' }, (err) => (err ? reject(err) : resolve()));
    sink.on('error', reject);
    void (async () => {
      const chunk = Buffer.alloc(64 * 1024);
      let left = header.size;
      while (left > 0) {
        const { bytesRead } = await file.read(chunk, 0, Math.min(chunk.length, left), null);
        const piece = bytesRead > 0 ? Buffer.from(chunk.subarray(0, bytesRead)) : Buffer.alloc(Math.min(chunk.length, left));
        left -= piece.length;
        if (!sink.write(piece)) await new Promise<void>((r) => sink.once('drain', () => r()));
      }
      sink.end(undefined);
    })().catch(reject);
  });
}

/** one tar entry, written under `dest` (an inside path); the entry's parents are resolved inside the root */
async function extractEntry(root: PinnedRoot, dest: string, header: tar.Header, stream: Readable): Promise<void> {
  const name = path.posix.normalize(header.name);
  if (name.startsWith('../') || name === '..' || path.posix.isAbsolute(name)) throw invalidArgument(`refusing tar entry "${header.name}": it points outside the destination`);
  const inside = path.posix.join(dest, name);
  if (splitPath(name).length === 0) {
    if (header.type !== 'directory') throw invalidArgument(`refusing tar entry "${header.name}": it has no name`);
    return; // "./": the destination itself
  }
  const mode = (header.mode ?? 0o644) & 0o7777;
  if (header.type === 'directory') {
    const dir = await root.openDir(inside, { create: true });
    try {
      await dir.handle.chmod(mode);
    } finally {
      await dir.close();
    }
    return;
  }
  if (!['file', 'contiguous-file', 'symlink', 'link'].includes(header.type ?? 'file')) return; // devices, fifos: skipped
  const { dir, name: last } = await root.resolve(inside, { createDirs: true });
  try {
    if (last === null) throw invalidArgument(`refusing tar entry "${header.name}": it names a directory`);
    await removeNonDirectory(dir, last, inside);
    if (header.type === 'symlink') {
      await fs.symlink(header.linkname ?? '', dir.at(last));
    } else if (header.type === 'link') {
      const linkname = path.posix.normalize(header.linkname ?? '');
      if (linkname.startsWith('../') || linkname === '..' || path.posix.isAbsolute(linkname)) throw invalidArgument(`refusing hard link "${header.name}" -> "${header.linkname}": it points outside the destination`);
      const from = await root.resolve(path.posix.join(dest, linkname));
      try {
        if (from.name === null) throw invalidArgument(`refusing hard link "${header.name}" -> "${header.linkname}": it names a directory`);
        await fs.link(from.dir.at(from.name), dir.at(last));
      } finally {
        await from.dir.close();
      }
    } else {
      // O_EXCL|O_NOFOLLOW: a name swapped in since the unlink makes this fail rather than write elsewhere
      const file = await fs.open(dir.at(last), C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, mode);
      try {
        for await (const chunk of stream) await file.write(chunk as Buffer);
        await file.chmod(mode); // past the umask
        if (header.mtime) await file.utimes(header.mtime, header.mtime);
      } finally {
        await file.close();
      }
    }
  } finally {
    await dir.close();
  }
}

/** a file, link or symlink already there is replaced (as tar does); a directory is not */
async function removeNonDirectory(dir: PinnedDir, name: string, inside: string): Promise<void> {
  try {
    await fs.unlink(dir.at(name));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'EISDIR' || code === 'EPERM') throw invalidArgument(`cannot overwrite directory ${inside} with a non-directory`);
    throw err;
  }
}
