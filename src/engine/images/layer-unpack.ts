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
import { createReadStream, constants as fsc, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { AppError, invalidArgument } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { normalizeEntryPath } from './tar-entry-path.js';
import { classifyWhiteout } from './whiteout.js';

export interface UnpackOptions {
  /** the layer blob on disk */
  blobPath: string;
  /** the final layer folder, e.g. snapshots/layers/<chainid-hex>; its fs/ holds the files */
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

export type Compression = 'gzip' | 'zstd' | 'none';

/** sniffs the first bytes of a blob: gzip 1f 8b, zstd 28 b5 2f fd, else a plain tar */
export function detectCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x28b52ffd) return 'zstd';
  return 'none';
}

export async function blobCompression(file: string): Promise<Compression> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return detectCompression(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** a plain tar stream of a blob, decompressing gzip */
export async function openUncompressed(file: string, label: string): Promise<Readable> {
  const compression = await blobCompression(file);
  if (compression === 'zstd') {
    throw invalidArgument(`layer tarball ${label} is zstd-compressed, which boxlab does not support`, {
      suggestions: ['re-export the image with gzip or uncompressed layers (e.g. skopeo copy --dest-compress-format gzip)'],
    });
  }
  const source = createReadStream(file);
  if (compression === 'none') return source;
  const gunzip = createGunzip();
  source.on('error', (err) => gunzip.destroy(err));
  return source.pipe(gunzip);
}

export async function unpackLayer(options: UnpackOptions): Promise<UnpackResult> {
  const staging = `${options.dest}.tmp-${randomBytes(4).toString('hex')}`;
  const fsDir = path.join(staging, 'fs');
  await fs.mkdir(fsDir, { recursive: true, mode: 0o755 });
  try {
    const hash = createHash('sha256');
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const writer = new LayerWriter(fsDir, options.label);
    const extract = tar.extract();
    extract.on('entry', (header, stream, next) => {
      writer.apply(header, stream).then(
        () => next(),
        (err: unknown) => {
          stream.resume();
          next(err as Error);
        },
      );
    });
    const source = await openUncompressed(options.blobPath, options.label);
    try {
      await pipeline(source, hasher, extract);
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
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  }
}

interface DeferredDir {
  path: string;
  mode: number;
  mtime?: Date;
}

/** applies tar entries one by one under root, refusing anything that would land outside it */
class LayerWriter {
  size = 0;
  private readonly dirs: DeferredDir[] = [];

  constructor(
    private readonly root: string,
    private readonly label: string,
  ) {}

  private refuse(name: string, reason: string): AppError {
    return invalidArgument(`layer tarball ${this.label}: entry "${name}" ${reason}; refusing to unpack it`, {
      suggestions: ['this image is malformed or malicious: do not use it'],
    });
  }

  async apply(header: tar.Header, stream: EntryStream): Promise<void> {
    const name = header.name;
    const norm = normalizeEntryPath(name);
    if (!norm.ok) throw this.refuse(name, norm.reason);
    const rel = norm.path;
    const wh = classifyWhiteout(rel);
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

    const type = header.type ?? 'file';
    const mode = (header.mode ?? 0o644) & 0o7777;
    if (rel === '') {
      // "./": the layer root's own metadata
      if (type !== 'directory') throw this.refuse(name, 'names the layer root but is not a directory');
      await this.chownSafe(this.root, header);
      this.dirs.push({ path: this.root, mode, mtime: header.mtime });
      return drain(stream);
    }
    switch (type) {
      case 'directory': {
        const target = path.join(this.root, rel);
        await this.ensureParents(name, rel);
        const st = await lstatOrUndefined(target);
        if (st && !st.isDirectory()) await fs.rm(target, { recursive: true, force: true });
        if (!st || !st.isDirectory()) await fs.mkdir(target, { mode: 0o700 });
        await this.chownSafe(target, header);
        this.dirs.push({ path: target, mode, mtime: header.mtime });
        return drain(stream);
      }
      case 'file':
      case 'contiguous-file': {
        const target = await this.prepareTarget(name, rel);
        const handle = await fs.open(target, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o600);
        try {
          for await (const chunk of stream) {
            await handle.write(chunk as Buffer);
            this.size += (chunk as Buffer).length;
          }
        } finally {
          await handle.close();
        }
        await this.chownSafe(target, header);
        // chmod after chown: chown clears the setuid/setgid bits
        await fs.chmod(target, mode);
        if (header.mtime) await fs.lutimes(target, header.mtime, header.mtime);
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
        throw this.refuse(name, `has the unsupported tar type "${String(type)}"`);
    }
  }

  /** sets directory modes and mtimes last: creating children would change a directory's mtime again */
  async finish(): Promise<void> {
    for (const dir of this.dirs.reverse()) {
      await fs.chmod(dir.path, dir.mode);
      if (dir.mtime) await fs.utimes(dir.path, dir.mtime, dir.mtime);
    }
  }

  /** creates missing parents of rel; throws when one exists and is not a real directory */
  private async ensureParents(name: string, rel: string, create = true): Promise<void> {
    const parts = rel.split('/');
    let current = this.root;
    for (const part of parts.slice(0, -1)) {
      current = path.join(current, part);
      const st = await lstatOrUndefined(current);
      if (st?.isDirectory()) continue;
      if (st?.isSymbolicLink()) throw this.refuse(name, `goes through the symbolic link "${path.relative(this.root, current)}"`);
      if (st) throw this.refuse(name, `has the parent "${path.relative(this.root, current)}", which is not a directory`);
      if (!create) throw this.refuse(name, `is a hard link to "${rel}", which is not in the layer`);
      await fs.mkdir(current, { mode: 0o755 });
    }
  }

  private async ensureDir(name: string, rel: string): Promise<string> {
    if (rel === '') return this.root;
    await this.ensureParents(name, rel);
    const target = path.join(this.root, rel);
    const st = await lstatOrUndefined(target);
    if (st && !st.isDirectory()) throw this.refuse(name, `makes "${rel}" opaque but it is not a directory`);
    if (!st) await fs.mkdir(target, { mode: 0o755 });
    return target;
  }

  /** checks the parents and removes whatever is at rel (a later entry replaces an earlier one, as tar does) */
  private async prepareTarget(name: string, rel: string): Promise<string> {
    await this.ensureParents(name, rel);
    const target = path.join(this.root, rel);
    const st = await lstatOrUndefined(target);
    if (st) await fs.rm(target, { recursive: st.isDirectory(), force: true });
    return target;
  }

  private async chownSafe(target: string, header: tar.Header): Promise<void> {
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

type EntryStream = tar.ExtractEvents['entry'][1];

/** reads an entry's data to its end (tar-stream needs it consumed before the next entry) */
async function drain(stream: EntryStream): Promise<void> {
  for await (const _chunk of stream) {
    /* skip */
  }
}
