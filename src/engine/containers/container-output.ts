// A container's output, as Docker's json-file log driver keeps it: bytes from the stdout/stderr fifos
// (or the pty) are cut into lines, appended to <id>-json.log, and handed as they come to attached
// sessions ('chunk') and to `docker logs -f` readers ('entry', once the line is in the file).
import { EventEmitter } from 'node:events';
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { LogEntry, OutputChunk, StdStream } from './container-service.js';
import { formatLogRecord, LineSplitter } from './json-log.js';

export interface EntryEvent {
  entry: LogEntry;
  /** file size after this record: a reader that has read up to here has already seen it */
  endOffset: number;
}

export class ContainerOutput extends EventEmitter {
  private file?: WriteStream;
  private bytes = 0;
  private readonly splitters: Record<StdStream, LineSplitter> = { stdout: new LineSplitter(), stderr: new LineSplitter() };

  constructor(private readonly logPath: string) {
    super();
    this.setMaxListeners(0);
  }

  async open(): Promise<void> {
    this.bytes = await fs.stat(this.logPath).then((s) => s.size, () => 0);
    this.file = createWriteStream(this.logPath, { flags: 'a' });
    this.file.on('error', () => undefined); // a full disk must not take the engine down
  }

  /** reads a stream until it ends; resolves then */
  pump(stream: StdStream, source: Readable): Promise<void> {
    return new Promise((resolve) => {
      source.on('data', (data: Buffer) => this.write(stream, data));
      const done = () => {
        this.flushPartial(stream);
        resolve();
      };
      source.once('end', done);
      source.once('error', done);
      source.once('close', done);
    });
  }

  write(stream: StdStream, data: Buffer): void {
    const chunk: OutputChunk = { stream, data };
    this.emit('chunk', chunk);
    for (const line of this.splitters[stream].push(data)) this.append(stream, line);
  }

  flushPartial(stream: StdStream): void {
    const rest = this.splitters[stream].flush();
    if (rest !== undefined) this.append(stream, rest);
  }

  private append(stream: StdStream, log: string): void {
    const entry: LogEntry = { stream, log, time: new Date().toISOString() };
    const record = formatLogRecord(stream, log, entry.time);
    this.bytes += Buffer.byteLength(record);
    const event: EntryEvent = { entry, endOffset: this.bytes };
    if (!this.file) return;
    this.file.write(record, () => this.emit('entry', event));
  }

  /** resolves when every record written so far is in the file */
  async close(): Promise<void> {
    this.flushPartial('stdout');
    this.flushPartial('stderr');
    const file = this.file;
    this.file = undefined;
    if (file) await new Promise<void>((resolve) => file.end(() => resolve()));
  }
}
