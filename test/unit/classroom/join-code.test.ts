// Join codes: what a student can type, and each rule that refuses a join, as declared cases.
import assert from 'node:assert/strict';
import type { ClassRecord, JoinCode } from '../../../src/classroom/class-model.js';
import { CODE_ALPHABET, joinRefusal, joinRefusalMessage, newJoinCode, normalizeJoinCode } from '../../../src/classroom/join-code.js';

const cls: ClassRecord = { name: 'docker-101', labs: [{ id: 'l1', steps: ['a'] }], seats: 2, createdAt: '2026-12-06T09:00:00.000Z' };
const code: JoinCode = { code: 'K7P2Q', className: 'docker-101', createdAt: '2026-12-06T09:00:00.000Z', expiresAt: '2026-12-06T11:00:00.000Z' };
const at = (iso: string) => new Date(iso);

describe('join codes', () => {
  it('are five characters a projector cannot blur (no 0/O, 1/I/L)', () => {
    for (let i = 0; i < 200; i++) assert.match(newJoinCode(), /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{5}$/);
    assert.doesNotMatch(CODE_ALPHABET, /[01OIL]/);
    assert.equal(newJoinCode(() => 0), 'AAAAA');
  });

  it('are read as typed: lower case, spaces and dashes', () => {
    assert.equal(normalizeJoinCode(' k7p-2q '), 'K7P2Q');
  });

  const cases: { what: string; code?: JoinCode; cls?: ClassRecord; taken: number; now: string; want: string | undefined }[] = [
    { what: 'a live code of an open class with a free seat', code, cls, taken: 1, now: '2026-12-06T10:59:59.000Z', want: undefined },
    { what: 'an unknown code', cls, taken: 0, now: '2026-12-06T10:00:00.000Z', want: 'unknown-code' },
    { what: 'a revoked code', code: { ...code, revokedAt: '2026-12-06T09:30:00.000Z' }, cls, taken: 0, now: '2026-12-06T10:00:00.000Z', want: 'revoked' },
    { what: 'a code at its expiry time', code, cls, taken: 0, now: '2026-12-06T11:00:00.000Z', want: 'expired' },
    { what: 'a closed class', code, cls: { ...cls, closedAt: '2026-12-06T09:10:00.000Z' }, taken: 0, now: '2026-12-06T10:00:00.000Z', want: 'closed' },
    { what: 'a closed class, whose codes closing revoked', code: { ...code, revokedAt: '2026-12-06T09:10:00.000Z' }, cls: { ...cls, closedAt: '2026-12-06T09:10:00.000Z' }, taken: 0, now: '2026-12-06T10:00:00.000Z', want: 'closed' },
    { what: 'a full class', code, cls, taken: 2, now: '2026-12-06T10:00:00.000Z', want: 'full' },
  ];
  for (const c of cases) {
    it(`${c.want ?? 'lets in'}: ${c.what}`, () => {
      assert.equal(joinRefusal(c.code, c.cls, c.taken, at(c.now))?.reason, c.want);
    });
  }

  it('say why in both languages', () => {
    assert.match(joinRefusalMessage({ reason: 'expired', at: code.expiresAt }, 'en'), /expired.*new one/);
    assert.match(joinRefusalMessage({ reason: 'full', seats: 30 }, 'zh'), /已满.*30/);
  });
});
