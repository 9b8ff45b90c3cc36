// Who a request is and what it may read: the teacher token and seat tokens never stand for each other.
import assert from 'node:assert/strict';
import { foreignOrigin, identify, mayReadSeat } from '../../../src/classroom/class-auth.js';

const lookup = { isTeacher: (t: string) => t === 'TEACH', seatOf: (t: string) => ({ ANA: 's1', BO: 's2' })[t] };
const who = (headers: Record<string, string>, url = '/api/status', method = 'GET') => identify(headers, url, method, lookup);

describe('class server auth', () => {
  it('tells the teacher, a seat and nobody apart by the bearer token', () => {
    assert.deepEqual(who({ authorization: 'Bearer TEACH' }), { kind: 'teacher' });
    assert.deepEqual(who({ authorization: 'bearer ANA' }), { kind: 'student', seatId: 's1' });
    assert.deepEqual(who({ authorization: 'Bearer nope' }), { kind: 'anonymous' });
    assert.deepEqual(who({}), { kind: 'anonymous' });
  });

  it("takes ?token= for the teacher's GETs only, never a seat token that way", () => {
    assert.deepEqual(who({}, '/api/status?token=TEACH'), { kind: 'teacher' });
    assert.deepEqual(who({}, '/api/reports?token=TEACH', 'POST'), { kind: 'anonymous' });
    assert.deepEqual(who({}, '/api/seats/me?token=ANA'), { kind: 'anonymous' });
  });

  it("lets a seat read only itself, the teacher every seat", () => {
    assert.equal(mayReadSeat({ kind: 'student', seatId: 's1' }, 's1'), true);
    assert.equal(mayReadSeat({ kind: 'student', seatId: 's1' }, 's2'), false);
    assert.equal(mayReadSeat({ kind: 'teacher' }, 's2'), true);
    assert.equal(mayReadSeat({ kind: 'anonymous' }, 's1'), false);
  });

  it('refuses a browser request from another origin', () => {
    assert.equal(foreignOrigin({ host: '10.0.0.5:7733', origin: 'http://10.0.0.5:7733' }), undefined);
    assert.equal(foreignOrigin({ host: '10.0.0.5:7733' }), undefined);
    assert.equal(foreignOrigin({ host: '10.0.0.5:7733', origin: 'http://evil.example' }), 'http://evil.example');
  });
});
