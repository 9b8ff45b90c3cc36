// The teacher's view of a class: one row per student (lab, step, checks passed, hints used, idle time,
// the last check and its result), sorted so the students who need help come first. Stuck means: the
// current step failed STUCK_FAILED_ATTEMPTS times in a row, or nothing was reported for STUCK_IDLE_MS
// while the class's labs are not done. Dead means the student's sandbox stopped reporting: its boxlab's
// heartbeat (`boxlab class agent`) is older than the class's threshold (deadAfterMs, the teacher's
// `class serve --dead-after`), or the heartbeat says the sandbox does not answer; dead comes before stuck,
// since no hint helps a student whose sandbox is gone. A seat that never sent a heartbeat (an agent not
// running) is never dead: only idle, then stuck. Pure: the store's rows and the clock in, rows out.
import type { CheckResult, ClassRecord, Heartbeat, HintUse, Seat, SeatCommand } from './class-model.js';

export const STUCK_FAILED_ATTEMPTS = 3;
export const STUCK_IDLE_MS = 10 * 60 * 1000;
/** the student's agent beats every HEARTBEAT_MS; four missed ones and the seat is dead */
export const HEARTBEAT_MS = 15_000;
export const DEFAULT_DEAD_AFTER_MS = 60_000;

export const SEAT_STATES = ['dead', 'stuck', 'not-started', 'working', 'finished'] as const;
export type SeatState = (typeof SEAT_STATES)[number];

export interface StatusRow {
  seatId: string;
  name: string;
  state: SeatState;
  /** the lab the student worked on last (the first of the class before any report) */
  labId: string;
  /** 1-based; stepCount + 1 when the lab is finished */
  step: number;
  stepCount: number;
  /** steps of this lab whose checks all passed */
  stepsPassed: number;
  /** labs of the class finished */
  labsFinished: number;
  /** failed checks of the current step since it was started */
  failedAttempts: number;
  /** hints seen, over every step of the class's labs */
  hintsUsed: number;
  lastCheck?: { stepId: string; passed: boolean; checksPassed: number; checksTotal: number; at: string };
  lastSeenAt: string;
  idleMs: number;
  /** the last heartbeat of the student's boxlab, if it ever sent one */
  heartbeatAt?: string;
  /** dead: since when (the last heartbeat, or the first that said the sandbox was down) and why */
  dead?: { since: string; why: 'silent' | 'sandbox-down' };
  /** the teacher's last reset of this seat, and how it went */
  reset?: Pick<SeatCommand, 'id' | 'labId' | 'step' | 'state' | 'requestedAt' | 'message' | 'doneAt'>;
}

/** dead or not, from the seat's last heartbeat (pure; undefined when alive or never heard) */
export function deadness(hb: Heartbeat | undefined, now: Date, deadAfterMs: number): StatusRow['dead'] {
  if (!hb) return undefined;
  if (now.getTime() - Date.parse(hb.at) > deadAfterMs) return { since: hb.at, why: 'silent' };
  if (hb.sandbox === 'down') return { since: hb.downSince ?? hb.at, why: 'sandbox-down' };
  return undefined;
}

/** what a seat's heartbeats and the teacher's commands add to its row */
export interface SeatLife {
  heartbeats?: readonly Heartbeat[];
  commands?: readonly SeatCommand[];
  deadAfterMs?: number;
}

interface LabProgressOf {
  passedSteps: Set<number>;
  current: number;
  failedAtCurrent: number;
}

function labProgress(results: readonly CheckResult[], stepCount: number): LabProgressOf {
  const passedSteps = new Set(results.filter((r) => r.passed).map((r) => r.stepIndex));
  // the student's boxlab moves on only in order (progress-store.ts): the step after the first gap
  let current = 0;
  while (passedSteps.has(current) && current < stepCount) current++;
  const failedAtCurrent = results.filter((r) => r.stepIndex === current && !r.passed).length;
  return { passedSteps, current, failedAtCurrent };
}

/**
 * where the student is after the teacher's last reset of this lab (`class reset --step N`, not failed):
 * at step N, and on from there by what they passed since; the steps passed before stay passed in the grades
 */
function currentAfterReset(results: readonly CheckResult[], stepCount: number, reset: SeatCommand | undefined): Pick<LabProgressOf, 'current' | 'failedAtCurrent'> {
  if (!reset) return labProgress(results, stepCount);
  const since = results.filter((r) => r.at >= reset.requestedAt);
  const passed = new Set([...since.filter((r) => r.passed).map((r) => r.stepIndex), ...Array.from({ length: reset.step - 1 }, (_, i) => i)]);
  let current = 0;
  while (passed.has(current) && current < stepCount) current++;
  return { current, failedAtCurrent: since.filter((r) => r.stepIndex === current && !r.passed).length };
}

/** one student's row; results and hints may hold every seat's, only this seat's are read */
export function seatStatus(cls: ClassRecord, seat: Seat, results: readonly CheckResult[], hints: readonly HintUse[], now: Date, life: SeatLife = {}): StatusRow {
  const mine = results.filter((r) => r.seatId === seat.id).sort((a, b) => a.at.localeCompare(b.at) || a.attempt - b.attempt);
  const myHints = hints.filter((h) => h.seatId === seat.id && cls.labs.some((l) => l.id === h.labId));
  const last = mine.at(-1);
  const lastHint = [...myHints].sort((a, b) => a.at.localeCompare(b.at)).at(-1);
  const labId = (lastHint && (!last || lastHint.at > last.at) ? lastHint.labId : last?.labId) ?? cls.labs[0]?.id ?? '';
  const stepCount = cls.labs.find((l) => l.id === labId)?.steps.length ?? last?.stepCount ?? 0;
  const lastReset = life.commands?.filter((c) => c.seatId === seat.id && c.labId === labId && c.state !== 'failed').sort((a, b) => a.requestedAt.localeCompare(b.requestedAt)).at(-1);
  const p = { ...labProgress(mine.filter((r) => r.labId === labId), stepCount), ...currentAfterReset(mine.filter((r) => r.labId === labId), stepCount, lastReset) };
  const labsFinished = cls.labs.filter((l) => labProgress(mine.filter((r) => r.labId === l.id), l.steps.length).current >= l.steps.length).length;
  const idleMs = Math.max(0, now.getTime() - Date.parse(seat.lastSeenAt));
  const allDone = cls.labs.length > 0 && labsFinished === cls.labs.length;
  const started = mine.length > 0 || myHints.length > 0;
  const hb = life.heartbeats?.find((h) => h.seatId === seat.id);
  const dead = deadness(hb, now, life.deadAfterMs ?? DEFAULT_DEAD_AFTER_MS);
  // a student who finished may close the laptop: finished stays finished
  const state: SeatState = allDone ? 'finished' : dead ? 'dead' : p.failedAtCurrent >= STUCK_FAILED_ATTEMPTS || idleMs >= STUCK_IDLE_MS ? 'stuck' : started ? 'working' : 'not-started';
  const row: StatusRow = {
    seatId: seat.id,
    name: seat.name,
    state,
    labId,
    step: p.current + 1,
    stepCount,
    stepsPassed: p.passedSteps.size,
    labsFinished,
    failedAttempts: p.failedAtCurrent,
    hintsUsed: myHints.reduce((n, h) => n + h.shown, 0),
    lastSeenAt: seat.lastSeenAt,
    idleMs,
  };
  if (last) row.lastCheck = { stepId: last.stepId, passed: last.passed, checksPassed: last.checksPassed, checksTotal: last.checksTotal, at: last.at };
  if (hb) row.heartbeatAt = hb.at;
  if (dead) row.dead = dead;
  const cmd = life.commands?.filter((c) => c.seatId === seat.id).sort((a, b) => a.requestedAt.localeCompare(b.requestedAt)).at(-1);
  if (cmd) {
    row.reset = { id: cmd.id, labId: cmd.labId, step: cmd.step, state: cmd.state, requestedAt: cmd.requestedAt };
    if (cmd.message) row.reset.message = cmd.message;
    if (cmd.doneAt) row.reset.doneAt = cmd.doneAt;
  }
  return row;
}

/** dead first (longest dead first), stuck (most failed attempts, then longest idle), then not started, working (longest idle first), finished */
export function compareStatusRows(a: StatusRow, b: StatusRow): number {
  const byState = SEAT_STATES.indexOf(a.state) - SEAT_STATES.indexOf(b.state);
  if (byState !== 0) return byState;
  if (a.dead && b.dead && a.dead.since !== b.dead.since) return a.dead.since.localeCompare(b.dead.since);
  if (a.state === 'stuck' && a.failedAttempts !== b.failedAttempts) return b.failedAttempts - a.failedAttempts;
  return b.idleMs - a.idleMs || a.name.localeCompare(b.name) || a.seatId.localeCompare(b.seatId);
}

export function classStatus(cls: ClassRecord, seats: readonly Seat[], results: readonly CheckResult[], hints: readonly HintUse[], now: Date, life: SeatLife = {}): StatusRow[] {
  // each seat's rows picked out once: the status is rebuilt on every report, and filtering the whole
  // class's results per seat cost seats x results (40 ms at 100 students with 10 checks each; bench/classroom.ts)
  const results_ = bySeat(results);
  const hints_ = bySeat(hints);
  const heartbeats = bySeat(life.heartbeats ?? []);
  const commands = bySeat(life.commands ?? []);
  return seats
    .map((s) => seatStatus(cls, s, results_.get(s.id) ?? [], hints_.get(s.id) ?? [], now, { ...life, heartbeats: heartbeats.get(s.id) ?? [], commands: commands.get(s.id) ?? [] }))
    .sort(compareStatusRows);
}

function bySeat<T extends { seatId: string }>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.seatId);
    if (list) list.push(r);
    else m.set(r.seatId, [r]);
  }
  return m;
}
