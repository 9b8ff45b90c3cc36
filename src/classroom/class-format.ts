// The teacher's terminal views of a class: the status table (stuck students first, as class-status.ts
// sorts them) and the lines `class create` and `class code` print. Pure.
import type { JoinCode } from './class-model.js';
import type { ClassStatus } from './class-service.js';

export function formatIdle(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatCode(code: JoinCode, now: Date = new Date()): string {
  if (code.revokedAt) return `${code.code} (revoked ${code.revokedAt})`;
  const left = Date.parse(code.expiresAt) - now.getTime();
  return left > 0 ? `${code.code} (expires in ${formatIdle(left)}, at ${code.expiresAt})` : `${code.code} (expired ${code.expiresAt})`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

export function formatStatus(s: ClassStatus, now: Date = new Date()): string {
  const head = [
    `class ${s.cls.name}${s.cls.closedAt ? ` (closed ${s.cls.closedAt})` : ''}: ${s.seatsTaken}/${s.cls.seats} seats, labs ${s.cls.labs.map((l) => l.id).join(', ')}`,
    s.code ? `join code: ${formatCode(s.code, now)}` : s.cls.closedAt ? '' : `no live join code: boxlab class code ${s.cls.name}`,
  ].filter((l) => l !== '');
  head.push(`a seat whose boxlab is silent for ${formatIdle(s.deadAfterMs)} shows dead (class serve --dead-after)`);
  if (s.students.length === 0) return [...head, 'no student has joined yet'].join('\n');
  const rows = [['STATE', 'STUDENT', 'LAB', 'STEP', 'LAST CHECK', 'FAILED', 'HINTS', 'IDLE']];
  for (const r of s.students) {
    const step = r.step > r.stepCount ? 'done' : `${r.step}/${r.stepCount}`;
    const last = r.lastCheck ? `${r.lastCheck.stepId} ${r.lastCheck.passed ? 'passed' : 'failed'} ${r.lastCheck.checksPassed}/${r.lastCheck.checksTotal}` : '-';
    const state = r.dead ? `dead (${r.dead.why === 'silent' ? 'silent' : 'sandbox down'} since ${r.dead.since.slice(11, 19)} UTC)` : r.state;
    rows.push([state, r.name, r.labId, step, last, String(r.failedAttempts), String(r.hintsUsed), formatIdle(r.idleMs)]);
  }
  return [...head, '', table(rows)].join('\n');
}
