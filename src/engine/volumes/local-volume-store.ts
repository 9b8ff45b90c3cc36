// Named volumes with Docker's "local" driver: a folder the engine owns, volumes/<name>/_data, that
// containers bind-mount and that outlives them. The record is volumes/<name>/volume.json, written
// atomically, so a crash leaves either a whole volume or none. A volume created with the local driver's
// options (local-driver-options.ts: tmpfs, a bind of a host folder) is mounted on _data when a container
// starts with it and unmounted, as dockerd does, when the last container using it stops (the container
// service counts the users: a tmpfs volume is empty again at the next start) or when it is removed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../../core/atomic-file.js';
import { AppError, failedPrecondition, messageOf, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Mounter } from '../snapshots/mounter.js';
import type { Tracer } from '../trace/tracer.js';
import { checkLocalDriverOptions, localDriverMount } from './local-driver-options.js';
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
    /** mounts the volumes created with options (without one, options are refused) */
    private readonly mounter?: Mounter,
  ) {}

  /** where a volume's data lives (whether or not it exists) */
  dataDir(name: string): string {
    return path.join(this.root, name, '_data');
  }

  private recordFile(name: string): string {
    return path.join(this.root, name, 'volume.json');
  }

  /** creating a volume that exists returns it unchanged, as Docker does */
  async create(name: string | undefined, labels: Record<string, string> = {}, driverOpts: Record<string, string> = {}): Promise<VolumeRecord> {
    const volumeName = name ?? newId(); // anonymous volumes get a 64-hex name
    validateVolumeName(volumeName);
    const options = checkLocalDriverOptions(volumeName, driverOpts);
    if (Object.keys(options).length > 0 && !this.mounter) throw failedPrecondition(`create ${volumeName}: this engine cannot mount volumes with options`);
    const existing = await readJsonIfExists<VolumeRecord>(this.recordFile(volumeName));
    if (existing) return existing;
    const record: VolumeRecord = {
      Name: volumeName,
      Driver: 'local',
      Mountpoint: this.dataDir(volumeName),
      CreatedAt: rfc3339(new Date()),
      Labels: { ...labels },
      Scope: 'local',
      Options: options,
    };
    // _data first, record last: a volume.json always has its folder
    await fs.mkdir(record.Mountpoint, { recursive: true, mode: 0o755 });
    await writeJsonAtomic(this.recordFile(volumeName), record);
    this.tracer?.emit(volumeTraceId(volumeName), 'volume.create', { name: volumeName, path: record.Mountpoint, anonymous: name === undefined });
    return record;
  }

  /**
   * Before a container starts with the volume: a volume with options gets its mount on _data (once while
   * containers use it; deactivate takes it off). dockerd's words when the mount fails.
   */
  async activate(name: string): Promise<void> {
    const record = await this.get(name);
    const mount = localDriverMount(record.Options ?? {}, record.Mountpoint);
    if (!mount || !this.mounter || (await this.mounter.isMounted(record.Mountpoint))) return;
    try {
      await this.mounter.mount([mount], volumeTraceId(name));
    } catch (err) {
      throw new AppError('INVALID_ARGUMENT', `error while mounting volume '${record.Mountpoint}': failed to mount local volume: mount ${mount.source}:${mount.target}: ${messageOf(err)}`, {
        cause: err,
        suggestions: [`check the volume's options: docker volume inspect ${name}`, 'for a bind, the device must be an existing absolute host folder'],
      });
    }
    this.tracer?.emit(volumeTraceId(name), 'volume.mount', { name, type: mount.type, device: mount.source, options: mount.options, path: record.Mountpoint });
  }

  /** no running container uses the volume any more: its own mount comes off _data (nothing for a plain volume) */
  async deactivate(name: string): Promise<void> {
    const record = await this.get(name).catch(() => undefined);
    if (!record || !this.mounter || !localDriverMount(record.Options ?? {}, record.Mountpoint)) return;
    if (await this.mounter.isMounted(record.Mountpoint)) await this.mounter.unmount(record.Mountpoint, volumeTraceId(name));
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
    // a volume's own mount (tmpfs, a bind of a host folder) comes off first: removing _data must never
    // reach into the bound host folder (unmount throws if it cannot, and nothing is removed)
    await this.mounter?.unmount(this.dataDir(name), volumeTraceId(name));
    if (this.mounter && (await this.mounter.isMounted(this.dataDir(name)))) throw failedPrecondition(`remove ${name}: its mount on ${this.dataDir(name)} is still there`);
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
