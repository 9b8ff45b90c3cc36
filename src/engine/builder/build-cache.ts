// The build cache, keyed as Docker's classic builder keys it: the parent image id plus the instruction's
// text (for RUN the command and the build args it sees; for COPY/ADD a checksum of the copied files).
// A step whose key is known, and whose image still exists, is not run again ("---> Using cache"); the
// first miss runs that step and every later one, since their parents change.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../../core/atomic-file.js';

export function cacheKey(parentId: string, text: string): string {
  return createHash('sha256').update(parentId).update('\0').update(text).digest('hex');
}

export class BuildCache {
  private entries?: Record<string, string>;
  private pending: Promise<void> = Promise.resolve();

  /** dir: the engine's build folder; the cache is build/cache.json */
  constructor(private readonly dir: string) {}

  private get file(): string {
    return path.join(this.dir, 'cache.json');
  }

  private async load(): Promise<Record<string, string>> {
    this.entries ??= (await readJsonIfExists<Record<string, string>>(this.file)) ?? {};
    return this.entries;
  }

  async get(parentId: string, text: string): Promise<string | undefined> {
    return (await this.load())[cacheKey(parentId, text)];
  }

  /** the image ids the cache names */
  async imageIds(): Promise<string[]> {
    return [...new Set(Object.values(await this.load()))];
  }

  /** forgets every entry (removes cache.json): the next build runs every step */
  async clear(): Promise<void> {
    await this.pending;
    this.entries = {};
    await fs.rm(this.file, { force: true });
  }

  async put(parentId: string, text: string, imageId: string): Promise<void> {
    const entries = await this.load();
    entries[cacheKey(parentId, text)] = imageId;
    this.pending = this.pending.then(() => writeJsonAtomic(this.file, entries));
    await this.pending;
  }
}
