// The class store on a real SQLite file: what a restarted class server finds, the attempt numbers,
// tokens stored hashed, codes that expire and are revoked, a closed class.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClassStore, JoinRefused } from '../../../src/classroom/class-store.js';
import { isAppError } from '../../../src/core/errors.js';

const labs = [{ id: 'l1', steps: ['a', 'b'] }];
const report = (stepIndex: number, passed: boolean, at: string) => ({ labId: 'l1', stepIndex, stepId: ['a', 'b'][stepIndex], stepCount: 2, passed, checksPassed: passed ? 1 : 0, checksTotal: 1, at });

describe('class store (SQLite)', () => {
  let dir: string;
  let clock: number;
  const now = () => new Date(clock);
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-class-store-'));
    clock = Date.parse('2026-12-06T09:00:00Z');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps classes, seats and results across a reopen, with attempts numbered per step', () => {
    const file = path.join(dir, 'classroom.db');
    const a = new ClassStore(file, now);
    const { code, teacherToken } = a.create('docker-101', labs, 3);
    const { seat, token } = a.join(code.code.toLowerCase(), ' Student 7 ');
    assert.equal(seat.name, 'Student 7');
    assert.equal(a.recordCheck(seat.id, 'r1', report(0, false, 'T1')).attempt, 1);
    assert.equal(a.recordCheck(seat.id, 'r2', report(0, true, 'T2')).attempt, 2);
    assert.equal(a.recordCheck(seat.id, 'r2', report(0, true, 'T2')).attempt, 2, 'a report sent again is stored once');
    assert.equal(a.recordCheck(seat.id, 'r3', report(1, false, 'T3')).attempt, 1);
    a.recordHints(seat.id, { labId: 'l1', stepIndex: 0, stepId: 'a', shown: 2, at: 'T1' });
    a.recordHints(seat.id, { labId: 'l1', stepIndex: 0, stepId: 'a', shown: 1, at: 'T2' });
    a.close();

    const b = new ClassStore(file, now);
    assert.equal(b.seatByToken(token)?.id, seat.id);
    assert.equal(b.classForTeacher(teacherToken)?.name, 'docker-101');
    assert.equal(b.classForTeacher(token), undefined, 'a student token is not a teacher token');
    assert.deepEqual(b.results('docker-101').map((r) => [r.stepId, r.passed, r.attempt]), [['a', false, 1], ['a', true, 2], ['b', false, 1]]);
    assert.equal(b.hints('docker-101')[0].shown, 2, 'the hint count never goes down');
    b.close();
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(!readFileSync(file).includes(Buffer.from(token)), 'the student token is not in the file');
  });

  it('refuses expired, revoked and closed-class codes, a full class and a name taken', () => {
    const s = new ClassStore(':memory:', now);
    const { code } = s.create('c', labs, 2, 60_000);
    s.join(code.code, 'A');
    assert.throws(() => s.join(code.code, 'A'), (e) => isAppError(e, 'ALREADY_EXISTS'));
    const second = s.newCode('c');
    s.revokeCode('c', second.code);
    assert.throws(() => s.join(second.code, 'B'), (e) => e instanceof JoinRefused && e.refusal.reason === 'revoked');
    clock += 60_000;
    assert.throws(() => s.join(code.code, 'B'), (e) => e instanceof JoinRefused && e.refusal.reason === 'expired');
    assert.equal(s.liveCode('c'), undefined);
    const third = s.newCode('c');
    assert.equal(s.liveCode('c')?.code, third.code);
    s.join(third.code, 'B');
    assert.throws(() => s.join(third.code, 'C'), (e) => e instanceof JoinRefused && e.refusal.reason === 'full');
    s.closeClass('c');
    assert.ok(s.code(third.code)?.revokedAt, 'closing revokes the codes');
    assert.throws(() => s.newCode('c'), (e) => isAppError(e, 'FAILED_PRECONDITION'));
    s.close();
  });

  it('names what is wrong: a bad or taken class name, an unknown class', () => {
    const s = new ClassStore(':memory:', now);
    assert.throws(() => s.create('Docker 101', labs, 3), /class name "Docker 101" is not valid/);
    s.create('c', labs, 3);
    assert.throws(() => s.create('c', labs, 3), (e) => isAppError(e, 'ALREADY_EXISTS'));
    assert.throws(() => s.get('d'), (e) => isAppError(e, 'NOT_FOUND') && e.suggestions[0] === 'classes here: c');
    s.close();
  });
});
