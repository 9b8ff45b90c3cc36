// The gradebook rows: every step of every lab for every student, attempts until the pass, partial
// credit, and CSV a spreadsheet reads without running a student's name as a formula.
import assert from 'node:assert/strict';
import type { CheckResult, ClassRecord, Seat } from '../../../src/classroom/class-model.js';
import { csvCell, EXPORT_COLUMNS, exportCsv, exportRows, studentColumns, studentRows, toCsv } from '../../../src/classroom/class-export.js';

const cls: ClassRecord = { name: 'c', labs: [{ id: 'l1', steps: ['a', 'b'] }], seats: 10, createdAt: '2026-12-06T09:00:00.000Z' };
const seats: Seat[] = [
  { id: 's2', className: 'c', name: 'Bo', joinedAt: 't', lastSeenAt: 't' },
  { id: 's1', className: 'c', name: 'Ana', joinedAt: 't', lastSeenAt: 't' },
];
const r = (seatId: string, stepIndex: number, passed: boolean, checksPassed: number, attempt: number, at: string): CheckResult => ({
  seatId,
  labId: 'l1',
  stepIndex,
  stepId: ['a', 'b'][stepIndex],
  stepCount: 2,
  passed,
  checksPassed,
  checksTotal: 3,
  at,
  attempt,
});

describe('class export', () => {
  const results = [r('s1', 0, false, 1, 1, 'T1'), r('s1', 0, false, 2, 2, 'T2'), r('s1', 0, true, 3, 3, 'T3'), r('s1', 0, true, 3, 4, 'T4'), r('s1', 1, false, 2, 1, 'T5')];
  const rows = exportRows(cls, seats, results, [{ seatId: 's1', labId: 'l1', stepIndex: 0, stepId: 'a', shown: 2, at: 'T2' }]);

  it('has a row per student and step, students by name, never-tried steps included', () => {
    assert.deepEqual(
      rows.map((x) => `${x.student}/${x.step_number}/${x.step_id}`),
      ['Ana/1/a', 'Ana/2/b', 'Bo/1/a', 'Bo/2/b'],
    );
    assert.deepEqual(rows[2], {
      class: 'c', student: 'Bo', seat: 's2', lab: 'l1', step_number: 1, step_id: 'a', passed: false, passed_at: null,
      attempts: 0, hints_used: 0, score: 0, first_attempt_at: null, last_attempt_at: null,
    });
  });

  it('counts attempts until the pass, keeps the first pass time, gives partial credit to a step not passed', () => {
    assert.deepEqual([rows[0].passed, rows[0].passed_at, rows[0].attempts, rows[0].hints_used, rows[0].score, rows[0].first_attempt_at, rows[0].last_attempt_at], [true, 'T3', 3, 2, 1, 'T1', 'T4']);
    assert.deepEqual([rows[1].passed, rows[1].attempts, rows[1].score], [false, 1, 0.67]);
  });

  it('writes RFC 4180 CSV with the columns in order, CRLF, 1/0 for passed', () => {
    const csv = exportCsv(rows);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], EXPORT_COLUMNS.join(','));
    assert.equal(lines[1], 'c,Ana,s1,l1,1,a,1,T3,3,2,1,T1,T4');
    assert.equal(lines[3], 'c,Bo,s2,l1,1,a,0,,0,0,0,,');
    assert.equal(lines.at(-1), '');
  });

  it('quotes commas, quotes and newlines, and defuses formulas in names', () => {
    assert.equal(csvCell('Li, Wei'), '"Li, Wei"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvCell('@sum'), "'@sum");
    assert.equal(csvCell('-1'), "'-1");
    assert.equal(csvCell(-1), '-1');
    assert.equal(csvCell('学生 7'), '学生 7');
  });

  it('makes the gradebook sheet: a row per student, a grade in percent per lab, the total', () => {
    const two: ClassRecord = { ...cls, labs: [...cls.labs, { id: 'l2', steps: ['x'] }] };
    const sheet = studentRows(two, exportRows(two, seats, results, [{ seatId: 's1', labId: 'l1', stepIndex: 0, stepId: 'a', shown: 2, at: 'T2' }]));
    assert.deepEqual(sheet, [
      { class: 'c', student: 'Ana', seat: 's1', l1: 83.5, l2: 0, steps_passed: 1, steps_total: 3, hints_used: 2, total: 55.7 },
      { class: 'c', student: 'Bo', seat: 's2', l1: 0, l2: 0, steps_passed: 0, steps_total: 3, hints_used: 0, total: 0 },
    ]);
    assert.equal(toCsv(studentColumns(two), sheet).split('\r\n')[1], 'c,Ana,s1,83.5,0,1,3,2,55.7');
  });
});

