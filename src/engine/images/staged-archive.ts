// The outer image tarball (`docker load` input) staged on disk. Its regular files are copied to numbered
// files in a private folder and looked up by name through a map, so no entry name is ever used as a path:
// a tarball cannot write outside the store whatever its names say. Symlinks and hard links between entries
// (older `docker save` links duplicate layers) are resolved inside the map. A compressed tarball (gzip,
// bzip2, xz, as `docker load` takes them) is decompressed on the way in.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type tar from 'tar-stream';
import { AppError, invalidArgument } from '../../core/errors.js';
import { decompress, sniffCompression } from './archive-compression.js';
import { drainEntry, tarEntryConsumer, type TarEntryStream } from './tar-entries.js';
import { isHandledEntryType, shortEntryName, unhandledTypeReason } from './tar-entry-checks.js';
import { normalizeEntryPath } from './tar-entry-path.js';

const MAX_LINK_HOPS = 16;

export class StagedArchive {
  private readonly files = new Map<string, string>();
  private readonly links = new Map<string, string>();

  private constructor(
    readonly dir: string,
    readonly label: string,
  ) {}

  /** reads the whole tarball into dir (which must be private to this load) */
  static async stage(tarball: Readable, dir: string, label = 'image tarball'): Promise<StagedArchive> {
    const staged = new StagedArchive(dir, label);
    // the request body waits here (a lock, a mkdir) before anything reads it: its errors must have a listener
    let bodyError: Error | undefined;
    tarball.on('error', (err) => (bodyError ??= err));
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    let count = 0;
    try {
      const { compression, stream } = await sniffCompression(tarball);
      const plain = decompress(stream, compression, label);
      await pipeline(plain, tarEntryConsumer((header, entry) => staged.add(header, entry, count++)));
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw invalidArgument(`${label} is not a valid tar archive: ${(bodyError ?? (err as Error)).message}`, {
        suggestions: ['docker load wants a tarball made by docker save, skopeo copy (docker-archive: or oci-archive:) or boxlab image bake'],
        cause: err,
      });
    }
    if (count === 0) throw invalidArgument(`${label} is empty`, { suggestions: ['pass a tarball made by docker save'] });
    return staged;
  }

  private async add(header: tar.Header, stream: TarEntryStream, n: number): Promise<void> {
    const type: unknown = header.type;
    if (!isHandledEntryType(type)) throw invalidArgument(`${this.label}: entry "${shortEntryName(header.name)}" ${unhandledTypeReason(type)}; refusing to load it`);
    const norm = normalizeEntryPath(header.name);
    if (!norm.ok) throw invalidArgument(`${this.label}: entry "${shortEntryName(header.name)}" ${norm.reason}; refusing to load it`);
    const name = norm.path;
    if (type === 'file' || type === 'contiguous-file') {
      const file = path.join(this.dir, String(n));
      const handle = await fs.open(file, 'wx', 0o600);
      try {
        for await (const chunk of stream) await handle.write(chunk as Buffer);
      } finally {
        await handle.close();
      }
      this.files.set(name, file);
      this.links.delete(name);
      return;
    }
    await drainEntry(stream);
    if (type === 'symlink') {
      const target = header.linkname.startsWith('/') ? header.linkname : path.posix.join(path.posix.dirname(name), header.linkname);
      const t = normalizeEntryPath(target, true);
      if (!t.ok) throw invalidArgument(`${this.label}: symlink "${header.name}" points outside the archive ("${header.linkname}")`);
      this.links.set(name, t.path);
    } else if (type === 'link') {
      const t = normalizeEntryPath(header.linkname, true);
      if (!t.ok) throw invalidArgument(`${this.label}: hard link "${header.name}" points outside the archive ("${header.linkname}")`);
      this.links.set(name, t.path);
    } else if (type !== 'directory') {
      throw invalidArgument(`${this.label}: entry "${shortEntryName(header.name)}" is a ${type}, which has no place in an image tarball`);
    }
  }

  /** the entry names that hold data (after following links) */
  names(): string[] {
    return [...new Set([...this.files.keys(), ...this.links.keys()])].filter((n) => this.resolve(n) !== undefined).sort();
  }

  has(name: string): boolean {
    return this.resolve(name) !== undefined;
  }

  /** the staged file of an entry; INVALID_ARGUMENT naming the entry when the tarball lacks it */
  file(name: string, what = 'file'): string {
    const file = this.resolve(name);
    if (file === undefined) {
      throw invalidArgument(`${this.label} is incomplete: the ${what} "${name}" is missing from the archive`, {
        suggestions: ['the tarball is truncated or was not made by docker save / skopeo: export it again'],
      });
    }
    return file;
  }

  async readJson<T>(name: string, what = 'file'): Promise<T> {
    const text = await fs.readFile(this.file(name, what), 'utf8');
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw invalidArgument(`${this.label}: the ${what} "${name}" is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  }

  async readBytes(name: string, what = 'file'): Promise<Buffer> {
    return fs.readFile(this.file(name, what));
  }

  private resolve(name: string): string | undefined {
    const norm = normalizeEntryPath(name, true);
    if (!norm.ok) return undefined;
    let current = norm.path;
    for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
      const file = this.files.get(current);
      if (file !== undefined) return file;
      const next = this.links.get(current);
      if (next === undefined) return undefined;
      current = next;
    }
    return undefined;
  }

  async dispose(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
