// What the teacher's commands do, over the class store: create a class from labs of the catalog (their
// step ids are kept, so an export lists every step), the status rows, the export, close, join codes.
// The `boxlab class ...` commands are thin over these; the class server uses the same functions.
import { invalidArgument } from '../core/errors.js';
import { findLab } from '../labs/lab-loader.js';
import type { ClassLab, ClassRecord, JoinCode } from './class-model.js';
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
  students: StatusRow[];
}

export function statusOf(store: ClassStore, name: string, now: Date = new Date()): ClassStatus {
  const cls = store.get(name);
  const seats = store.seats(name);
  const out: ClassStatus = { cls, seatsTaken: seats.length, students: classStatus(cls, seats, store.results(name), store.hints(name), now) };
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
