// Session replay (ADR 0024): what a seat's terminals showed, the engine trace events of its sandbox and
// the help given, kept in classroom.db next to the seat's check results, so the teacher can replay a
// student's session on one timeline. Bounded per seat: the oldest rows go first once the seat's rows
// hold more than the cap (REPLAY_CAP_CHARS), and the timeline says how much was dropped. Kept as long as
// the class is (the class database); `forget` drops a seat's.
import type Database from 'better-sqlite3';
import type { CheckResult } from './class-model.js';
import type { HelpState, SessionFrame } from './watch-protocol.js';

/** at most this many characters of terminal output, trace and help per seat (about 1 MB) */
export const REPLAY_CAP_CHARS = 1024 * 1024;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS replay_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT, seat_id TEXT NOT NULL REFERENCES seats(id), at TEXT NOT NULL,
  kind TEXT NOT NULL, body TEXT NOT NULL, chars INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS replay_events_seat ON replay_events (seat_id, id);
CREATE TABLE IF NOT EXISTS replay_dropped (
  seat_id TEXT PRIMARY KEY REFERENCES seats(id), chars INTEGER NOT NULL, until TEXT NOT NULL);
`;

/** one moment of a seat's session, in time order */
export type ReplayEvent = { at: string } & (
  | SessionFrame
  | { t: 'trace'; event: unknown }
  | { t: 'help'; state: HelpState }
  | { t: 'check'; labId: string; stepIndex: number; stepId: string; passed: boolean; checksPassed: number; checksTotal: number; attempt: number }
);

export interface Replay {
  seatId: string;
  events: ReplayEvent[];
  /** the oldest part was dropped to keep the seat under the cap: how much, and up to when */
  dropped?: { chars: number; until: string };
  capChars: number;
}

export type Recordable = SessionFrame | { t: 'trace'; event: unknown } | { t: 'help'; state: HelpState };

export class ReplayLog {
  private readonly insert: Database.Statement;
  private readonly size: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    readonly capChars: number = REPLAY_CAP_CHARS,
  ) {
    db.exec(SCHEMA);
    this.insert = db.prepare('INSERT INTO replay_events (seat_id, at, kind, body, chars) VALUES (?, ?, ?, ?, ?)');
    this.size = db.prepare('SELECT COALESCE(SUM(chars), 0) AS n FROM replay_events WHERE seat_id = ?');
  }

  /** several moments of one seat at once (one transaction), then the oldest dropped beyond the cap */
  record(seatId: string, items: ReadonlyArray<{ at: string; frame: Recordable }>): void {
    if (items.length === 0) return;
    this.db.transaction(() => {
      for (const { at, frame } of items) {
        const body = JSON.stringify(frame);
        this.insert.run(seatId, at, frame.t, body, body.length);
      }
      this.trim(seatId);
    })();
  }

  private trim(seatId: string): void {
    let total = (this.size.get(seatId) as { n: number }).n;
    if (total <= this.capChars) return;
    const rows = this.db.prepare('SELECT id, at, chars FROM replay_events WHERE seat_id = ? ORDER BY id').iterate(seatId) as Iterable<{ id: number; at: string; chars: number }>;
    let lastId = 0;
    let until = '';
    let dropped = 0;
    for (const r of rows) {
      if (total <= this.capChars) break;
      total -= r.chars;
      dropped += r.chars;
      lastId = r.id;
      until = r.at;
    }
    this.db.prepare('DELETE FROM replay_events WHERE seat_id = ? AND id <= ?').run(seatId, lastId);
    this.db.prepare('INSERT INTO replay_dropped (seat_id, chars, until) VALUES (?, ?, ?) ON CONFLICT (seat_id) DO UPDATE SET chars = chars + excluded.chars, until = excluded.until').run(seatId, dropped, until);
  }

  /** the seat's session: its recorded moments and its check results, merged in time order */
  replay(seatId: string, results: readonly CheckResult[]): Replay {
    const rows = this.db.prepare('SELECT at, body FROM replay_events WHERE seat_id = ? ORDER BY id').all(seatId) as Array<{ at: string; body: string }>;
    const recorded: ReplayEvent[] = rows.map((r) => ({ at: r.at, ...(JSON.parse(r.body) as Recordable) }));
    const checks: ReplayEvent[] = results
      .filter((c) => c.seatId === seatId)
      .map((c) => ({ at: c.at, t: 'check', labId: c.labId, stepIndex: c.stepIndex, stepId: c.stepId, passed: c.passed, checksPassed: c.checksPassed, checksTotal: c.checksTotal, attempt: c.attempt }));
    // a stable merge: recorded moments keep their order (ids), a check goes after what happened at the same time
    const events: ReplayEvent[] = [];
    let i = 0;
    for (const c of [...checks].sort((a, b) => a.at.localeCompare(b.at))) {
      while (i < recorded.length && recorded[i].at <= c.at) events.push(recorded[i++]);
      events.push(c);
    }
    events.push(...recorded.slice(i));
    const d = this.db.prepare('SELECT chars, until FROM replay_dropped WHERE seat_id = ?').get(seatId) as { chars: number; until: string } | undefined;
    return { seatId, events, ...(d ? { dropped: { chars: d.chars, until: d.until } } : {}), capChars: this.capChars };
  }

  /** drops a seat's replay (the seat left, or the teacher asked) */
  forget(seatId: string): void {
    this.db.prepare('DELETE FROM replay_events WHERE seat_id = ?').run(seatId);
    this.db.prepare('DELETE FROM replay_dropped WHERE seat_id = ?').run(seatId);
  }
}
