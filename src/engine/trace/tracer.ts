// The tracer appends each event to the object's trace file (one JSON object per line) and tells live
// listeners (the API's trace stream, the web page) about it.
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TraceEvent, TraceStep } from './trace-event.js';
import { traceText } from './trace-messages.js';

export interface Tracer {
  emit(objectId: string, step: TraceStep, details?: Record<string, unknown>): void;
  /** the object is gone (a removed container): delete its trace file; later events go to live listeners only */
  forget?(objectId: string): Promise<void>;
}

export class FileTracer implements Tracer {
  private readonly live = new EventEmitter();
  private pending: Promise<void> = Promise.resolve();
  private readonly forgotten = new Set<string>();

  /** fileFor maps an object id to its trace file, e.g. containers/<id>/trace.jsonl */
  constructor(private readonly fileFor: (objectId: string) => string) {
    this.live.setMaxListeners(0);
  }

  emit(objectId: string, step: TraceStep, details: Record<string, unknown> = {}): void {
    const event: TraceEvent = { time: new Date().toISOString(), objectId, step, details, text: traceText(step, details) };
    this.live.emit('event', event);
    if (this.forgotten.has(objectId)) return;
    const file = this.fileFor(objectId);
    // appends are chained so events stay in order without making every engine step wait for the disk
    this.pending = this.pending
      .then(() => fs.mkdir(path.dirname(file), { recursive: true }))
      .then(() => fs.appendFile(file, JSON.stringify(event) + '\n'))
      .catch(() => undefined);
  }

  async forget(objectId: string): Promise<void> {
    this.forgotten.add(objectId);
    await this.flush();
    await fs.rm(this.fileFor(objectId), { force: true });
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
      text = await fs.readFile(this.fileFor(objectId), 'utf8');
    } catch {
      return [];
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
