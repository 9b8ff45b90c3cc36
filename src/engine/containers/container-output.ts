// A container's output, as Docker's json-file log driver keeps it: bytes from the stdout/stderr fifos
// (or the pty) are cut into lines, appended to <id>-json.log, and handed as they come to attached
// sessions ('chunk') and to `docker logs -f` readers ('entry', once the line is in the file).
// The engine (not the shim, which only holds the fifos) writes the log, so it also rotates it: when the
// file has reached max-size, older files move one step (log-files.ts) and a new file begins.
// With --log-driver none nothing is written; attached sessions still get the output.
import { EventEmitter } from 'node:events';
import { close as closeFd, fstatSync, openSync, renameSync, rmSync, write } from 'node:fs';
import type { Readable } from 'node:stream';
import type { LogEntry, OutputChunk, StdStream } from './container-service.js';
import { formatLogRecord, LineSplitter } from './json-log.js';
import { DEFAULT_LOG_POLICY, type LogPolicy } from './log-config.js';
import { rotationRenames, shouldRotate } from './log-files.js';

export interface EntryEvent {
  entry: LogEntry;
  /** the file the record went to (its generation: each file this writer opens gets the next one), and
   * its size after the record: a reader that has read that file up to here has already seen it */
  gen: number;
  endOffset: number;
}

/** one step of the writer's queue: records for a file, or closing a file whose records are all in */
type WriteOp = { fd: number; record: Buffer; event: EntryEvent } | { closeFd: number };

export class ContainerOutput extends EventEmitter {
  /** the file being written (opened synchronously, so a rotation never renames a path not yet opened) */
  private fd?: number;
  private gen = 0;
  /** inode -> generation of the files opened by this writer (inodes are reused, generations never) */
  private readonly gens = new Map<number, number>();
  private bytes = 0;
  /** one queue for every file: records reach the files, and 'entry' events the readers, in output order */
  private readonly ops: WriteOp[] = [];
  private draining?: Promise<void>;
  private readonly splitters: Record<StdStream, LineSplitter> = { stdout: new LineSplitter(), stderr: new LineSplitter() };

  constructor(
    private readonly logPath: string,
    private readonly policy: LogPolicy = DEFAULT_LOG_POLICY,
  ) {
    super();
    this.setMaxListeners(0);
  }

  async open(): Promise<void> {
    if (this.policy.driver === 'none' || this.fd !== undefined) return;
    this.openFile();
  }

  private openFile(): void {
    try {
      const fd = openSync(this.logPath, 'a', 0o640);
      const st = fstatSync(fd);
      this.gens.set(st.ino, ++this.gen);
      this.bytes = st.size;
      this.fd = fd;
    } catch {
      this.fd = undefined; // no log (the folder is gone: the container is being removed)
    }
  }

  /** the current file is full: it becomes .1 (.1 becomes .2, ..., the oldest is dropped), a new one begins */
  private rotate(): void {
    // records still queued for the old file follow its fd into the renamed file; then it is closed
    if (this.fd !== undefined) this.enqueue({ closeFd: this.fd });
    this.fd = undefined;
    try {
      const renames = rotationRenames(this.logPath, this.policy.maxFile);
      if (renames.length === 0) rmSync(this.logPath, { force: true });
      for (const [from, to] of renames) {
        try {
          renameSync(from, to);
        } catch {
          // that older file does not exist yet
        }
      }
    } finally {
      this.openFile();
    }
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
    if (this.fd !== undefined && shouldRotate(this.bytes, this.policy.maxSize)) this.rotate();
    if (this.fd === undefined) return;
    const entry: LogEntry = { stream, log, time: new Date().toISOString() };
    const record = Buffer.from(formatLogRecord(stream, log, entry.time));
    this.bytes += record.length;
    this.enqueue({ fd: this.fd, record, event: { entry, gen: this.gen, endOffset: this.bytes } });
  }

  private enqueue(op: WriteOp): void {
    this.ops.push(op);
    this.draining ??= this.drain();
  }

  /** writes queued records, those of one file together in one write, then tells the readers */
  private async drain(): Promise<void> {
    try {
      while (this.ops.length > 0) {
        const first = this.ops[0];
        if ('closeFd' in first) {
          this.ops.shift();
          await new Promise<void>((resolve) => closeFd(first.closeFd, () => resolve()));
          continue;
        }
        let n = 0;
        while (n < this.ops.length && 'fd' in this.ops[n] && (this.ops[n] as { fd: number }).fd === first.fd) n++;
        const batch = this.ops.splice(0, n) as Array<{ fd: number; record: Buffer; event: EntryEvent }>;
        // a full disk must not take the engine down: the records are lost, the readers still hear of them
        await writeAll(first.fd, Buffer.concat(batch.map((b) => b.record))).catch(() => undefined);
        for (const b of batch) this.emit('entry', b.event);
      }
    } finally {
      // in the same step as the last look at the queue: a record queued after it starts a new drain
      this.draining = undefined;
    }
  }

  /** resolves when the records queued so far are in their files (a reader then sees whole files) */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** the generation of the file being written now (0 before any) */
  get generation(): number {
    return this.gen;
  }

  /** which file a reader has open: the generation of an inode this writer opened, as of now */
  generationOf(ino: number): number | undefined {
    return this.gens.get(ino);
  }

  /** resolves when every record written so far is in the file */
  async close(): Promise<void> {
    this.flushPartial('stdout');
    this.flushPartial('stderr');
    if (this.fd !== undefined) this.enqueue({ closeFd: this.fd });
    this.fd = undefined;
    await this.settled();
  }
}

async function writeAll(fd: number, data: Buffer): Promise<void> {
  for (let off = 0; off < data.length; ) {
    const { bytesWritten } = await new Promise<{ bytesWritten: number }>((resolve, reject) =>
      write(fd, data, off, data.length - off, null, (err, written) => (err ? reject(err) : resolve({ bytesWritten: written }))),
    );
    off += bytesWritten;
  }
}
