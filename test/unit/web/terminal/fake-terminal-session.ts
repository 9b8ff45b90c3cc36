// A TerminalSession double: an "echo" shell that writes back what it is sent, reports pause/resume, and can
// flood its output like `yes` does, stopping while paused as a real pty's reader would.
import { EventEmitter } from 'node:events';
import type { Disposable, TerminalExit, TerminalOptions, TerminalSession } from '../../../../src/web/terminal/terminal-session.js';

let nextPid = 1000;

export class FakeTerminalSession implements TerminalSession {
  readonly pid = nextPid++;
  readonly written: string[] = [];
  readonly sizes: Array<[number, number]> = [];
  paused = false;
  pauses = 0;
  closed = false;
  produced = 0;
  private readonly events = new EventEmitter();
  private flooding = false;

  constructor(readonly options: TerminalOptions) {}

  write(data: string): void {
    this.written.push(data);
    this.emitData(data);
  }

  resize(cols: number, rows: number): void {
    this.sizes.push([cols, rows]);
  }

  onData(listener: (data: string) => void): Disposable {
    this.events.on('data', listener);
    return { dispose: () => this.events.off('data', listener) };
  }

  onExit(listener: (exit: TerminalExit) => void): Disposable {
    this.events.on('exit', listener);
    return { dispose: () => this.events.off('exit', listener) };
  }

  pause(): void {
    this.paused = true;
    this.pauses++;
  }

  resume(): void {
    this.paused = false;
    if (this.flooding) setImmediate(() => this.pump());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flooding = false;
    this.events.emit('exit', { code: 0, signal: 1 });
  }

  emitData(data: string): void {
    this.produced += data.length;
    this.events.emit('data', data);
  }

  exit(code: number): void {
    this.flooding = false;
    this.closed = true;
    this.events.emit('exit', { code });
  }

  /** `yes`: 4 KiB chunks for as long as nobody pauses it */
  startFlood(): void {
    this.flooding = true;
    this.pump();
  }

  stopFlood(): void {
    this.flooding = false;
  }

  private pump(): void {
    if (!this.flooding || this.paused || this.closed) return;
    this.emitData('y\r\n'.repeat(1365));
    setImmediate(() => this.pump());
  }
}

export function fakeFactory(made: FakeTerminalSession[] = []) {
  return async (options: TerminalOptions) => {
    const s = new FakeTerminalSession(options);
    made.push(s);
    return s;
  };
}
