// The "under the hood" feed: the engine's live trace stream (GET /boxlab/trace?follow=1 on its socket, one
// JSON event per line) fanned out to every open page, with the recent events kept so a page opened
// later still sees what just happened. Reconnects when the engine restarts. The engine is a socket on
// this host (the sandbox's, forwarded) or a stream opened on demand (a lab node's boxlabd, through its
// VM's ssh connection).
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { TraceEvent } from '../../engine/trace/trace-event.js';
import { lessonFor, type Lesson } from './trace-lessons.js';

export interface FeedEvent extends TraceEvent {
  lesson?: Lesson;
}

/** splits a byte stream into complete lines; keeps the unfinished tail for the next chunk. Pure. */
export class LineSplitter {
  private tail = '';
  push(chunk: string): string[] {
    const parts = (this.tail + chunk).split('\n');
    this.tail = parts.pop() ?? '';
    return parts.filter((l) => l.trim() !== '');
  }
}

export function parseTraceLine(line: string): FeedEvent | undefined {
  try {
    const e = JSON.parse(line) as TraceEvent;
    if (typeof e.step !== 'string' || typeof e.objectId !== 'string') return undefined;
    const lesson = lessonFor(e.step);
    return lesson ? { ...e, lesson } : e;
  } catch {
    return undefined;
  }
}

/** what the page's trace endpoints read: the recent events, then each new one */
export interface TraceSource {
  history(): FeedEvent[];
  subscribe(listener: (e: FeedEvent) => void): () => void;
}

/** a connection to the engine's API: a unix socket's path, or a function that opens one */
export type EngineConnection = string | (() => Promise<Duplex>);

export class TraceFeed implements TraceSource {
  private readonly recent: FeedEvent[] = [];
  private readonly listeners = new Set<(e: FeedEvent) => void>();
  private req?: http.ClientRequest;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly engine: EngineConnection, private readonly keep = 300, private readonly retryMs = 1000) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.req?.destroy();
  }

  history(): FeedEvent[] {
    return [...this.recent];
  }

  subscribe(listener: (e: FeedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** also used by tests and by an engine in the same process */
  publish(e: FeedEvent): void {
    this.recent.push(e);
    if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
    for (const l of this.listeners) l(e);
  }

  private connect(): void {
    if (this.stopped) return;
    const again = () => {
      if (this.stopped || this.timer) return;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.connect();
      }, this.retryMs);
      this.timer.unref();
    };
    const open = this.engine;
    const where: http.RequestOptions =
      typeof open === 'string'
        ? { socketPath: open }
        : { createConnection: (_options, done) => void open().then((s) => done(null, s), (err: Error) => done(err, undefined as unknown as Duplex)) };
    const req = http.get({ ...where, path: '/v1.41/boxlab/trace?follow=1' }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        again();
        return;
      }
      const lines = new LineSplitter();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const line of lines.push(chunk)) {
          const e = parseTraceLine(line);
          if (e) this.publish(e);
        }
      });
      res.on('end', again);
      res.on('error', again);
    });
    req.on('error', again);
    this.req = req;
  }
}
