// Reading and writing a container's root filesystem from the host: `docker cp` (a tar out of / into the
// merged overlay), `docker diff` (walk the upper dir: overlayfs keeps every change there, deletions as
// whiteouts, i.e. 0:0 character devices) and the size of the writable layer (`docker ps -s`).
// A stopped container's snapshot is mounted for the time of the copy.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { invalidArgument, notFound } from '../../core/errors.js';
import type { Snapshot, Snapshotter } from '../snapshots/snapshotter.js';
import type { Mounter } from './container-deps.js';
import { readMountsUnder } from './mount-table.js';
import { goFileMode, resolveInRoot } from './root-path.js';

export type ChangeKind = 0 | 1 | 2;

export class RootfsAccess {
  /** one copy at a time per container: a temporary mount must not be unmounted under another copy */
  private readonly busy = new Map<string, Promise<void>>();

  constructor(private readonly snapshotter: Snapshotter, private readonly mounter: Mounter) {}

  private async snapshot(key: string): Promise<Snapshot> {
    const s = await this.snapshotter.get(key);
    if (!s) throw notFound(`the root filesystem of container ${key} is gone`);
    return s;
  }

  /** runs fn with the merged rootfs mounted; mounts (and later unmounts) it when the container is stopped */
  private async withRootfs<T>(key: string, fn: (rootfs: string, release: () => Promise<void>) => Promise<T>): Promise<T> {
    const previous = this.busy.get(key) ?? Promise.resolve();
    let unlock!: () => void;
    const mine = new Promise<void>((resolve) => (unlock = resolve));
    const chain = previous.then(() => mine);
    this.busy.set(key, chain);
    await previous;
    let released = false;
    let mounted = true;
    const release = async () => {
      if (released) return;
      released = true;
      if (!mounted) await this.mounter.unmount(rootfsOf, key).catch(() => undefined);
      if (this.busy.get(key) === chain) this.busy.delete(key);
      unlock();
    };
    let rootfsOf = '';
    try {
      const s = await this.snapshot(key);
      rootfsOf = s.rootfs;
      mounted = (await readMountsUnder(s.rootfs)).includes(s.rootfs);
      if (!mounted) await this.mounter.mount(s.mounts, key);
      return await fn(s.rootfs, release);
    } catch (err) {
      await release();
      throw err;
    }
  }

  private async statIn(rootfs: string, inside: string): Promise<{ host: string; stat: Record<string, unknown> }> {
    const host = await resolveInRoot(rootfs, inside, !inside.endsWith('/'));
    const st = await fs.lstat(host).catch(() => undefined);
    if (!st) throw notFound(`Could not find the file ${inside} in container`);
    const linkTarget = st.isSymbolicLink() ? await fs.readlink(host) : '';
    return {
      host,
      stat: { name: path.basename(host), size: st.size, mode: goFileMode(st), mtime: st.mtime.toISOString(), linkTarget },
    };
  }

  async statPath(key: string, inside: string): Promise<Record<string, unknown>> {
    return this.withRootfs(key, async (rootfs, release) => {
      const { stat } = await this.statIn(rootfs, inside);
      await release();
      return stat;
    });
  }

  /** a tar whose top entry is the basename of the path, as `docker cp` expects */
  async getArchive(key: string, inside: string): Promise<{ stat: Record<string, unknown>; tar: Readable }> {
    return this.withRootfs(key, async (rootfs, release) => {
      const { host, stat } = await this.statIn(rootfs, inside);
      const pack = tar.pack();
      const out = new PassThrough();
      pack.pipe(out);
      out.once('close', () => void release()); // the reader went away before the end
      void (async () => {
        try {
          await addToTar(pack, host, path.basename(host));
          pack.finalize();
        } catch (err) {
          pack.destroy(err as Error);
        } finally {
          // unmount once the whole tree is read
          await release();
        }
      })();
      return { stat, tar: out };
    });
  }

  /** extracts a tar into a folder of the container; entries may not leave the root filesystem */
  async putArchive(key: string, inside: string, input: Readable): Promise<void> {
    await this.withRootfs(key, async (rootfs, release) => {
      const dest = await resolveInRoot(rootfs, inside);
      const st = await fs.stat(dest).catch(() => undefined);
      if (!st) throw notFound(`Could not find the file ${inside} in container`);
      if (!st.isDirectory()) throw invalidArgument(`extraction point is not a directory: ${inside}`);
      const extract = tar.extract();
      extract.on('entry', (header, stream, next) => {
        void (async () => {
          const name = path.posix.normalize(header.name);
          if (name.startsWith('../') || name === '..' || path.posix.isAbsolute(name)) throw invalidArgument(`refusing tar entry "${header.name}": it points outside the destination`);
          // the parent is resolved inside the container's root, so a link in the tar cannot lead out
          const insidePath = path.posix.join(path.relative(rootfs, dest) || '.', name);
          const target = await resolveInRoot(rootfs, insidePath, true);
          await fs.mkdir(path.dirname(target), { recursive: true });
          const mode = header.mode ?? 0o644;
          if (header.type === 'directory') {
            await fs.mkdir(target, { recursive: true, mode });
          } else if (header.type === 'symlink') {
            await fs.rm(target, { force: true });
            await fs.symlink(header.linkname ?? '', target);
          } else if (header.type === 'link') {
            const from = await resolveInRoot(rootfs, path.posix.join(path.relative(rootfs, dest) || '.', header.linkname ?? ''));
            await fs.rm(target, { force: true });
            await fs.link(from, target);
          } else if (header.type === 'file' || header.type === 'contiguous-file') {
            await fs.rm(target, { force: true });
            const { createWriteStream } = await import('node:fs');
            await pipeline(stream, createWriteStream(target, { mode }));
            await fs.chmod(target, mode);
          }
          stream.resume();
        })().then(() => next(), (err) => next(err));
      });
      await pipeline(input, extract);
      await release();
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

async function addToTar(pack: tar.Pack, host: string, name: string): Promise<void> {
  const st = await fs.lstat(host);
  const base = { name, mode: st.mode & 0o7777, mtime: st.mtime, uid: st.uid, gid: st.gid };
  if (st.isSymbolicLink()) {
    pack.entry({ ...base, type: 'symlink', linkname: await fs.readlink(host) });
  } else if (st.isDirectory()) {
    pack.entry({ ...base, type: 'directory' });
    for (const child of (await fs.readdir(host)).sort()) await addToTar(pack, path.join(host, child), `${name}/${child}`);
  } else if (st.isFile()) {
    await new Promise<void>((resolve, reject) => {
      const entry = pack.entry({ ...base, type: 'file', size: st.size }, (err) => (err ? reject(err) : resolve()));
      createReadStream(host).on('error', reject).pipe(entry);
    });
  }
}
