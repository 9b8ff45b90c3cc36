// Layer unpacking: turns one layer tarball (gzip or plain) into a folder overlayfs can use as a lowerdir,
// like containerd's apply step. Safety rules, because a tarball is untrusted input:
//   - names that are absolute or climb out with ".." are refused;
//   - parents are checked with lstat and never followed when they are symlinks (so "evil -> /tmp" followed
//     by "evil/pwned" cannot write into /tmp), files are opened with O_NOFOLLOW;
//   - hard links may only point at files inside the layer; device files are refused.
// AUFS whiteouts become overlayfs whiteouts (see whiteout.ts). The diff_id (sha256 of the uncompressed tar)
// is computed while reading and checked against the image config. The layer is unpacked into
// <dest>.tmp-<random> and renamed into place only when complete, so a crash never leaves half a layer.
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsc, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type tar from 'tar-stream';
import { AppError, invalidArgument } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { openUncompressed } from './archive-compression.js';
import { drainEntry as drain, readEntry, tarEntryConsumer, type TarEntryStream as EntryStream } from './tar-entries.js';
import { entryLengthProblem, isHandledEntryType, shortEntryName, unhandledTypeReason } from './tar-entry-checks.js';
import { normalizeEntryPath } from './tar-entry-path.js';
import { classifyWhiteout } from './whiteout.js';

export interface UnpackOptions {
  /** the layer blob on disk */
  blobPath: string;
  /** the final layer folder, e.g. images/layers/<chainid-hex> (layer-store.ts); its fs/ holds the files */
  dest: string;
  /** how errors name the tarball, e.g. "sha256:ab12... (layer 2 of busybox:latest)" */
  label: string;
  /** the diff_id from the image config; the unpack fails when the uncompressed bytes hash differently */
  expectedDiffId?: string;
  /** extra facts to store in <dest>/layer.json */
  meta?: Record<string, unknown>;
}

export interface UnpackResult {
  diffId: string;
  /** bytes of the regular files written */
  size: number;
  /** the fs/ folder: the overlay lowerdir */
  fsDir: string;
}

export async function unpackLayer(options: UnpackOptions): Promise<UnpackResult> {
  const staging = `${options.dest}.tmp-${randomBytes(4).toString('hex')}`;
  const fsDir = path.join(staging, 'fs');
  await fs.mkdir(fsDir, { recursive: true, mode: 0o755 });
  const writer = new LayerWriter(fsDir, options.label);
  try {
    const hash = createHash('sha256');
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const source = await openUncompressed(options.blobPath, `layer tarball ${options.label}`);
    try {
      await pipeline(source, hasher, tarEntryConsumer((header, stream) => writer.apply(header, stream)));
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw invalidArgument(`layer tarball ${options.label} is not a valid tar archive: ${(err as Error).message}`, { cause: err });
    }
    await writer.finish();
    const diffId = `sha256:${hash.digest('hex')}`;
    if (options.expectedDiffId !== undefined && options.expectedDiffId !== diffId) {
      throw invalidArgument(
        `layer tarball ${options.label}: uncompressed content hashes to ${diffId} but the image config says ${options.expectedDiffId}`,
        { suggestions: ['the image archive is corrupt or was modified: export it again'] },
      );
    }
    const result = { diffId, size: writer.size, fsDir: path.join(options.dest, 'fs') };
    await fs.writeFile(path.join(staging, 'layer.json'), JSON.stringify({ ...options.meta, diffId, size: writer.size }, null, 2) + '\n');
    await fs.rm(options.dest, { recursive: true, force: true });
    await fs.rename(staging, options.dest);
    return result;
  } catch (err) {
    await writer.settle();
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  }
}

interface DeferredDir {
  path: string;
  mode: number;
  mtime?: Date;
}

/** files up to this size are read into memory and written while the next entries are read */
const SMALL_FILE = 1024 * 1024;
/** small files being written at once (a layer of many small files is bound by round trips, not bytes) */
const WRITES_IN_FLIGHT = 32;

/**
 * Applies tar entries one by one under root, refusing anything that would land outside it.
 * Speed: a layer of 50,000 small files is 50,000 times the fixed cost of an entry, so the common case is
 * kept to the few system calls it needs: parents already checked are remembered (knownDirs) instead of
 * lstat'ed again, a new file is created with O_EXCL instead of lstat-then-create (replacing an earlier
 * entry is the rare case, on EEXIST), owner/mode/times go through the open file, and small files are
 * written concurrently while the next entries are parsed. Order still holds where it matters: an entry
 * that touches a name still being written, and every entry that is not a file or directory (links,
 * whiteouts, ...), waits for the writes in flight.
 */
class LayerWriter {
  size = 0;
  private readonly dirs: DeferredDir[] = [];
  /** root-relative folders known to be real directories of this unpack ('' is the root) */
  private readonly knownDirs = new Set<string>(['']);
  /** small files being written, by root-relative path */
  private readonly pending = new Map<string, Promise<void>>();
  private failure: unknown;
  private readonly rootBytes: number;
  /** root creates files as 0:0 already: entries owned by 0:0 need no chown */
  private readonly ownerIsRoot = process.geteuid?.() === 0 && process.getegid?.() === 0;

  constructor(
    private readonly root: string,
    private readonly label: string,
  ) {
    this.rootBytes = Buffer.byteLength(root);
  }

  private refuse(name: string, reason: string): AppError {
    return invalidArgument(`layer tarball ${this.label}: entry "${shortEntryName(name)}" ${reason}; refusing to unpack it`, {
      suggestions: ['this image is malformed or malicious: do not use it'],
    });
  }

  /** a failed system call, told without the engine's own paths (the entry names the file) */
  private failed(name: string, err: unknown): unknown {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof AppError || typeof e?.code !== 'string' || e.syscall === undefined) return err;
    const what = e.message.replace(/^[A-Z0-9]+: /, '').split(`, ${e.syscall}`)[0];
    return new AppError(e.code === 'ENOSPC' ? 'UNAVAILABLE' : 'INVALID_ARGUMENT', `layer tarball ${this.label}: entry "${shortEntryName(name)}" could not be unpacked: ${e.code} (${what})`, { cause: err });
  }

  async apply(header: tar.Header, stream: EntryStream): Promise<void> {
    try {
      await this.applyEntry(header, stream);
    } catch (err) {
      throw this.failed(header.name, err);
    }
  }

  private async applyEntry(header: tar.Header, stream: EntryStream): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const name = header.name;
    const norm = normalizeEntryPath(name);
    if (!norm.ok) throw this.refuse(name, norm.reason);
    const rel = norm.path;
    const type: unknown = header.type;
    if (!isHandledEntryType(type)) throw this.refuse(name, unhandledTypeReason(type));
    const tooLong = rel === '' ? undefined : entryLengthProblem(rel, this.rootBytes);
    if (tooLong) throw this.refuse(name, tooLong);
    const mode = (header.mode ?? 0o644) & 0o7777;
    const wh = classifyWhiteout(rel);
    if (wh.kind === 'none' && (type === 'file' || type === 'contiguous-file') && header.size <= SMALL_FILE && !this.knownDirs.has(rel)) {
      return this.writeSoon(name, rel, header, mode, stream);
    }
    if (wh.kind === 'none' && type === 'directory' && rel !== '') return this.directory(name, rel, header, mode, stream);
    // everything else is rare: applied alone, in order, once the writes in flight are done
    await this.flush();
    if (wh.kind === 'opaque') {
      const dir = await this.ensureDir(name, wh.dir);
      await run('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', dir]);
      return drain(stream);
    }
    if (wh.kind === 'whiteout') {
      const target = await this.prepareTarget(name, wh.target);
      // overlayfs' whiteout: a character device with device number 0/0 hides the same name below
      await run('mknod', ['-m', '0000', target, 'c', '0', '0']);
      await fs.lchown(target, 0, 0);
      return drain(stream);
    }
    if (wh.kind === 'aufs-meta') return drain(stream);

    if (rel === '') {
      // "./": the layer root's own metadata
      if (type !== 'directory') throw this.refuse(name, 'names the layer root but is not a directory');
      await this.chownSafe(this.root, header);
      this.dirs.push({ path: this.root, mode, mtime: header.mtime });
      return drain(stream);
    }
    switch (type) {
      case 'file':
      case 'contiguous-file': {
        const target = await this.prepareTarget(name, rel);
        const handle = await fs.open(target, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o600);
        try {
          for await (const chunk of stream) {
            await handle.write(chunk as Buffer);
            this.size += (chunk as Buffer).length;
          }
          await this.finishFile(handle, header, mode);
        } finally {
          await handle.close();
        }
        return;
      }
      case 'symlink': {
        const target = await this.prepareTarget(name, rel);
        // a symlink may point anywhere (it is resolved inside the container); we never follow it here
        await fs.symlink(header.linkname ?? '', target);
        await this.chownSafe(target, header);
        if (header.mtime) await fs.lutimes(target, header.mtime, header.mtime);
        return drain(stream);
      }
      case 'link': {
        const linkNorm = normalizeEntryPath(header.linkname ?? '', true);
        if (!linkNorm.ok || linkNorm.path === '') {
          throw this.refuse(name, `is a hard link to "${header.linkname ?? ''}", which is outside the layer`);
        }
        await this.ensureParents(name, linkNorm.path, false);
        const source = path.join(this.root, linkNorm.path);
        const st = await lstatOrUndefined(source);
        if (!st) throw this.refuse(name, `is a hard link to "${header.linkname ?? ''}", which is not in the layer (yet)`);
        if (st.isDirectory()) throw this.refuse(name, `is a hard link to the directory "${header.linkname ?? ''}"`);
        const target = await this.prepareTarget(name, rel);
        // link(2) does not follow a symlink source on Linux: the link names the symlink itself
        await fs.link(source, target);
        return drain(stream);
      }
      case 'fifo': {
        const target = await this.prepareTarget(name, rel);
        await run('mknod', ['-m', mode.toString(8), target, 'p']);
        await this.chownSafe(target, header);
        return drain(stream);
      }
      case 'character-device':
      case 'block-device':
        throw this.refuse(name, `is a ${type} (${header.devmajor ?? 0}/${header.devminor ?? 0}); image layers may not create device files`);
      default:
        throw this.refuse(name, unhandledTypeReason(type));
    }
  }

  /** the common case: a small regular file, read now and written while the next entries are parsed */
  private async writeSoon(name: string, rel: string, header: tar.Header, mode: number, stream: EntryStream): Promise<void> {
    await this.ensureParents(name, rel);
    // a later entry replaces an earlier one of the same name: the earlier write must be done first
    if (this.pending.has(rel)) await this.flush();
    const data = await readEntry(stream);
    this.size += data.length;
    while (this.pending.size >= WRITES_IN_FLIGHT) await Promise.race(this.pending.values());
    if (this.failure !== undefined) throw this.failure;
    const target = path.join(this.root, rel);
    const task = this.writeFile(rel, target, data, header, mode).then(
      () => void this.pending.delete(rel),
      (err: unknown) => {
        this.pending.delete(rel);
        this.failure ??= this.failed(name, err);
      },
    );
    this.pending.set(rel, task);
  }

  private async writeFile(rel: string, target: string, data: Buffer, header: tar.Header, mode: number): Promise<void> {
    const flags = fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW;
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(target, flags, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // an earlier entry of the same name (a file or a symlink: known directories take the slow path)
      await fs.rm(target, { force: true });
      this.forgetDirs(rel);
      handle = await fs.open(target, flags, 0o600);
    }
    try {
      if (data.length > 0) await handle.writeFile(data);
      await this.finishFile(handle, header, mode);
    } finally {
      await handle.close();
    }
  }

  /** owner, then mode (chown clears the setuid/setgid bits), then times, through the open file */
  private async finishFile(handle: fs.FileHandle, header: tar.Header, mode: number): Promise<void> {
    if (!this.ownerIsRoot || (header.uid ?? 0) !== 0 || (header.gid ?? 0) !== 0) await handle.chown(header.uid ?? 0, header.gid ?? 0);
    await handle.chmod(mode);
    if (header.mtime) await handle.utimes(header.mtime, header.mtime);
  }

  private async directory(name: string, rel: string, header: tar.Header, mode: number, stream: EntryStream): Promise<void> {
    await this.ensureParents(name, rel);
    if (this.pending.has(rel)) await this.flush();
    const target = path.join(this.root, rel);
    if (!this.knownDirs.has(rel)) {
      const st = await lstatOrUndefined(target);
      if (st && !st.isDirectory()) await fs.rm(target, { force: true });
      if (!st || !st.isDirectory()) await fs.mkdir(target, { mode: 0o700 });
      this.knownDirs.add(rel);
    }
    await this.chownSafe(target, header);
    this.dirs.push({ path: target, mode, mtime: header.mtime });
    return drain(stream);
  }

  /** waits for the writes in flight; throws the first that failed */
  private async flush(): Promise<void> {
    await Promise.all(this.pending.values());
    if (this.failure !== undefined) throw this.failure;
  }

  /** waits for the writes in flight, whatever they gave (before the staging folder is removed) */
  async settle(): Promise<void> {
    await Promise.all(this.pending.values());
  }

  /** sets directory modes and mtimes last: creating children would change a directory's mtime again */
  async finish(): Promise<void> {
    await this.flush();
    for (const dir of this.dirs.reverse()) {
      await fs.chmod(dir.path, dir.mode);
      if (dir.mtime) await fs.utimes(dir.path, dir.mtime, dir.mtime);
    }
  }

  /** creates missing parents of rel; throws when one exists and is not a real directory */
  private async ensureParents(name: string, rel: string, create = true): Promise<void> {
    const parts = rel.split('/');
    let current = '';
    for (const part of parts.slice(0, -1)) {
      current = current === '' ? part : `${current}/${part}`;
      if (this.knownDirs.has(current)) continue;
      // a file of that name may still be being written: see it as it will be
      if (this.pending.has(current)) await this.flush();
      const full = path.join(this.root, current);
      const st = await lstatOrUndefined(full);
      if (st?.isDirectory()) {
        this.knownDirs.add(current);
        continue;
      }
      if (st?.isSymbolicLink()) throw this.refuse(name, `goes through the symbolic link "${current}"`);
      if (st) throw this.refuse(name, `has the parent "${current}", which is not a directory`);
      if (!create) throw this.refuse(name, `is a hard link to "${rel}", which is not in the layer`);
      await fs.mkdir(full, { mode: 0o755 });
      this.knownDirs.add(current);
    }
  }

  private async ensureDir(name: string, rel: string): Promise<string> {
    if (rel === '') return this.root;
    await this.ensureParents(name, rel);
    const target = path.join(this.root, rel);
    const st = await lstatOrUndefined(target);
    if (st && !st.isDirectory()) throw this.refuse(name, `makes "${rel}" opaque but it is not a directory`);
    if (!st) await fs.mkdir(target, { mode: 0o755 });
    this.knownDirs.add(rel);
    return target;
  }

  /** checks the parents and removes whatever is at rel (a later entry replaces an earlier one, as tar does) */
  private async prepareTarget(name: string, rel: string): Promise<string> {
    await this.ensureParents(name, rel);
    const target = path.join(this.root, rel);
    const st = await lstatOrUndefined(target);
    if (st) {
      await fs.rm(target, { recursive: st.isDirectory(), force: true });
      this.forgetDirs(rel);
    }
    return target;
  }

  /** rel was removed: it and the folders under it are no longer known */
  private forgetDirs(rel: string): void {
    this.knownDirs.delete(rel);
    const prefix = `${rel}/`;
    for (const dir of this.knownDirs) if (dir.startsWith(prefix)) this.knownDirs.delete(dir);
  }

  private async chownSafe(target: string, header: tar.Header): Promise<void> {
    if (this.ownerIsRoot && (header.uid ?? 0) === 0 && (header.gid ?? 0) === 0) return;
    await fs.lchown(target, header.uid ?? 0, header.gid ?? 0);
  }
}

async function lstatOrUndefined(p: string) {
  try {
    return await fs.lstat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
