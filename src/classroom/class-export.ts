// Grades out of a class, for a gradebook: one row per student and step of every lab of the class (a step
// never tried is a row too, with score 0), with whether it passed and when, how many checks it took
// (attempts), the hints used, and a score with partial credit: 1 for a passed step, else the best share
// of its checks that passed in one attempt. CSV (RFC 4180) and JSON carry the same rows and columns
// (docs/classroom.md lists them and the gradebooks that import them). Pure.
import type { CheckResult, ClassRecord, HintUse, Seat } from './class-model.js';

export const EXPORT_COLUMNS = [
  'class',
  'student',
  'seat',
  'lab',
  'step_number',
  'step_id',
  'passed',
  'passed_at',
  'attempts',
  'hints_used',
  'score',
  'first_attempt_at',
  'last_attempt_at',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

export interface ExportRow {
  class: string;
  student: string;
  seat: string;
  lab: string;
  step_number: number;
  step_id: string;
  passed: boolean;
  passed_at: string | null;
  attempts: number;
  hints_used: number;
  /** 0..1, rounded to 2 decimals */
  score: number;
  first_attempt_at: string | null;
  last_attempt_at: string | null;
}

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** a row per student and step (the record), or per student (the gradebook sheet) */
export const EXPORT_SHAPES = ['step', 'student'] as const;
export type ExportShape = (typeof EXPORT_SHAPES)[number];

/** rows by student name (then seat), lab in the class's order, step in the lab's order */
export function exportRows(cls: ClassRecord, seats: readonly Seat[], results: readonly CheckResult[], hints: readonly HintUse[]): ExportRow[] {
  const rows: ExportRow[] = [];
  const ordered = [...seats].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  for (const seat of ordered) {
    for (const lab of cls.labs) {
      lab.steps.forEach((stepId, index) => {
        const tries = results.filter((r) => r.seatId === seat.id && r.labId === lab.id && r.stepId === stepId).sort((a, b) => a.attempt - b.attempt);
        const firstPass = tries.find((r) => r.passed);
        const best = Math.max(0, ...tries.map((r) => (r.checksTotal > 0 ? r.checksPassed / r.checksTotal : 0)));
        const hint = hints.find((h) => h.seatId === seat.id && h.labId === lab.id && h.stepId === stepId);
        rows.push({
          class: cls.name,
          student: seat.name,
          seat: seat.id,
          lab: lab.id,
          step_number: index + 1,
          step_id: stepId,
          passed: firstPass !== undefined,
          passed_at: firstPass?.at ?? null,
          // attempts until it passed: checks after a pass (a re-check) do not count against the student
          attempts: firstPass ? firstPass.attempt : tries.length,
          hints_used: hint?.shown ?? 0,
          score: firstPass ? 1 : Math.round(best * 100) / 100,
          first_attempt_at: tries[0]?.at ?? null,
          last_attempt_at: tries.at(-1)?.at ?? null,
        });
      });
    }
  }
  return rows;
}

/**
 * one CSV cell: quoted when it holds a comma, quote or line break; a text that a spreadsheet would run as
 * a formula (=, +, -, @, tab, CR first: a student can name themselves "=HYPERLINK(...)") gets a leading '
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180: a header row, then one line per row, CRLF */
export function toCsv<R extends Record<string, string | number | boolean | null>>(columns: readonly string[], rows: readonly R[]): string {
  const lines = [columns.map((c) => csvCell(c)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c] ?? null)).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function exportCsv(rows: readonly ExportRow[]): string {
  return toCsv(EXPORT_COLUMNS, rows as unknown as Record<string, string | number | boolean | null>[]);
}

export function exportJson(rows: readonly unknown[]): string {
  return JSON.stringify(rows, null, 2) + '\n';
}

/**
 * The gradebook sheet: one row per student, one column per lab of the class (its grade in percent: the
 * sum of its steps' scores over its step count), then the steps passed, the hints used and the total in
 * percent over every step. Moodle, Canvas and the spreadsheets import this shape (docs/classroom.md).
 */
export type StudentRow = Record<string, string | number>;

export function studentColumns(cls: ClassRecord): string[] {
  return ['class', 'student', 'seat', ...cls.labs.map((l) => l.id), 'steps_passed', 'steps_total', 'hints_used', 'total'];
}

const percent = (score: number, steps: number) => (steps === 0 ? 0 : Math.round((score / steps) * 1000) / 10);

export function studentRows(cls: ClassRecord, rows: readonly ExportRow[]): StudentRow[] {
  const out: StudentRow[] = [];
  for (const seat of [...new Set(rows.map((r) => r.seat))]) {
    const mine = rows.filter((r) => r.seat === seat);
    const row: StudentRow = { class: cls.name, student: mine[0].student, seat };
    for (const lab of cls.labs) {
      const steps = mine.filter((r) => r.lab === lab.id);
      row[lab.id] = percent(steps.reduce((n, r) => n + r.score, 0), lab.steps.length);
    }
    row.steps_passed = mine.filter((r) => r.passed).length;
    row.steps_total = mine.length;
    row.hints_used = mine.reduce((n, r) => n + r.hints_used, 0);
    row.total = percent(mine.reduce((n, r) => n + r.score, 0), mine.length);
    out.push(row);
  }
  return out;
}
