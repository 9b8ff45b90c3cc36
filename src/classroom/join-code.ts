// Join codes: the short code a teacher writes on the board (K7P2Q) and a student types with `boxlab class
// join --code`. A code only opens a seat; after that the student's boxlab holds its own seat token. Codes
// expire and can be revoked, and a closed or full class takes no one: joinRefusal says which rule refused
// a join, so the server answers with the reason and the way out. Pure.
import { randomInt } from 'node:crypto';
import type { ClassRecord, JoinCode } from './class-model.js';

/** no 0/O, 1/I/L: a code read off a projector is typed right */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 5;
/** a code lasts a lesson unless the teacher says otherwise (`class code --ttl`) */
export const DEFAULT_CODE_TTL_MS = 2 * 60 * 60 * 1000;

export function newJoinCode(random: (max: number) => number = randomInt): string {
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += CODE_ALPHABET[random(CODE_ALPHABET.length)];
  return out;
}

/** what a student typed, as stored: upper case, no spaces or dashes ("k7p2q", "K7P-2Q" are K7P2Q) */
export function normalizeJoinCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

export type JoinRefusal =
  | { reason: 'unknown-code' }
  | { reason: 'revoked'; at: string }
  | { reason: 'expired'; at: string }
  | { reason: 'closed'; at: string }
  | { reason: 'full'; seats: number };

/** why this join cannot happen, or undefined when it can */
export function joinRefusal(code: JoinCode | undefined, cls: ClassRecord | undefined, seatsTaken: number, now: Date): JoinRefusal | undefined {
  if (!code || !cls) return { reason: 'unknown-code' };
  // closing revokes every code: "closed" is what the student needs to hear then
  if (cls.closedAt) return { reason: 'closed', at: cls.closedAt };
  if (code.revokedAt) return { reason: 'revoked', at: code.revokedAt };
  if (Date.parse(code.expiresAt) <= now.getTime()) return { reason: 'expired', at: code.expiresAt };
  if (seatsTaken >= cls.seats) return { reason: 'full', seats: cls.seats };
  return undefined;
}

/** the refusal in words a student reads, with what to do (en; the server sends both languages) */
export function joinRefusalMessage(r: JoinRefusal, lang: 'en' | 'zh'): string {
  const en = {
    'unknown-code': 'this join code is not known to the class server: check it with your teacher',
    revoked: 'this join code was revoked by the teacher: ask for the new one',
    expired: 'this join code has expired: ask your teacher for a new one (boxlab class code <class>)',
    closed: 'this class is closed: it takes no new students',
    full: `this class is full (${r.reason === 'full' ? r.seats : 0} seats): ask your teacher to add seats`,
  } as const;
  const zh = {
    'unknown-code': '课堂服务器不认识这个加入码：请和老师核对一下',
    revoked: '老师已经作废了这个加入码：请向老师要新的加入码',
    expired: '这个加入码已经过期：请老师生成一个新的（boxlab class code <课堂名>）',
    closed: '这个课堂已经结束，不再接收新同学',
    full: `这个课堂已满（共 ${r.reason === 'full' ? r.seats : 0} 个座位）：请老师增加座位`,
  } as const;
  return (lang === 'zh' ? zh : en)[r.reason];
}
