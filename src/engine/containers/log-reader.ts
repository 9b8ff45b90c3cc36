// Reading a json-file log back for `docker logs` and `attach --logs`: every file of the log, oldest
// first (log-files.ts), and for `logs -f` which records were already read, so a line the engine writes
// while the files are being read is shown once: not twice, not never, even across a rotation.
import { promises as fs } from 'node:fs';
import type { EntryEvent } from './container-output.js';
import type { LogEntry } from './container-service.js';
import { parseLogFile } from './json-log.js';
import { logFilesOldestFirst } from './log-files.js';

/** what the reader asks the writer (ContainerOutput) */
export interface LogWriterView {
  readonly generation: number;
  generationOf(ino: number): number | undefined;
  settled?(): Promise<void>;
}

export interface LogSnapshot {
  entries: LogEntry[];
  /** file generation -> bytes read from it */
  read: Map<number, number>;
  /** the generation being written when the reading began: older files not read were rotated out */
  fromGen: number;
}

/** the records of every file of the log, oldest first; a file that vanishes meanwhile (rotated out) is skipped */
export async function readLogFiles(logPath: string, maxFile: number, writer?: LogWriterView): Promise<LogSnapshot> {
  const entries: LogEntry[] = [];
  const read = new Map<number, number>();
  const inodes = new Set<number>();
  // records still queued would land behind what is read here, in files read already: let them in first
  await writer?.settled?.();
  const fromGen = writer?.generation ?? 0;
  for (const path of logFilesOldestFirst(logPath, maxFile)) {
    const handle = await fs.open(path, 'r').catch(() => undefined);
    if (!handle) continue;
    try {
      const { ino } = await handle.stat();
      // a rotation during the reads can move a file already read to the next name: read each file once
      if (inodes.has(ino)) continue;
      inodes.add(ino);
      const buf = await handle.readFile();
      const gen = writer?.generationOf(ino);
      if (gen !== undefined) read.set(gen, buf.length);
      entries.push(...parseLogFile(buf.toString('utf8')));
    } finally {
      await handle.close();
    }
  }
  return { entries, read, fromGen };
}

/**
 * Should a follower skip this record, announced by the writer? Yes if it was in what readLogFiles
 * returned, or if its file was already older than the current one when reading began and was not read
 * (rotated out: the line is gone from `docker logs`, so -f does not show it late and out of order).
 */
export function alreadyRead(snapshot: Pick<LogSnapshot, 'read' | 'fromGen'>, event: Pick<EntryEvent, 'gen' | 'endOffset'>): boolean {
  const upTo = snapshot.read.get(event.gen);
  return upTo !== undefined ? event.endOffset <= upTo : event.gen < snapshot.fromGen;
}
