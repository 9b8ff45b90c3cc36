// The story of removed containers, kept for a while. `docker rm` (so every `docker run --rm`) deletes the
// container's folder and with it its trace; a student who ran `docker run --rm busybox echo hi` then asks
// `boxlab explain` (or looks at the "under the hood" panel after a reload) and the story should still be
// there, marked removed. So the trace file moves to <root>/traces/removed/<id>.jsonl at removal, with the
// container's name in index.json, and is kept for the last KEEP_COUNT removed containers and at most
// KEEP_MS (docs/internals.md). Docker keeps nothing of a removed container: this is boxlab's own.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface RemovedEntry {
  id: string;
  /** the container's name, without Docker's leading slash */
  name: string;
  /** ISO 8601 */
  removedAt: string;
}

export const KEEP_COUNT = 20;
export const KEEP_MS = 60 * 60_000;

/** which entries stay: the newest `count`, none older than `maxAgeMs`. Pure. */
export function entriesToKeep(entries: readonly RemovedEntry[], now: number, count = KEEP_COUNT, maxAgeMs = KEEP_MS): RemovedEntry[] {
  return [...entries]
    .sort((a, b) => Date.parse(b.removedAt) - Date.parse(a.removedAt))
    .filter((e) => now - Date.parse(e.removedAt) <= maxAgeMs)
    .slice(0, count);
}

/** a removed container by name, full id or id prefix (as Docker resolves a live one); the newest wins. Pure. */
export function findRemoved(entries: readonly RemovedEntry[], ref: string): RemovedEntry | undefined {
  const newest = [...entries].sort((a, b) => Date.parse(b.removedAt) - Date.parse(a.removedAt));
  const name = ref.replace(/^\//, '');
  return newest.find((e) => e.id === ref) ?? newest.find((e) => e.name === name) ?? (/^[0-9a-f]{3,}$/.test(ref) ? newest.find((e) => e.id.startsWith(ref)) : undefined);
}

export class RemovedTraces {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly now: () => number = Date.now,
    private readonly keepCount = KEEP_COUNT,
    private readonly keepMs = KEEP_MS,
  ) {}

  fileOf(id: string): string {
    return path.join(this.dir, `${id}.jsonl`);
  }

  /** moves a removed container's trace file here and notes its name; the oldest beyond the bounds go */
  keep(id: string, name: string, traceFile: string): Promise<void> {
    return this.serial(async () => {
      await fs.mkdir(this.dir, { recursive: true });
      const moved = await fs.rename(traceFile, this.fileOf(id)).then(
        () => true,
        () => false,
      );
      const entries = (await this.readIndex()).filter((e) => e.id !== id);
      if (moved) entries.push({ id, name, removedAt: new Date(this.now()).toISOString() });
      await this.prune(entries, true);
    });
  }

  /** the kept entries, newest first (old ones pruned on the way) */
  list(): Promise<RemovedEntry[]> {
    return this.serial(async () => this.prune(await this.readIndex()));
  }

  async find(ref: string): Promise<RemovedEntry | undefined> {
    return findRemoved(await this.list(), ref);
  }

  /** drops what is beyond the bounds (files and index lines); writes the index when it changed or `changed` says so */
  private async prune(entries: RemovedEntry[], changed = false): Promise<RemovedEntry[]> {
    const kept = entriesToKeep(entries, this.now(), this.keepCount, this.keepMs);
    const keptIds = new Set(kept.map((e) => e.id));
    for (const e of entries) if (!keptIds.has(e.id)) await fs.rm(this.fileOf(e.id), { force: true });
    if (changed || kept.length !== entries.length) await this.writeIndex(kept);
    return kept;
  }

  private async readIndex(): Promise<RemovedEntry[]> {
    try {
      const parsed = JSON.parse(await fs.readFile(path.join(this.dir, 'index.json'), 'utf8')) as unknown;
      return Array.isArray(parsed) ? parsed.filter((e): e is RemovedEntry => typeof e?.id === 'string' && typeof e?.name === 'string' && typeof e?.removedAt === 'string') : [];
    } catch {
      return [];
    }
  }

  private async writeIndex(entries: RemovedEntry[]): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, 'index.json');
    await fs.writeFile(`${file}.tmp`, JSON.stringify(entries, null, 1));
    await fs.rename(`${file}.tmp`, file);
  }

  /** one change of the index at a time */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
