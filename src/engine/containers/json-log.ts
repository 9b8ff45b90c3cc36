// Docker's json-file log driver format, one JSON object per line in containers/<id>/<id>-json.log:
//   {"log":"hello\n","stream":"stdout","time":"2026-11-23T18:22:38.123Z"}
// Pure: splitting a byte stream into records (partial lines wait for their end; very long lines are cut
// into 16 KiB records without a newline, as Docker does), formatting, parsing, and selecting lines for
// `docker logs --tail/--since/--until`.
import { invalidArgument } from '../../core/errors.js';
import type { LogEntry, StdStream } from './container-service.js';

/** Docker cuts log records at 16 KiB; the last piece of a long line carries the newline */
export const MAX_RECORD_BYTES = 16 * 1024;

export function formatLogRecord(stream: StdStream, log: string, time: Date | string): string {
  const t = typeof time === 'string' ? time : time.toISOString();
  return JSON.stringify({ log, stream, time: t }) + '\n';
}

/** one line of the log file; undefined for a line a crash cut short */
export function parseLogRecord(line: string): LogEntry | undefined {
  if (line.trim() === '') return undefined;
  try {
    const v = JSON.parse(line) as Partial<LogEntry>;
    if (typeof v.log !== 'string' || (v.stream !== 'stdout' && v.stream !== 'stderr') || typeof v.time !== 'string') return undefined;
    return { log: v.log, stream: v.stream, time: v.time };
  } catch {
    return undefined;
  }
}

export function parseLogFile(text: string): LogEntry[] {
  return text.split('\n').flatMap((line) => parseLogRecord(line) ?? []);
}

/**
 * Splits a stream of output into log lines. push() returns the complete lines (each with its "\n"),
 * keeping a partial line until its end comes; a line longer than maxBytes is returned in pieces.
 */
export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBytes = MAX_RECORD_BYTES) {}

  push(chunk: Buffer): string[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const lines: string[] = [];
    for (;;) {
      const nl = this.pending.indexOf(0x0a);
      if (nl !== -1 && nl < this.maxBytes) {
        lines.push(this.pending.subarray(0, nl + 1).toString('utf8'));
        this.pending = this.pending.subarray(nl + 1);
      } else if (this.pending.length >= this.maxBytes) {
        const cut = utf8Boundary(this.pending, this.maxBytes);
        lines.push(this.pending.subarray(0, cut).toString('utf8'));
        this.pending = this.pending.subarray(cut);
      } else {
        break;
      }
    }
    return lines;
  }

  /** what is left at the end of the stream (a last line without newline), if anything */
  flush(): string | undefined {
    if (this.pending.length === 0) return undefined;
    const rest = this.pending.toString('utf8');
    this.pending = Buffer.alloc(0);
    return rest;
  }
}

/** the largest cut <= max that does not split a UTF-8 character */
function utf8Boundary(buf: Buffer, max: number): number {
  let cut = max;
  while (cut > 0 && (buf[cut] & 0xc0) === 0x80) cut--;
  return cut === 0 ? max : cut;
}

/** `--tail`: "all", or a number of lines from the end */
export function parseTail(value: string | undefined): number | 'all' {
  if (value === undefined || value === '' || value === 'all') return 'all';
  const n = Number(value);
  if (!Number.isInteger(n)) throw invalidArgument(`invalid tail value "${value}": expected a number of lines or "all"`);
  return n < 0 ? 'all' : n;
}

/** unix seconds of an RFC 3339 time, keeping digits beyond milliseconds */
export function timeSeconds(time: string): number {
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!m) return Date.parse(time) / 1000;
  const whole = Date.parse(m[1] + m[3]) / 1000;
  return whole + (m[2] ? Number(`0.${m[2]}`) : 0);
}

export interface LogSelection {
  stdout: boolean;
  stderr: boolean;
  since: number;
  until: number;
  tail: number | 'all';
}

/** the entries `docker logs` shows: streams asked for, inside [since, until), the last `tail` of them */
export function selectLogEntries(entries: readonly LogEntry[], sel: LogSelection): LogEntry[] {
  const picked = entries.filter((e) => {
    if (e.stream === 'stdout' ? !sel.stdout : !sel.stderr) return false;
    const t = timeSeconds(e.time);
    if (sel.since > 0 && t < sel.since) return false;
    if (sel.until > 0 && t >= sel.until) return false;
    return true;
  });
  if (sel.tail === 'all') return picked;
  return sel.tail === 0 ? [] : picked.slice(-sel.tail);
}
