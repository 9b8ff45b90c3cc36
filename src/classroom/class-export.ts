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

export function exportCsv(rows: readonly ExportRow[]): string {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const r of rows) lines.push(EXPORT_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function exportJson(rows: readonly ExportRow[]): string {
  return JSON.stringify(rows, null, 2) + '\n';
}
