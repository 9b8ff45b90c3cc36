// The class server's bodies parsed at the edge: what a report is, and what is refused with words.
import assert from 'node:assert/strict';
import { parseJoinRequest, parseReportRequest } from '../../../src/classroom/class-protocol.js';

const check = { kind: 'check', id: 'r1', labId: '03-overlayfs', stepIndex: 0, stepId: 'mount', stepCount: 4, passed: false, checksPassed: 0, checksTotal: 2, at: '2026-12-06T10:00:00+01:00' };

describe('class protocol', () => {
  it('parses a check report, with its time in UTC', () => {
    assert.deepEqual(parseReportRequest(check), { ...check, at: '2026-12-06T09:00:00.000Z' });
  });

  it('parses a hint report', () => {
    assert.deepEqual(parseReportRequest({ kind: 'hint', id: 'h', labId: 'l', stepIndex: 1, stepId: 's', shown: 2, at: '2026-12-06T09:00:00Z' }), {
      kind: 'hint', id: 'h', labId: 'l', stepIndex: 1, stepId: 's', shown: 2, at: '2026-12-06T09:00:00.000Z',
    });
  });

  const bad: [string, unknown, RegExp][] = [
    ['an array', [], /expected a JSON object, found an array/],
    ['an unknown kind', { ...check, kind: 'terminal' }, /"kind" must be "check" or "hint", found "terminal"/],
    ['more checks passed than there are', { ...check, checksPassed: 3 }, /3 checks passed out of 2/],
    ['a step past the lab', { ...check, stepIndex: 4 }, /step index 4 is past the lab's 4 steps/],
    ['a time that is not one', { ...check, at: 'yesterday' }, /"at" must be an ISO 8601 time, found "yesterday"/],
    ['passed as a string', { ...check, passed: 'yes' }, /"passed" must be true or false/],
    ['no id', { ...check, id: '' }, /"id" must be a string/],
  ];
  for (const [what, body, message] of bad) it(`refuses ${what}`, () => assert.throws(() => parseReportRequest(body), message));

  it('parses a join and refuses one without a name', () => {
    assert.deepEqual(parseJoinRequest({ code: 'K7P2Q', name: 'Student 7' }), { code: 'K7P2Q', name: 'Student 7' });
    assert.throws(() => parseJoinRequest({ code: 'K7P2Q' }), /"name" must be a string of 1 to 80 characters, found nothing/);
  });
});
