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

  it('keeps heartbeats (down since the first down one), broadcasts with their time, and hands a reset out once', () => {
    const store = new ClassStore(path.join(dir, 'classroom.db'), now);
    store.create('c', labs, 5);
    const code = store.liveCode('c')!.code;
    const { seat } = store.join(code, 'Ana');
    assert.equal(store.deadAfterMs('c'), 60_000);
    store.setDeadAfter('c', 5_000);
    assert.equal(store.deadAfterMs('c'), 5_000);
    assert.equal(store.heartbeat(seat.id, 'up').before, undefined);
    clock += 1000;
    store.heartbeat(seat.id, 'down');
    clock += 1000;
    const { now: hb } = store.heartbeat(seat.id, 'down');
    assert.deepEqual(hb, { seatId: seat.id, at: '2026-12-06T09:00:02.000Z', sandbox: 'down', downSince: '2026-12-06T09:00:01.000Z' });
    assert.equal(store.heartbeat(seat.id, 'up').now.downSince, undefined);

    const b1 = store.broadcast('c', '  hello  ');
    const b2 = store.broadcast('c', 'second');
    assert.deepEqual({ text: b1.text, at: b1.at }, { text: 'hello', at: '2026-12-06T09:00:02.000Z' });
    assert.deepEqual(store.broadcasts('c', b1.id).map((b) => b.text), ['second']);
    assert.equal(b2.id > b1.id, true);
    assert.throws(() => store.broadcast('c', ' '), /1 to 500 characters, not 0/);

    const first = store.requestReset(seat.id, 'l1', 1);
    const second = store.requestReset(seat.id, 'l1', 2);
    assert.equal(store.command(first.id)!.state, 'failed', 'a newer reset replaces a pending one');
    assert.deepEqual(store.claimCommands(seat.id).map((c) => [c.id, c.state, c.step]), [[second.id, 'sent', 2]]);
    assert.deepEqual(store.claimCommands(seat.id), [], 'handed out once');
    const done = store.finishCommand(seat.id, second.id, true, 'now at step 2/2');
    assert.deepEqual({ state: done.state, message: done.message }, { state: 'done', message: 'now at step 2/2' });
    const other = store.join(code, 'Bo').seat;
    assert.throws(() => store.finishCommand(other.id, second.id, true, 'x'), /not one of this seat/);
    store.close();
  });
});
