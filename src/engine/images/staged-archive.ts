// The outer image tarball (`docker load` input) staged on disk. Its regular files are copied to numbered
// files in a private folder and looked up by name through a map, so no entry name is ever used as a path:
// a tarball cannot write outside the store whatever its names say. Symlinks and hard links between entries
// (older `docker save` links duplicate layers) are resolved inside the map.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { AppError, invalidArgument } from '../../core/errors.js';
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
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const extract = tar.extract();
    let count = 0;
    const done = new Promise<void>((resolve, reject) => {
      extract.on('entry', (header, stream, next) => {
        staged.add(header, stream, count++).then(() => next(), (err: unknown) => {
          stream.resume();
          next(err as Error);
        });
      });
      extract.on('finish', resolve);
      extract.on('error', reject);
    });
    tarball.on('error', (err) => extract.destroy(err));
    tarball.pipe(extract as unknown as NodeJS.WritableStream);
    try {
      await done;
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw invalidArgument(`${label} is not a valid tar archive: ${(err as Error).message}`, {
        suggestions: ['docker load wants a tarball made by docker save, skopeo copy (docker-archive: or oci-archive:) or boxlab image bake'],
        cause: err,
      });
    }
    if (count === 0) throw invalidArgument(`${label} is empty`, { suggestions: ['pass a tarball made by docker save'] });
    return staged;
  }

  private async add(header: tar.Header, stream: tar.ExtractEvents['entry'][1], n: number): Promise<void> {
    const norm = normalizeEntryPath(header.name);
    if (!norm.ok) throw invalidArgument(`${this.label}: entry "${header.name}" ${norm.reason}; refusing to load it`);
    const name = norm.path;
    if (header.type === 'file' || header.type === 'contiguous-file') {
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
    for await (const _chunk of stream) {
      /* directories and links carry no data */
    }
    if (header.type === 'symlink') {
      const target = header.linkname.startsWith('/') ? header.linkname : path.posix.join(path.posix.dirname(name), header.linkname);
      const t = normalizeEntryPath(target, true);
      if (!t.ok) throw invalidArgument(`${this.label}: symlink "${header.name}" points outside the archive ("${header.linkname}")`);
      this.links.set(name, t.path);
    } else if (header.type === 'link') {
      const t = normalizeEntryPath(header.linkname, true);
      if (!t.ok) throw invalidArgument(`${this.label}: hard link "${header.name}" points outside the archive ("${header.linkname}")`);
      this.links.set(name, t.path);
    } else if (header.type !== 'directory') {
      throw invalidArgument(`${this.label}: entry "${header.name}" is a ${header.type}, which has no place in an image tarball`);
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
