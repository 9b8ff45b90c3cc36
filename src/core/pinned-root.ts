// A directory tree held open by file descriptors, so that a path inside it is resolved as if the tree were
// "/" and nothing the tree's owner does meanwhile can lead the engine out of it.
//
// Why: resolving a path first (lstat, readlink, join) and using the resulting host path later is a race.
// A container that swaps a directory and a symlink with renameat2(RENAME_EXCHANGE) between the two steps
// makes the host follow its symlink: that is CVE-2018-15664 (`docker cp` wrote and read host files).
// The kernel's answer is openat2(RESOLVE_IN_ROOT); Docker's (since 19.03) is to do the archive work in a
// child chrooted into the container. Node has neither, so this module emulates openat(dirfd, name,
// O_NOFOLLOW): every directory of a walk is held by an open fd, and the next step opens
// `/proc/self/fd/<fd>/<name>`. The kernel jumps straight to the directory the fd pins (a "magic link"), then
// looks up ONE name in it; with O_NOFOLLOW|O_DIRECTORY a name that is (or has just become) a symlink fails
// (ENOTDIR/ELOOP) instead of being followed. A symlink met on the way is read through its pinned parent and
// resolved here, inside the root: an absolute target restarts at the root, ".." pops our own stack of fds and
// never goes above the root (like securejoin, but each step stays pinned).
// Creating, linking and removing also go through `/proc/self/fd/<parent>/<name>`: mkdir, symlink, link,
// unlink and open(O_CREAT|O_EXCL|O_NOFOLLOW) never follow their last component.
import { constants as C, promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { invalidArgument, notFound } from './errors.js';

/** open(2)'s O_PATH (Linux): an fd that pins an inode without opening it for reading (no device side effects) */
export const O_PATH = 0o10000000;
const DIR_FLAGS = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW;
/** the kernel's own limit on symlinks in one lookup (MAXSYMLINKS) */
const MAX_LINKS = 40;

/** one directory held open, with its path as seen from the root (for messages and mount points) */
export class PinnedDir {
  constructor(readonly handle: FileHandle, readonly inside: string) {}

  /** the host path of `name` in this very directory (a single component: never "", ".", ".." or with a slash) */
  at(name: string): string {
    return `/proc/self/fd/${this.handle.fd}/${name}`;
  }

  /** the host path of this directory itself, for readdir */
  get self(): string {
    return `/proc/self/fd/${this.handle.fd}`;
  }

  close(): Promise<void> {
    return this.handle.close().catch(() => undefined);
  }
}

/** where a path ended: a directory, or a name in a directory (which may not exist) */
export interface PinnedPath {
  dir: PinnedDir;
  /** null: the path is `dir` itself */
  name: string | null;
}

export interface ResolveOptions {
  /** follow a symlink in the last component too (`cp c:/link/` copies the target, `cp c:/link` the link) */
  followLast?: boolean;
  /** create missing directories on the way (mode 0755), as tar extraction does for an entry's parents; with
   * followLast, the last component too */
  createDirs?: boolean;
}

export class PinnedRoot {
  private constructor(
    private readonly root: PinnedDir,
    /** directories to enter in place of a path of the tree (a stopped container's volumes): inside path -> host dir */
    private readonly mounts: Map<string, string>,
  ) {}

  /** pins `hostDir` (trusted: the engine chose it) as "/"; `mounts` maps inside paths to other trusted host dirs */
  static async open(hostDir: string, mounts: Record<string, string> = {}): Promise<PinnedRoot> {
    const handle = await fs.open(hostDir, C.O_RDONLY | C.O_DIRECTORY);
    const table = new Map(Object.entries(mounts).map(([inside, host]) => [path.posix.resolve('/', inside), host]));
    return new PinnedRoot(new PinnedDir(handle, '/'), table);
  }

  /** the root directory's own stat (e.g. to check it is the container's rootfs) */
  stat(): Promise<Stats> {
    return this.root.handle.stat();
  }

  close(): Promise<void> {
    return this.root.close();
  }

  /**
   * Walks `inside` from the root, one pinned directory at a time. The caller closes the returned `dir`.
   * Errors: notFound for a missing directory on the way, invalidArgument for a file used as a directory
   * or a symlink loop.
   */
  async resolve(inside: string, options: ResolveOptions = {}): Promise<PinnedPath> {
    const stack: PinnedDir[] = [await this.reopen(this.root)];
    const pending = splitPath(inside);
    let links = 0;
    try {
      while (pending.length > 0) {
        const part = pending.shift() as string;
        const top = stack[stack.length - 1];
        if (part === '..') {
          if (stack.length > 1) await (stack.pop() as PinnedDir).close();
          continue;
        }
        const last = pending.length === 0;
        if (last && !options.followLast) return this.finish(stack, part);
        const next = await this.step(top, part);
        if (next.kind === 'dir') {
          stack.push(next.dir);
          continue;
        }
        if (next.kind === 'missing') {
          if (options.createDirs) {
            await fs.mkdir(top.at(part), 0o755).catch((err: NodeJS.ErrnoException) => {
              if (err.code !== 'EEXIST') throw err; // someone made it meanwhile: the retry sees what it is
            });
            pending.unshift(part);
            continue;
          }
          if (last) return this.finish(stack, part);
          throw notFound(`${inside}: no such file or directory`);
        }
        if (next.kind === 'file') {
          if (last) return this.finish(stack, part);
          throw invalidArgument(`${inside}: ${path.posix.join(top.inside, part)} is not a directory`);
        }
        // a symlink: continue with its target, read through the pinned parent, resolved inside the root
        if (++links > MAX_LINKS) throw invalidArgument(`${inside}: too many levels of symbolic links`);
        if (next.target.startsWith('/')) while (stack.length > 1) await (stack.pop() as PinnedDir).close();
        pending.unshift(...splitPath(next.target));
      }
      return this.finish(stack, null);
    } catch (err) {
      await Promise.all(stack.map((d) => d.close()));
      throw err;
    }
  }

  /** the directory at `inside` (symlinks followed inside the root), created if missing with `create`; the caller closes it */
  async openDir(inside: string, options: { create?: boolean } = {}): Promise<PinnedDir> {
    const where = await this.resolve(inside, { followLast: true, createDirs: options.create });
    if (where.name === null) return where.dir;
    await where.dir.close();
    throw invalidArgument(`${inside}: not a directory`);
  }

  /**
   * What `name` in `parent` is, opened without following it: a directory (pinned, mount-aware), a regular
   * file (open for reading), a symlink (its target) or something else (a device, a fifo: only its stat, it
   * is never opened for reading). null when it does not exist. The caller closes `dir` and `file`.
   */
  async entry(parent: PinnedDir, name: string): Promise<PinnedEntry | null> {
    const inside = path.posix.join(parent.inside, name);
    const mount = this.mounts.get(inside);
    if (mount !== undefined) {
      const dir = new PinnedDir(await fs.open(mount, C.O_RDONLY | C.O_DIRECTORY), inside);
      return { stat: await dir.handle.stat(), dir };
    }
    // O_PATH|O_NOFOLLOW pins whatever is there now, even a symlink, without opening it for I/O
    const pinned = await fs.open(parent.at(name), O_PATH | C.O_NOFOLLOW).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (!pinned) return null;
    try {
      const stat = await pinned.stat();
      // reopening /proc/self/fd/<O_PATH fd> opens that same inode, whatever happened to the name meanwhile
      const again = `/proc/self/fd/${pinned.fd}`;
      if (stat.isDirectory()) return { stat, dir: new PinnedDir(await fs.open(again, C.O_RDONLY | C.O_DIRECTORY), inside) };
      if (stat.isFile()) return { stat, file: await fs.open(again, C.O_RDONLY) };
      if (stat.isSymbolicLink()) return { stat, linkTarget: await fs.readlink(parent.at(name)).catch(() => '') };
      return { stat };
    } finally {
      await pinned.close();
    }
  }

  private async finish(stack: PinnedDir[], name: string | null): Promise<PinnedPath> {
    const dir = stack.pop() as PinnedDir;
    await Promise.all(stack.map((d) => d.close()));
    return { dir, name };
  }

  private async reopen(dir: PinnedDir): Promise<PinnedDir> {
    // no O_NOFOLLOW here: /proc/self/fd/N is the magic link itself, and following it is the point
    return new PinnedDir(await fs.open(dir.self, C.O_RDONLY | C.O_DIRECTORY), dir.inside);
  }

  /** opens one name of a pinned directory as a directory, or says what else it is (never following it) */
  private async step(parent: PinnedDir, name: string): Promise<{ kind: 'dir'; dir: PinnedDir } | { kind: 'symlink'; target: string } | { kind: 'file' } | { kind: 'missing' }> {
    const inside = path.posix.join(parent.inside, name);
    const mount = this.mounts.get(inside);
    if (mount !== undefined) return { kind: 'dir', dir: new PinnedDir(await fs.open(mount, C.O_RDONLY | C.O_DIRECTORY), inside) };
    for (let attempt = 0; attempt < MAX_LINKS; attempt++) {
      try {
        return { kind: 'dir', dir: new PinnedDir(await fs.open(parent.at(name), DIR_FLAGS), inside) };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { kind: 'missing' };
        if (code !== 'ENOTDIR' && code !== 'ELOOP') throw err;
      }
      // not a directory: a symlink (read it through the same pinned parent) or something else
      try {
        return { kind: 'symlink', target: await fs.readlink(parent.at(name)) };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EINVAL') return { kind: 'file' };
        if (code !== 'ENOENT') throw err;
        // swapped or removed between the two calls: look again
      }
    }
    throw invalidArgument(`${inside} keeps changing while it is read`);
  }
}

/** one entry as `PinnedRoot.entry` found it */
export interface PinnedEntry {
  stat: Stats;
  dir?: PinnedDir;
  file?: FileHandle;
  /** a symlink's target, as text: it is never followed */
  linkTarget?: string;
}

/** the components of a path, without "" and "." (".." is kept: the walk applies it to its own stack) */
export function splitPath(p: string): string[] {
  return p.split('/').filter((part) => part !== '' && part !== '.');
}
