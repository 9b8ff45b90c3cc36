// Who is calling the class server, and what they may read. Two kinds of token, never interchangeable:
// the teacher's (one per class, kept in classroom.db, printed by `class serve`) reads the whole class;
// a seat's (given once at join, kept by the student's boxlab) reports for that seat and reads that seat
// only. A token travels in `Authorization: Bearer`; the teacher's may also come as ?token= on a GET or a
// WebSocket upgrade (the teacher's page: /teacher?token=...). A browser request from another origin is refused
// whatever it carries (cross-site WebSocket hijacking). Pure.

export type Caller = { kind: 'teacher' } | { kind: 'student'; seatId: string } | { kind: 'anonymous' };

export interface CallerLookup {
  isTeacher(token: string): boolean;
  /** the seat of this class the token belongs to, if any */
  seatOf(token: string): string | undefined;
}

export function bearerToken(headers: Record<string, string | string[] | undefined>): string | undefined {
  const h = headers.authorization;
  const v = Array.isArray(h) ? h[0] : h;
  const m = v ? /^Bearer\s+(\S+)$/i.exec(v) : null;
  return m?.[1];
}

export function identify(headers: Record<string, string | string[] | undefined>, url: string, method: string, lookup: CallerLookup): Caller {
  const bearer = bearerToken(headers);
  if (bearer !== undefined) {
    if (lookup.isTeacher(bearer)) return { kind: 'teacher' };
    const seatId = lookup.seatOf(bearer);
    return seatId ? { kind: 'student', seatId } : { kind: 'anonymous' };
  }
  const query = new URL(url, 'http://x').searchParams.get('token');
  if (query !== null && method === 'GET' && lookup.isTeacher(query)) return { kind: 'teacher' };
  return { kind: 'anonymous' };
}

/** a seat's progress is the teacher's and that seat's own, nobody else's */
export function mayReadSeat(caller: Caller, seatId: string): boolean {
  return caller.kind === 'teacher' || (caller.kind === 'student' && caller.seatId === seatId);
}

/** an Origin header (browsers send one) that is not the server's own */
export function foreignOrigin(headers: Record<string, string | string[] | undefined>): string | undefined {
  const origin = Array.isArray(headers.origin) ? headers.origin[0] : headers.origin;
  const host = Array.isArray(headers.host) ? headers.host[0] : headers.host;
  if (origin === undefined) return undefined;
  return origin === `http://${host ?? ''}` ? undefined : origin;
}
