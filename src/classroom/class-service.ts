// What the teacher's commands do, over the class store: create a class from labs of the catalog (their
// step ids are kept, so an export lists every step), the status rows, the export, close, join codes.
// The `boxlab class ...` commands are thin over these; the class server uses the same functions.
import { failedPrecondition, invalidArgument, notFound } from '../core/errors.js';
import { findLab } from '../labs/lab-loader.js';
import type { Broadcast, ClassLab, ClassRecord, JoinCode, SeatCommand } from './class-model.js';
import { classStatus, type StatusRow } from './class-status.js';
import { exportCsv, exportJson, exportRows, studentColumns, studentRows, toCsv, type ExportFormat, type ExportRow, type ExportShape } from './class-export.js';
import type { ClassStore } from './class-store.js';
import { DEFAULT_CODE_TTL_MS } from './join-code.js';

export interface CreatedClass {
  cls: ClassRecord;
  code: JoinCode;
}

/** the labs as the catalog names them (a lab typed by its number or name is found: lab-id-match.ts) */
export async function classLabs(ids: readonly string[], labsRoot: string): Promise<ClassLab[]> {
  const out: ClassLab[] = [];
  for (const id of ids) {
    const lab = await findLab(id, labsRoot);
    if (out.some((l) => l.id === lab.id)) throw invalidArgument(`lab "${lab.id}" is named twice`, { suggestions: ['name each lab once with --lab'] });
    out.push({ id: lab.id, steps: lab.steps.map((s) => s.id) });
  }
  return out;
}

export async function createClass(store: ClassStore, name: string, labIds: readonly string[], seats: number, labsRoot: string, codeTtlMs = DEFAULT_CODE_TTL_MS): Promise<CreatedClass> {
  const labs = await classLabs(labIds, labsRoot);
  const { cls, code } = store.create(name, labs, seats, codeTtlMs);
  return { cls, code };
}

export interface ClassStatus {
  cls: ClassRecord;
  seatsTaken: number;
  code?: JoinCode;
  /** a seat silent for longer than this is dead (its sandbox stopped reporting) */
  deadAfterMs: number;
  /** the messages the teacher sent the class, the latest RECENT_BROADCASTS of them, oldest first */
  broadcasts: Broadcast[];
  students: StatusRow[];
}

export const RECENT_BROADCASTS = 10;

export function statusOf(store: ClassStore, name: string, now: Date = new Date()): ClassStatus {
  const cls = store.get(name);
  const seats = store.seats(name);
  const deadAfterMs = store.deadAfterMs(name);
  const life = { heartbeats: store.heartbeats(name), commands: store.commands(name), deadAfterMs };
  const out: ClassStatus = {
    cls,
    seatsTaken: seats.length,
    deadAfterMs,
    broadcasts: store.broadcasts(name).slice(-RECENT_BROADCASTS),
    students: classStatus(cls, seats, store.results(name), store.hints(name), now, life),
  };
  const code = store.liveCode(name);
  if (code) out.code = code;
  return out;
}

export function exportOf(store: ClassStore, name: string): ExportRow[] {
  const cls = store.get(name);
  return exportRows(cls, store.seats(name), store.results(name), store.hints(name));
}

export function exportText(rows: readonly ExportRow[], format: ExportFormat): string {
  return format === 'csv' ? exportCsv(rows) : exportJson(rows);
}

/** the export as a file's text, per step (the record) or per student (the gradebook sheet) */
export function exportClass(store: ClassStore, name: string, format: ExportFormat, per: ExportShape = 'step'): string {
  const rows = exportOf(store, name);
  if (per === 'step') return exportText(rows, format);
  const cls = store.get(name);
  const students = studentRows(cls, rows);
  return format === 'csv' ? toCsv(studentColumns(cls), students) : exportJson(students);
}

/**
 * the teacher asks a seat (by id, or the name the student joined with) to reset its current lab to a
 * step (1: start over); the student's agent carries it out at its next heartbeat. The grades stay.
 */
export function requestSeatReset(store: ClassStore, name: string, who: string, step = 1, now: Date = new Date()): { seat: string; command: SeatCommand } {
  const cls = store.get(name);
  if (cls.closedAt) throw failedPrecondition(`class "${name}" is closed: its students' boxlabs no longer listen`);
  const seats = store.seats(name);
  const seat = seats.find((s) => s.id === who) ?? seats.find((s) => s.name === who);
  if (!seat) throw notFound(`no student "${who}" in class "${name}"`, { suggestions: [seats.length > 0 ? `students: ${seats.map((s) => s.name).join(', ')}` : 'no student has joined yet', `boxlab class status ${name}`] });
  const row = statusOf(store, name, now).students.find((r) => r.seatId === seat.id)!;
  if (step > row.stepCount) throw invalidArgument(`lab "${row.labId}" has ${row.stepCount} steps: there is no step ${step} to reset ${seat.name} to`, { suggestions: [`--step 1 to ${row.stepCount}`] });
  return { seat: seat.name, command: store.requestReset(seat.id, row.labId, step) };
}
