// Named volumes with Docker's "local" driver: a folder the engine owns, volumes/<name>/_data, that
// containers bind-mount and that outlives them. The record is volumes/<name>/volume.json, written
// atomically, so a crash leaves either a whole volume or none.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../../core/atomic-file.js';
import { failedPrecondition, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Tracer } from '../trace/tracer.js';
import { validateVolumeName } from './volume-name.js';
import type { VolumeRecord, VolumeStore } from './volume-store.js';

export interface RemoveVolumeOptions {
  force?: boolean;
  isInUse: (name: string) => boolean;
  /** the ids of the containers using it, for Docker's error message */
  usedBy?: (name: string) => string[];
}

/** Docker prints CreatedAt as RFC 3339 with seconds */
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class LocalVolumeStore implements VolumeStore {
  /** root: the engine's volumes folder (EnginePaths.volumes) */
  constructor(
    private readonly root: string,
    private readonly tracer?: Tracer,
  ) {}

  /** where a volume's data lives (whether or not it exists) */
  dataDir(name: string): string {
    return path.join(this.root, name, '_data');
  }

  private recordFile(name: string): string {
    return path.join(this.root, name, 'volume.json');
  }

  /** creating a volume that exists returns it unchanged, as Docker does */
  async create(name: string | undefined, labels: Record<string, string> = {}): Promise<VolumeRecord> {
    const volumeName = name ?? newId(); // anonymous volumes get a 64-hex name
    validateVolumeName(volumeName);
    const existing = await readJsonIfExists<VolumeRecord>(this.recordFile(volumeName));
    if (existing) return existing;
    const record: VolumeRecord = {
      Name: volumeName,
      Driver: 'local',
      Mountpoint: this.dataDir(volumeName),
      CreatedAt: rfc3339(new Date()),
      Labels: { ...labels },
      Scope: 'local',
      Options: {},
    };
    // _data first, record last: a volume.json always has its folder
    await fs.mkdir(record.Mountpoint, { recursive: true, mode: 0o755 });
    await writeJsonAtomic(this.recordFile(volumeName), record);
    this.tracer?.emit(volumeTraceId(volumeName), 'volume.create', { name: volumeName, path: record.Mountpoint, anonymous: name === undefined });
    return record;
  }

  async get(name: string): Promise<VolumeRecord> {
    const record = /^[^/]+$/.test(name) && name !== '.' && name !== '..' ? await readJsonIfExists<VolumeRecord>(this.recordFile(name)) : undefined;
    if (!record) throw notFound(`get ${name}: no such volume`, { suggestions: ['list volumes with `docker volume ls`'] });
    return record;
  }

  async list(): Promise<VolumeRecord[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.root);
    } catch {
      return [];
    }
    const records = await Promise.all(names.map((n) => readJsonIfExists<VolumeRecord>(this.recordFile(n)).catch(() => undefined)));
    return records.filter((r): r is VolumeRecord => r !== undefined).sort((a, b) => a.Name.localeCompare(b.Name));
  }

  /**
   * Removes a volume and its data. In use: FAILED_PRECONDITION unless force (the contract; note that
   * dockerd refuses in-use volumes even with -f). A missing volume is NOT_FOUND unless force.
   */
  async remove(name: string, options: RemoveVolumeOptions): Promise<void> {
    try {
      await this.get(name);
    } catch (err) {
      if (options.force) return;
      throw err;
    }
    if (options.isInUse(name) && !options.force) {
      const ids = options.usedBy?.(name) ?? [];
      throw failedPrecondition(`remove ${name}: volume is in use - [${ids.join(', ')}]`, {
        suggestions: ['remove the containers that use it first (docker rm)'],
      });
    }
    // the record goes first, so a crash mid-way leaves an orphan folder, never a record without data
    await fs.rm(this.recordFile(name), { force: true });
    await this.tracer?.forget?.(volumeTraceId(name));
    await fs.rm(path.join(this.root, name), { recursive: true, force: true });
  }

  /** bytes of the files in the volume (hard links counted once), like `docker system df -v` */
  async usage(name: string): Promise<number> {
    const record = await this.get(name);
    return treeSize(record.Mountpoint);
  }
}

/** sum of file sizes under dir, not following symlinks, each inode once */
export async function treeSize(dir: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const walk = async (p: string): Promise<void> => {
    let st;
    try {
      st = await fs.lstat(p);
    } catch {
      return; // removed while walking
    }
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (st.isDirectory()) {
      const entries = await fs.readdir(p).catch(() => [] as string[]);
      for (const e of entries) await walk(path.join(p, e));
    } else {
      total += st.size;
    }
  };
  await walk(dir);
  return total;
}

/** a volume's trace object id: anonymous volume names look like container ids, so they get a prefix */
export function volumeTraceId(name: string): string {
  return `volume:${name}`;
}
