// What a class is made of, as plain data: a class (its labs and seat count), the join codes a student
// types to get a seat, the seats, and what each seat reported (every `lab check` result with its time and
// attempt number, and how many hints were used per step). The store (class-store.ts) keeps these in
// SQLite; the pure builders (class-status.ts, class-export.ts) turn them into the teacher's views.

/** a class name: it appears in commands, URLs and file names, so a plain slug */
export const CLASS_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** a lab of the class with its step ids, read from the lab when the class is created (exports list every step) */
export interface ClassLab {
  id: string;
  steps: string[];
}

export interface ClassRecord {
  name: string;
  labs: ClassLab[];
  seats: number;
  createdAt: string;
  closedAt?: string;
  /** where the class server listened last (host:port): a restart listens there again, so students' links keep working */
  listen?: string;
}

export interface JoinCode {
  code: string;
  className: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
}

export interface Seat {
  id: string;
  className: string;
  /** what the student typed with --name, shown to the teacher */
  name: string;
  joinedAt: string;
  /** the last time the student's boxlab reported anything (or joined) */
  lastSeenAt: string;
}

/** one `lab check` of a step, as the student's boxlab reported it */
export interface CheckReport {
  labId: string;
  /** 0-based index of the step in the lab */
  stepIndex: number;
  stepId: string;
  stepCount: number;
  passed: boolean;
  checksPassed: number;
  checksTotal: number;
  /** when the check ran, on the student's clock (reports sent late keep their time) */
  at: string;
}

export interface CheckResult extends CheckReport {
  seatId: string;
  /** 1 for the first check of this step by this seat, 2 for the next, ... */
  attempt: number;
}

/** how many of a step's hints a seat has seen (the ladder's position, hint-ladder.ts) */
export interface HintReport {
  labId: string;
  stepIndex: number;
  stepId: string;
  shown: number;
  at: string;
}

export interface HintUse extends HintReport {
  seatId: string;
}

/** the student's boxlab says it is alive (`boxlab class agent`, every few seconds), and whether its sandbox answers */
export const SANDBOX_STATES = ['up', 'down'] as const;
export type SandboxState = (typeof SANDBOX_STATES)[number];

export interface Heartbeat {
  seatId: string;
  /** the last heartbeat, on the class server's clock (a late one is not a live one) */
  at: string;
  sandbox: SandboxState;
  /** the first heartbeat of this run of "down" */
  downSince?: string;
}

/** a message the teacher sent to every student of the class */
export interface Broadcast {
  id: number;
  className: string;
  text: string;
  at: string;
}

export const SEAT_COMMAND_STATES = ['pending', 'sent', 'done', 'failed'] as const;
export type SeatCommandState = (typeof SEAT_COMMAND_STATES)[number];

/** the teacher asks a student's boxlab to reset their lab to a step; carried out at its next heartbeat */
export interface SeatCommand {
  id: string;
  seatId: string;
  kind: 'reset';
  /** the lab to reset (the student's current one when the teacher asked) */
  labId: string;
  /** 1-based step to go back to (1: the whole lab, with its teardown and setup again) */
  step: number;
  requestedAt: string;
  state: SeatCommandState;
  /** what the student's boxlab answered (done: where the lab is now; failed: why) */
  message?: string;
  doneAt?: string;
}
