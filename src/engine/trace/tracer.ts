// The tracer appends each event to the object's trace file (one JSON object per line) and tells live
// listeners (the API's trace stream, the web page) about it. A removed container's trace is kept for a
// while (removed-traces.ts), so `boxlab explain` still tells its story after `docker rm` or `run --rm`.
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TraceEvent, TraceStep } from './trace-event.js';
import { traceText } from './trace-messages.js';
import type { RemovedEntry, RemovedTraces } from './removed-traces.js';

export interface Tracer {
  emit(objectId: string, step: TraceStep, details?: Record<string, unknown>): void;
  /**
   * the object is gone: its trace file is deleted and later events go to live listeners only; with
   * `keep` (a removed container) the trace is kept for a while under that name instead, later events too
   */
  forget?(objectId: string, keep?: { name: string }): Promise<void>;
}

export class FileTracer implements Tracer {
  private readonly live = new EventEmitter();
  private pending: Promise<void> = Promise.resolve();
  private readonly forgotten = new Set<string>();
  /** removed containers whose trace was kept: their events now go to the kept file */
  private readonly kept = new Map<string, string>();

  /** fileFor maps an object id to its trace file, e.g. containers/<id>/trace.jsonl */
  constructor(
    private readonly fileFor: (objectId: string) => string,
    private readonly removed?: RemovedTraces,
  ) {
    this.live.setMaxListeners(0);
  }

  emit(objectId: string, step: TraceStep, details: Record<string, unknown> = {}): void {
    const event: TraceEvent = { time: new Date().toISOString(), objectId, step, details, text: traceText(step, details) };
    this.live.emit('event', event);
    if (this.forgotten.has(objectId)) return;
    const file = this.kept.get(objectId) ?? this.fileFor(objectId);
    // appends are chained so events stay in order without making every engine step wait for the disk
    this.pending = this.pending
      .then(() => fs.mkdir(path.dirname(file), { recursive: true }))
      .then(() => fs.appendFile(file, JSON.stringify(event) + '\n'))
      .catch(() => undefined);
  }

  async forget(objectId: string, keep?: { name: string }): Promise<void> {
    if (keep && this.removed) {
      await this.flush();
      this.kept.set(objectId, this.removed.fileOf(objectId));
      await this.removed.keep(objectId, keep.name, this.fileFor(objectId));
      return;
    }
    this.forgotten.add(objectId);
    await this.flush();
    await fs.rm(this.fileFor(objectId), { force: true });
  }

  /** a removed container whose story is still kept, by name, id or id prefix */
  async findRemoved(ref: string): Promise<RemovedEntry | undefined> {
    return this.removed?.find(ref);
  }

  /** resolves when every event emitted so far is on disk */
  flush(): Promise<void> {
    return this.pending;
  }

  subscribe(listener: (event: TraceEvent) => void): () => void {
    this.live.on('event', listener);
    return () => this.live.off('event', listener);
  }

  async read(objectId: string): Promise<TraceEvent[]> {
    await this.flush();
    let text: string;
    try {
      text = await fs.readFile(this.kept.get(objectId) ?? this.fileFor(objectId), 'utf8');
    } catch {
      // a container removed before this engine started: its kept story, if any
      text = this.removed ? await fs.readFile(this.removed.fileOf(objectId), 'utf8').catch(() => '') : '';
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as TraceEvent];
        } catch {
          return []; // a line cut by a crash
        }
      });
  }
}

/** A tracer that keeps events in memory, for unit tests. */
export class MemoryTracer implements Tracer {
  readonly events: TraceEvent[] = [];
  emit(objectId: string, step: TraceStep, details: Record<string, unknown> = {}): void {
    this.events.push({ time: new Date().toISOString(), objectId, step, details, text: traceText(step, details) });
  }
}
