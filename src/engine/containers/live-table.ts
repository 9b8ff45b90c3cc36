// Stage 0 of the lifecycle: the live table. One Live per container: its record (container.json, the
// engine's memory across restarts) plus what only exists while boxlabd runs: the shim's handle, the log
// writer, the restart timer, stdin written before the process started. Writes of a record are chained
// (the file always ends with the newest), and user operations on one container take its lock in turn.
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import { readJsonIfExists, writeJsonAtomic } from '../../core/atomic-file.js';
import { containerPaths, type ContainerPaths } from './container-files.js';
import { ContainerOutput } from './container-output.js';
import type { ContainerProcess } from './container-process.js';
import type { ContainerRecord } from './container-record.js';
import type { ContainerStatus } from './container-state.js';
import { logPolicyOf } from './log-config.js';
import { resolveRef } from './resolve-ref.js';

/** the engine's live view of one container: its record plus what only exists while boxlabd runs */
export interface Live {
  record: ContainerRecord;
  files: ContainerPaths;
  output: ContainerOutput;
  /** 'state' (status), 'exit' (each exit), 'stopped' (no restart follows), 'removed': for wait, attach, logs */
  events: EventEmitter;
  proc?: ContainerProcess;
  /** resolves when the current run's exit has been handled (state saved, cleanup done) */
  exitDone?: Promise<void>;
  saving: Promise<void>;
  lock: Promise<void>;
  restartTimer?: NodeJS.Timeout;
  lastDelayMs: number;
  /** stdin written by an attach before the process started (docker run -i attaches first) */
  pendingStdin: Buffer[];
  /** the attach's stdin ended before the process started */
  pendingStdinEnd: boolean;
  size: { cols: number; rows: number };
}

export class LiveTable {
  private readonly live = new Map<string, Live>();
  private loaded = false;

  constructor(private readonly containersDir: string) {}

  files(id: string): ContainerPaths {
    return containerPaths(this.containersDir, id);
  }

  track(record: ContainerRecord): Live {
    const files = this.files(record.Id);
    const live: Live = {
      record,
      files,
      output: new ContainerOutput(files.log, logPolicyOf(record.HostConfig)),
      events: new EventEmitter().setMaxListeners(0),
      saving: Promise.resolve(),
      lock: Promise.resolve(),
      lastDelayMs: 0,
      pendingStdin: [],
      pendingStdinEnd: false,
      size: { cols: 80, rows: 24 },
    };
    this.live.set(record.Id, live);
    return live;
  }

  /** writes are chained so that the file always ends with the newest record; a removed one is not written */
  save(live: Live): Promise<void> {
    live.saving = live.saving.then(() => (this.live.get(live.record.Id) === live ? writeJsonAtomic(live.files.record, live.record) : undefined)).catch(() => undefined);
    return live.saving;
  }

  setStatus(live: Live, status: ContainerStatus): void {
    live.record.State.Status = status;
    live.events.emit('state', status);
  }

  /** one user operation at a time per container; exit handling runs beside them */
  async withLock<T>(live: Live, fn: () => Promise<T>): Promise<T> {
    const prev = live.lock;
    let release!: () => void;
    live.lock = new Promise<void>((r) => (release = r));
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** reads every container.json once (recover() marks the table loaded itself) */
  async ensureLoaded(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    let ids: string[] = [];
    try {
      ids = await fs.readdir(this.containersDir);
    } catch {
      return;
    }
    for (const id of ids) {
      const record = await readRecord(this.files(id).record);
      if (record && !this.live.has(id)) this.track(record);
    }
  }

  markLoaded(): void {
    this.loaded = true;
  }

  /** by name, id or id prefix; NOT_FOUND `No such container: <ref>` */
  async get(ref: string): Promise<Live> {
    await this.ensureLoaded();
    const id = resolveRef(ref, this.records());
    return this.live.get(id) as Live;
  }

  byId(id: string): Live | undefined {
    return this.live.get(id);
  }

  has(id: string): boolean {
    return this.live.has(id);
  }

  delete(id: string): void {
    this.live.delete(id);
  }

  ids(): string[] {
    return [...this.live.keys()];
  }

  all(): Live[] {
    return [...this.live.values()];
  }

  records(): ContainerRecord[] {
    return this.all().map((l) => l.record);
  }
}

/** container.json, or undefined when there is none (a create that never finished) or it cannot be read */
export function readRecord(file: string): Promise<ContainerRecord | undefined> {
  return readJsonIfExists<ContainerRecord>(file).catch(() => undefined);
}
