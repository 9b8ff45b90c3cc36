// Class state on the teacher's machine, in SQLite ($BOXLAB_HOME/classroom.db, mode 0600: it holds the
// teacher tokens; ADR 0017): classes, join codes, seats, every check result a seat reported (with its time
// and attempt number) and the hints used per step. Every change is one committed transaction, so a
// restarted class server finds the class as it was and each student's boxlab reconnects to its seat with
// the seat token it kept. Student tokens are stored only as SHA-256 hashes: the file alone lets no one
// report as a student.
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../core/errors.js';
import { defaultBoxlabHome } from '../labs/progress-store.js';
import { DEFAULT_DEAD_AFTER_MS } from './class-status.js';
import { CLASS_NAME_PATTERN, type Broadcast, type Heartbeat, type SandboxState, type SeatCommand, type SeatCommandState, type CheckReport, type CheckResult, type ClassLab, type ClassRecord, type HintReport, type HintUse, type JoinCode, type Seat } from './class-model.js';
import { DEFAULT_CODE_TTL_MS, joinRefusal, joinRefusalMessage, newJoinCode, normalizeJoinCode, type JoinRefusal } from './join-code.js';

export function defaultClassDb(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultBoxlabHome(env), 'classroom.db');
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS classes (
  name TEXT PRIMARY KEY, labs TEXT NOT NULL, seats INTEGER NOT NULL, created_at TEXT NOT NULL,
  closed_at TEXT, listen TEXT, teacher_token TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS join_codes (
  code TEXT PRIMARY KEY, class TEXT NOT NULL REFERENCES classes(name), created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS seats (
  id TEXT PRIMARY KEY, class TEXT NOT NULL REFERENCES classes(name), name TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE, joined_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, UNIQUE (class, name));
CREATE TABLE IF NOT EXISTS check_results (
  seat_id TEXT NOT NULL REFERENCES seats(id), report_id TEXT NOT NULL, lab_id TEXT NOT NULL,
  step_index INTEGER NOT NULL, step_id TEXT NOT NULL, step_count INTEGER NOT NULL, passed INTEGER NOT NULL,
  checks_passed INTEGER NOT NULL, checks_total INTEGER NOT NULL, at TEXT NOT NULL, attempt INTEGER NOT NULL,
  PRIMARY KEY (seat_id, report_id));
CREATE TABLE IF NOT EXISTS hints_used (
  seat_id TEXT NOT NULL REFERENCES seats(id), lab_id TEXT NOT NULL, step_index INTEGER NOT NULL,
  step_id TEXT NOT NULL, shown INTEGER NOT NULL, at TEXT NOT NULL, PRIMARY KEY (seat_id, lab_id, step_id));
CREATE TABLE IF NOT EXISTS class_settings (
  class TEXT PRIMARY KEY REFERENCES classes(name), dead_after_ms INTEGER);
CREATE TABLE IF NOT EXISTS heartbeats (
  seat_id TEXT PRIMARY KEY REFERENCES seats(id), at TEXT NOT NULL, sandbox TEXT NOT NULL, down_since TEXT);
CREATE TABLE IF NOT EXISTS broadcasts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, class TEXT NOT NULL REFERENCES classes(name), text TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seat_commands (
  id TEXT PRIMARY KEY, seat_id TEXT NOT NULL REFERENCES seats(id), kind TEXT NOT NULL, lab_id TEXT NOT NULL,
  step INTEGER NOT NULL, requested_at TEXT NOT NULL, state TEXT NOT NULL, message TEXT, done_at TEXT);
`;

/** the longest a broadcast may be: a message on a screen, not a document */
export const MAX_BROADCAST_CHARS = 500;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** a join the class refused: the rule that refused it, and the words for the student in both languages */
export class JoinRefused extends Error {
  constructor(readonly refusal: JoinRefusal) {
    super(joinRefusalMessage(refusal, 'en'));
  }
}

interface ClassRow {
  name: string;
  labs: string;
  seats: number;
  created_at: string;
  closed_at: string | null;
  listen: string | null;
  teacher_token: string;
}
interface CodeRow {
  code: string;
  class: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}
interface SeatRow {
  id: string;
  class: string;
  name: string;
  joined_at: string;
  last_seen_at: string;
}
interface ResultRow {
  seat_id: string;
  lab_id: string;
  step_index: number;
  step_id: string;
  step_count: number;
  passed: number;
  checks_passed: number;
  checks_total: number;
  at: string;
  attempt: number;
}
interface HintRow {
  seat_id: string;
  lab_id: string;
  step_index: number;
  step_id: string;
  shown: number;
  at: string;
}

const toClass = (r: ClassRow): ClassRecord => {
  const c: ClassRecord = { name: r.name, labs: JSON.parse(r.labs) as ClassLab[], seats: r.seats, createdAt: r.created_at };
  if (r.closed_at) c.closedAt = r.closed_at;
  if (r.listen) c.listen = r.listen;
  return c;
};
const toCode = (r: CodeRow): JoinCode => {
  const c: JoinCode = { code: r.code, className: r.class, createdAt: r.created_at, expiresAt: r.expires_at };
  if (r.revoked_at) c.revokedAt = r.revoked_at;
  return c;
};
const toSeat = (r: SeatRow): Seat => ({ id: r.id, className: r.class, name: r.name, joinedAt: r.joined_at, lastSeenAt: r.last_seen_at });
const toResult = (r: ResultRow): CheckResult => ({
  seatId: r.seat_id,
  labId: r.lab_id,
  stepIndex: r.step_index,
  stepId: r.step_id,
  stepCount: r.step_count,
  passed: r.passed === 1,
  checksPassed: r.checks_passed,
  checksTotal: r.checks_total,
  at: r.at,
  attempt: r.attempt,
});
interface HeartbeatRow {
  seat_id: string;
  at: string;
  sandbox: string;
  down_since: string | null;
}
interface BroadcastRow {
  id: number;
  class: string;
  text: string;
  at: string;
}
interface CommandRow {
  id: string;
  seat_id: string;
  kind: string;
  lab_id: string;
  step: number;
  requested_at: string;
  state: string;
  message: string | null;
  done_at: string | null;
}
const toHeartbeat = (r: HeartbeatRow): Heartbeat => {
  const h: Heartbeat = { seatId: r.seat_id, at: r.at, sandbox: r.sandbox as SandboxState };
  if (r.down_since) h.downSince = r.down_since;
  return h;
};
const toBroadcast = (r: BroadcastRow): Broadcast => ({ id: r.id, className: r.class, text: r.text, at: r.at });
const toCommand = (r: CommandRow): SeatCommand => {
  const c: SeatCommand = { id: r.id, seatId: r.seat_id, kind: 'reset', labId: r.lab_id, step: r.step, requestedAt: r.requested_at, state: r.state as SeatCommandState };
  if (r.message) c.message = r.message;
  if (r.done_at) c.doneAt = r.done_at;
  return c;
};
const toHint = (r: HintRow): HintUse => ({ seatId: r.seat_id, labId: r.lab_id, stepIndex: r.step_index, stepId: r.step_id, shown: r.shown, at: r.at });

export class ClassStore {
  private readonly db: Database.Database;

  constructor(
    file: string = defaultClassDb(),
    private readonly now: () => Date = () => new Date(),
  ) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.db = new Database(file);
    if (file !== ':memory:') {
      chmodSync(file, 0o600);
      // WAL: the class server writes while `class status` and `class export` read
      this.db.pragma('journal_mode = WAL');
      // the CLI and the server may write at the same moment (a close while a report arrives)
      this.db.pragma('busy_timeout = 5000');
    }
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** the database, for the logs kept next to the class (replay-log.ts) */
  sqlite(): Database.Database {
    return this.db;
  }

  /** changes when another connection (a `boxlab class` command) commits: the server's cue to push the grid */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** the open database, for the tables of hosted seats (hosted/hosted-store.ts), kept in the same file */
  get database(): Database.Database {
    return this.db;
  }

  /** a new class with its teacher token and a first join code */
  create(name: string, labs: ClassLab[], seats: number, codeTtlMs: number = DEFAULT_CODE_TTL_MS): { cls: ClassRecord; teacherToken: string; code: JoinCode } {
    if (!CLASS_NAME_PATTERN.test(name)) {
      throw invalidArgument(`class name "${name}" is not valid: use lower-case letters, digits, '.', '_' and '-' (up to 63), starting with a letter or digit`, {
        suggestions: ['boxlab class create docker-101 --lab 01-containers-are-processes'],
      });
    }
    if (labs.length === 0) throw invalidArgument(`class "${name}" needs at least one lab`, { suggestions: [`boxlab class create ${name} --lab <id>`, 'boxlab lab list'] });
    if (!Number.isInteger(seats) || seats < 1) throw invalidArgument(`class "${name}": --seats must be a whole number of at least 1, not ${seats}`);
    const teacherToken = newSecret();
    const t = this.now().toISOString();
    const code = this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM classes WHERE name = ?').get(name)) {
        throw alreadyExists(`class "${name}" already exists`, { suggestions: [`boxlab class status ${name}`, 'pick another name'] });
      }
      this.db.prepare('INSERT INTO classes VALUES (?, ?, ?, ?, NULL, NULL, ?)').run(name, JSON.stringify(labs), seats, t, teacherToken);
      return this.insertCode(name, codeTtlMs);
    })();
    return { cls: this.get(name), teacherToken, code };
  }

  find(name: string): ClassRecord | undefined {
    const row = this.db.prepare('SELECT * FROM classes WHERE name = ?').get(name) as ClassRow | undefined;
    return row && toClass(row);
  }

  get(name: string): ClassRecord {
    const cls = this.find(name);
    if (cls) return cls;
    const names = this.list().map((c) => c.name);
    throw notFound(`class "${name}" not found`, { suggestions: names.length > 0 ? [`classes here: ${names.join(', ')}`] : [`create it: boxlab class create ${name} --lab <id>`] });
  }

  list(): ClassRecord[] {
    return (this.db.prepare('SELECT * FROM classes ORDER BY name').all() as ClassRow[]).map(toClass);
  }

  teacherToken(name: string): string {
    this.get(name);
    return (this.db.prepare('SELECT teacher_token FROM classes WHERE name = ?').get(name) as { teacher_token: string }).teacher_token;
  }

  /** the class whose teacher token this is */
  classForTeacher(token: string): ClassRecord | undefined {
    const rows = this.db.prepare('SELECT * FROM classes').all() as ClassRow[];
    const hit = rows.find((r) => r.teacher_token.length === token.length && hashToken(r.teacher_token) === hashToken(token));
    return hit && toClass(hit);
  }

  setListen(name: string, listen: string): void {
    this.db.prepare('UPDATE classes SET listen = ? WHERE name = ?').run(listen, name);
  }

  /** closes the class: its codes are revoked, no one joins and no report is taken; the grades stay */
  closeClass(name: string): ClassRecord {
    const cls = this.get(name);
    if (cls.closedAt) return cls;
    const t = this.now().toISOString();
    this.db.transaction(() => {
      this.db.prepare('UPDATE classes SET closed_at = ? WHERE name = ?').run(t, name);
      this.db.prepare('UPDATE join_codes SET revoked_at = ? WHERE class = ? AND revoked_at IS NULL').run(t, name);
    })();
    return this.get(name);
  }

  private insertCode(name: string, ttlMs: number): JoinCode {
    const t = this.now();
    for (;;) {
      const code = newJoinCode();
      // 31^5 codes: a clash with a live one is rare, and then another is drawn
      if (this.db.prepare('SELECT 1 FROM join_codes WHERE code = ?').get(code)) continue;
      this.db.prepare('INSERT INTO join_codes VALUES (?, ?, ?, ?, NULL)').run(code, name, t.toISOString(), new Date(t.getTime() + ttlMs).toISOString());
      return this.code(code)!;
    }
  }

  newCode(name: string, ttlMs: number = DEFAULT_CODE_TTL_MS): JoinCode {
    const cls = this.get(name);
    if (cls.closedAt) throw failedPrecondition(`class "${name}" is closed: it takes no new students, so it gets no new join code`);
    return this.insertCode(name, ttlMs);
  }

  code(code: string): JoinCode | undefined {
    const row = this.db.prepare('SELECT * FROM join_codes WHERE code = ?').get(normalizeJoinCode(code)) as CodeRow | undefined;
    return row && toCode(row);
  }

  codes(name: string): JoinCode[] {
    return (this.db.prepare('SELECT * FROM join_codes WHERE class = ? ORDER BY created_at, code').all(name) as CodeRow[]).map(toCode);
  }

  /** a code that still lets students in (the newest), if any */
  liveCode(name: string): JoinCode | undefined {
    const t = this.now().getTime();
    return this.codes(name)
      .filter((c) => !c.revokedAt && Date.parse(c.expiresAt) > t)
      .at(-1);
  }

  revokeCode(name: string, code: string): JoinCode {
    const c = this.code(code);
    if (!c || c.className !== name) throw notFound(`join code ${normalizeJoinCode(code)} is not a code of class "${name}"`, { suggestions: [`boxlab class status ${name}`] });
    if (!c.revokedAt) this.db.prepare('UPDATE join_codes SET revoked_at = ? WHERE code = ?').run(this.now().toISOString(), c.code);
    return this.code(c.code)!;
  }

  /** a student takes a seat with a code: the seat and its token (shown once, stored hashed); throws JoinRefused */
  join(code: string, studentName: string): { seat: Seat; token: string; cls: ClassRecord } {
    const name = studentName.trim();
    if (name.length === 0 || name.length > 80 || /[\u0000-\u001f\u007f]/.test(name)) {
      throw invalidArgument('a student name is 1 to 80 characters, without control characters', { suggestions: ['boxlab class join <url> --code K7P2Q --name "Student 7"'] });
    }
    const token = newSecret();
    const id = randomBytes(6).toString('hex');
    const t = this.now();
    const cls = this.db.transaction(() => {
      const c = this.code(code);
      const cls = c && this.find(c.className);
      const taken = cls ? (this.db.prepare('SELECT COUNT(*) AS n FROM seats WHERE class = ?').get(cls.name) as { n: number }).n : 0;
      const refusal = joinRefusal(c, cls, taken, t);
      if (refusal) throw new JoinRefused(refusal);
      if (this.db.prepare('SELECT 1 FROM seats WHERE class = ? AND name = ?').get(cls!.name, name)) {
        throw alreadyExists(`a student named "${name}" already has a seat in class "${cls!.name}"`, {
          suggestions: ['join with another --name', 'on the laptop that joined first, boxlab keeps reporting to that seat'],
        });
      }
      this.db.prepare('INSERT INTO seats VALUES (?, ?, ?, ?, ?, ?)').run(id, cls!.name, name, hashToken(token), t.toISOString(), t.toISOString());
      return cls!;
    })();
    return { seat: this.seat(id)!, token, cls };
  }

  seat(id: string): Seat | undefined {
    const row = this.db.prepare('SELECT * FROM seats WHERE id = ?').get(id) as SeatRow | undefined;
    return row && toSeat(row);
  }

  seatByToken(token: string): Seat | undefined {
    const row = this.db.prepare('SELECT * FROM seats WHERE token_sha256 = ?').get(hashToken(token)) as SeatRow | undefined;
    return row && toSeat(row);
  }

  seats(name: string): Seat[] {
    return (this.db.prepare('SELECT * FROM seats WHERE class = ? ORDER BY joined_at, id').all(name) as SeatRow[]).map(toSeat);
  }

  /** the seat was heard from (a report, or a reconnect) */
  touch(seatId: string): void {
    this.db.prepare('UPDATE seats SET last_seen_at = ? WHERE id = ?').run(this.now().toISOString(), seatId);
  }

  /**
   * one check of a step: its attempt number is one more than this seat's earlier checks of the step. A
   * report sent again (same reportId: the student's boxlab retries after a lost answer) is stored once.
   */
  recordCheck(seatId: string, reportId: string, r: CheckReport): CheckResult {
    return this.db.transaction(() => {
      const old = this.db.prepare('SELECT * FROM check_results WHERE seat_id = ? AND report_id = ?').get(seatId, reportId) as ResultRow | undefined;
      if (old) return toResult(old);
      const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM check_results WHERE seat_id = ? AND lab_id = ? AND step_id = ?').get(seatId, r.labId, r.stepId) as { n: number };
      this.db
        .prepare('INSERT INTO check_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(seatId, reportId, r.labId, r.stepIndex, r.stepId, r.stepCount, r.passed ? 1 : 0, r.checksPassed, r.checksTotal, r.at, n + 1);
      this.db.prepare('UPDATE seats SET last_seen_at = ? WHERE id = ?').run(this.now().toISOString(), seatId);
      return toResult(this.db.prepare('SELECT * FROM check_results WHERE seat_id = ? AND report_id = ?').get(seatId, reportId) as ResultRow);
    })();
  }

  /** how far down a step's hint ladder the seat went (never goes back down) */
  recordHints(seatId: string, r: HintReport): HintUse {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO hints_used VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(seat_id, lab_id, step_id) DO UPDATE SET shown = MAX(shown, excluded.shown), at = excluded.at',
        )
        .run(seatId, r.labId, r.stepIndex, r.stepId, r.shown, r.at);
      this.db.prepare('UPDATE seats SET last_seen_at = ? WHERE id = ?').run(this.now().toISOString(), seatId);
    })();
    return toHint(this.db.prepare('SELECT * FROM hints_used WHERE seat_id = ? AND lab_id = ? AND step_id = ?').get(seatId, r.labId, r.stepId) as HintRow);
  }

  results(name: string, seatId?: string): CheckResult[] {
    const rows = this.db
      .prepare(`SELECT r.* FROM check_results r JOIN seats s ON s.id = r.seat_id WHERE s.class = ? ${seatId ? 'AND r.seat_id = ?' : ''} ORDER BY r.at, r.attempt`)
      .all(...(seatId ? [name, seatId] : [name])) as ResultRow[];
    return rows.map(toResult);
  }

  hints(name: string, seatId?: string): HintUse[] {
    const rows = this.db
      .prepare(`SELECT h.* FROM hints_used h JOIN seats s ON s.id = h.seat_id WHERE s.class = ? ${seatId ? 'AND h.seat_id = ?' : ''} ORDER BY h.at`)
      .all(...(seatId ? [name, seatId] : [name])) as HintRow[];
    return rows.map(toHint);
  }

  /** the threshold after which a silent seat is dead (the teacher's `class serve --dead-after`) */
  deadAfterMs(name: string): number {
    const row = this.db.prepare('SELECT dead_after_ms FROM class_settings WHERE class = ?').get(name) as { dead_after_ms: number | null } | undefined;
    return row?.dead_after_ms ?? DEFAULT_DEAD_AFTER_MS;
  }

  setDeadAfter(name: string, ms: number): void {
    this.get(name);
    this.db.prepare('INSERT INTO class_settings VALUES (?, ?) ON CONFLICT(class) DO UPDATE SET dead_after_ms = excluded.dead_after_ms').run(name, ms);
  }

  /** the seat's boxlab is alive (and says whether its sandbox answers); the heartbeat before this one, if any */
  heartbeat(seatId: string, sandbox: SandboxState): { before?: Heartbeat; now: Heartbeat } {
    const t = this.now().toISOString();
    return this.db.transaction(() => {
      const old = this.db.prepare('SELECT * FROM heartbeats WHERE seat_id = ?').get(seatId) as HeartbeatRow | undefined;
      const downSince = sandbox === 'down' ? (old?.sandbox === 'down' && old.down_since ? old.down_since : t) : null;
      this.db.prepare('INSERT INTO heartbeats VALUES (?, ?, ?, ?) ON CONFLICT(seat_id) DO UPDATE SET at = excluded.at, sandbox = excluded.sandbox, down_since = excluded.down_since').run(seatId, t, sandbox, downSince);
      const now = toHeartbeat(this.db.prepare('SELECT * FROM heartbeats WHERE seat_id = ?').get(seatId) as HeartbeatRow);
      return old ? { before: toHeartbeat(old), now } : { now };
    })();
  }

  heartbeats(name: string): Heartbeat[] {
    return (this.db.prepare('SELECT h.* FROM heartbeats h JOIN seats s ON s.id = h.seat_id WHERE s.class = ?').all(name) as HeartbeatRow[]).map(toHeartbeat);
  }

  /** a message to every student of the class, kept with its time */
  broadcast(name: string, text: string): Broadcast {
    const cls = this.get(name);
    const t = text.trim();
    if (t.length === 0 || t.length > MAX_BROADCAST_CHARS) throw invalidArgument(`a message to the class is 1 to ${MAX_BROADCAST_CHARS} characters, not ${t.length}`);
    if (cls.closedAt) throw failedPrecondition(`class "${name}" is closed: its students no longer listen`);
    const r = this.db.prepare('INSERT INTO broadcasts (class, text, at) VALUES (?, ?, ?)').run(name, t, this.now().toISOString());
    return toBroadcast(this.db.prepare('SELECT * FROM broadcasts WHERE id = ?').get(r.lastInsertRowid) as BroadcastRow);
  }

  /** the class's messages, oldest first; afterId: only the ones after it */
  broadcasts(name: string, afterId = 0): Broadcast[] {
    return (this.db.prepare('SELECT * FROM broadcasts WHERE class = ? AND id > ? ORDER BY id').all(name, afterId) as BroadcastRow[]).map(toBroadcast);
  }

  /** the teacher asks the seat's boxlab to reset a lab to a step; a pending reset of the seat is replaced */
  requestReset(seatId: string, labId: string, step: number): SeatCommand {
    if (!Number.isInteger(step) || step < 1) throw invalidArgument(`a reset goes back to a step number from 1, not ${step}`);
    const id = randomBytes(8).toString('hex');
    this.db.transaction(() => {
      this.db.prepare("UPDATE seat_commands SET state = 'failed', message = 'replaced by a newer reset', done_at = ? WHERE seat_id = ? AND state = 'pending'").run(this.now().toISOString(), seatId);
      this.db.prepare("INSERT INTO seat_commands VALUES (?, ?, 'reset', ?, ?, ?, 'pending', NULL, NULL)").run(id, seatId, labId, step, this.now().toISOString());
    })();
    return this.command(id)!;
  }

  command(id: string): SeatCommand | undefined {
    const row = this.db.prepare('SELECT * FROM seat_commands WHERE id = ?').get(id) as CommandRow | undefined;
    return row && toCommand(row);
  }

  commands(name: string): SeatCommand[] {
    return (this.db.prepare('SELECT c.* FROM seat_commands c JOIN seats s ON s.id = c.seat_id WHERE s.class = ? ORDER BY c.requested_at').all(name) as CommandRow[]).map(toCommand);
  }

  /** the seat's pending commands, handed out once (two agents of one seat never both reset) */
  claimCommands(seatId: string): SeatCommand[] {
    return this.db.transaction(() => {
      const rows = this.db.prepare("SELECT * FROM seat_commands WHERE seat_id = ? AND state = 'pending' ORDER BY requested_at").all(seatId) as CommandRow[];
      this.db.prepare("UPDATE seat_commands SET state = 'sent' WHERE seat_id = ? AND state = 'pending'").run(seatId);
      return rows.map((r) => ({ ...toCommand(r), state: 'sent' as const }));
    })();
  }

  /** the seat's boxlab carried the command out (or could not) */
  finishCommand(seatId: string, id: string, ok: boolean, message: string): SeatCommand {
    const c = this.command(id);
    if (!c || c.seatId !== seatId) throw notFound(`command ${id} is not one of this seat`);
    this.db.prepare('UPDATE seat_commands SET state = ?, message = ?, done_at = ? WHERE id = ?').run(ok ? 'done' : 'failed', message.slice(0, 500), this.now().toISOString(), id);
    return this.command(id)!;
  }
}
