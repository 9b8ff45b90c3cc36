// Turns a folder into an image layer: a tar of its files with overlayfs whiteouts (0/0 character
// devices, "trusted.overlay.opaque" folders) written back as the `.wh.<name>` and `.wh..wh..opq` files of
// the image format. For RUN and `docker commit` the folder is the container's overlay upper dir, which
// holds exactly what the step changed; for COPY it is a staging folder laid out like the root.
// Its sha256 is the layer's diff_id.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { run } from '../../core/exec.js';
import { lookupInLayers } from './image-fs.js';

export interface LayerFile {
  file: string;
  /** "sha256:..." of the tar: the layer's diff_id */
  diffId: string;
  /** bytes of the tar */
  size: number;
  /** number of entries (files, folders, whiteouts) */
  entries: number;
}

export interface DirLayerOptions {
  /** the image's layers, lowest first: folders that only carry unchanged parents are left out */
  lowerDirs?: readonly string[];
  /** root-relative paths to leave out, with what is under them (the container's init files) */
  exclude?: readonly string[];
}

/** root-relative folders marked opaque by overlayfs in dir */
export async function opaqueDirs(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  const res = await run('getfattr', ['--absolute-names', '-R', '-h', '-n', 'trusted.overlay.opaque', dir], { allowFailure: true });
  let current: string | undefined;
  for (const line of res.stdout.split('\n')) {
    if (line.startsWith('# file: ')) current = line.slice('# file: '.length);
    else if (current && /^trusted\.overlay\.opaque="y"/.test(line)) out.add(path.relative(dir, current));
  }
  return out;
}

interface Entry {
  rel: string;
  stat: Stats;
  whiteout?: boolean;
  opaque?: boolean;
}

async function collect(dir: string, options: DirLayerOptions): Promise<Entry[]> {
  const opaque = await opaqueDirs(dir);
  const excluded = (rel: string) => (options.exclude ?? []).some((p) => rel === p || rel.startsWith(p + '/'));
  const lower = options.lowerDirs ?? [];
  const walk = async (rel: string): Promise<Entry[]> => {
    const out: Entry[] = [];
    const names = (await fs.readdir(path.join(dir, rel))).sort();
    for (const name of names) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const stat = await fs.lstat(path.join(dir, childRel));
      if (stat.isCharacterDevice() && stat.rdev === 0) {
        out.push({ rel: childRel, stat, whiteout: true });
        continue;
      }
      if (excluded(childRel)) continue;
      if (stat.isDirectory()) {
        const children = await walk(childRel);
        const isOpaque = opaque.has(childRel);
        let keep = children.length > 0 || isOpaque || lower.length === 0;
        if (!keep) {
          // a folder that is only here because something under it was created and left out (e.g. /etc for
          // /etc/hosts) is not part of the change, unless it is new or its owner or mode changed
          const below = await lookupInLayers(lower, childRel);
          keep = !below || !below.stat.isDirectory() || (below.stat.mode & 0o7777) !== (stat.mode & 0o7777) || below.stat.uid !== stat.uid || below.stat.gid !== stat.gid;
        }
        if (keep) out.push({ rel: childRel, stat, opaque: isOpaque }, ...children);
      } else {
        out.push({ rel: childRel, stat });
      }
    }
    return out;
  };
  return walk('');
}

function entryHeader(e: Entry, name: string): Partial<tar.Header> {
  return { name, mode: e.stat.mode & 0o7777, uid: e.stat.uid, gid: e.stat.gid, mtime: e.stat.mtime };
}

/** a pass-through that hashes (sha256) and counts what flows through it: a layer tar's diff_id and size */
export function tarDigester(): { stream: Transform; diffId: () => string; size: () => number } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  return { stream, diffId: () => `sha256:${hash.digest('hex')}`, size: () => size };
}

/** writes the layer tar of dir to file */
export async function writeDirLayer(dir: string, file: string, options: DirLayerOptions = {}): Promise<LayerFile> {
  const entries = await collect(dir, options);
  const pack = tar.pack();
  const digester = tarDigester();
  const written = pipeline(pack, digester.stream, createWriteStream(file));
  const links = new Map<string, string>();
  const add = (header: Partial<tar.Header>, data?: Buffer) =>
    new Promise<void>((resolve, reject) => pack.entry(header as tar.Header, data ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve())) as unknown);
  let count = 0;
  for (const e of entries) {
    count++;
    if (e.whiteout) {
      const name = path.posix.join(path.posix.dirname(e.rel), `.wh.${path.posix.basename(e.rel)}`);
      await add({ name, type: 'file', size: 0, mode: 0o644, mtime: e.stat.mtime });
    } else if (e.stat.isDirectory()) {
      await add({ ...entryHeader(e, e.rel + '/'), type: 'directory' });
      if (e.opaque) await add({ name: `${e.rel}/.wh..wh..opq`, type: 'file', size: 0, mode: 0o644, mtime: e.stat.mtime });
    } else if (e.stat.isSymbolicLink()) {
      await add({ ...entryHeader(e, e.rel), type: 'symlink', linkname: await fs.readlink(path.join(dir, e.rel)) });
    } else if (e.stat.isFile()) {
      const key = `${e.stat.dev}:${e.stat.ino}`;
      const first = e.stat.nlink > 1 ? links.get(key) : undefined;
      if (first) {
        await add({ ...entryHeader(e, e.rel), type: 'link', linkname: first });
        continue;
      }
      if (e.stat.nlink > 1) links.set(key, e.rel);
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry({ ...entryHeader(e, e.rel), type: 'file', size: e.stat.size } as tar.Header, (err) => (err ? reject(err) : resolve()));
        createReadStream(path.join(dir, e.rel)).on('error', reject).pipe(sink);
      });
    } else if (e.stat.isFIFO()) {
      await add({ ...entryHeader(e, e.rel), type: 'fifo' });
    } else if (e.stat.isCharacterDevice() || e.stat.isBlockDevice()) {
      await add({
        ...entryHeader(e, e.rel),
        type: e.stat.isCharacterDevice() ? 'character-device' : 'block-device',
        devmajor: Math.floor(e.stat.rdev / 256),
        devminor: e.stat.rdev % 256,
      });
    } else count--; // sockets are not part of images
  }
  pack.finalize();
  await written;
  return { file, diffId: digester.diffId(), size: digester.size(), entries: count };
}
