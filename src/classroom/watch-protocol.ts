// The frames of terminal watch (ADR 0020, docs/web-protocol.md): small JSON text frames on two
// WebSockets of the class server. The seat socket (/api/seats/me/terminal, the student's `boxlab serve`
// connects out with its seat token) carries that seat's terminal sessions up and the teacher's requests
// down; the watch socket (/api/teacher/watch/<seat>, the teacher's page) carries one seat's sessions
// down and the teacher's help up. Pure decode, so a malformed frame from the network is a typed
// refusal, never a crash.

/** what a terminal session does, as mirrored from the student's hub (and replayed) */
export type SessionFrame =
  | { t: 'open'; session: string; cols: number; rows: number }
  | { t: 'data'; session: string; d: string }
  | { t: 'resize'; session: string; cols: number; rows: number }
  | { t: 'close'; session: string };

export type HelpState = 'none' | 'asked' | 'allowed' | 'refused' | 'stopped';

/** the student's boxlab -> the class server */
export type SeatUpFrame =
  | SessionFrame
  /** how many terminals the student has open (sent on every change, watched or not: it is no terminal content) */
  | { t: 'sessions'; n: number }
  /** the student's answer to the teacher's request, or their stop */
  | { t: 'help'; state: HelpState }
  /** an engine trace event of the student's sandbox (only while recorded) */
  | { t: 'trace'; at: string; event: unknown };

/** the class server -> the student's boxlab */
export type SeatDownFrame =
  /** send the sessions (scrollback first) and what follows; record: the class keeps a replay */
  | { t: 'watch-start'; record: boolean }
  | { t: 'watch-stop' }
  | { t: 'help-request' }
  /** the teacher stopped helping */
  | { t: 'help-end' }
  | { t: 'input'; session?: string; d: string };

/** the teacher's page -> the class server */
export type WatcherUpFrame = { t: 'help-request' } | { t: 'help-stop' } | { t: 'input'; session?: string; d: string } | { t: 'ack'; n: number };

/** the class server -> the teacher's page */
export type WatcherDownFrame =
  | SessionFrame
  /** the whole last screen of a session (a slow page that fell behind gets this instead of every byte) */
  | { t: 'screen'; session: string; d: string }
  /** whether the seat's boxlab is connected and how many terminals it has; 0 or offline: "no terminal to watch" */
  | { t: 'seat'; online: boolean; sessions: number }
  | { t: 'help'; state: HelpState };

export const MAX_INPUT_CHARS = 4096;
const MAX_DIM = 1000;

type Decoded<T> = { ok: true; frame: T } | { ok: false; error: string };

function parse(raw: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const dim = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= MAX_DIM;
const sessionId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);
const HELP_STATES: readonly HelpState[] = ['none', 'asked', 'allowed', 'refused', 'stopped'];

export function decodeSessionFrame(m: Record<string, unknown>): SessionFrame | undefined {
  if (!sessionId(m.session)) return undefined;
  if (m.t === 'open' && dim(m.cols) && dim(m.rows)) return { t: 'open', session: m.session, cols: m.cols, rows: m.rows };
  if (m.t === 'data' && typeof m.d === 'string') return { t: 'data', session: m.session, d: m.d };
  if (m.t === 'resize' && dim(m.cols) && dim(m.rows)) return { t: 'resize', session: m.session, cols: m.cols, rows: m.rows };
  if (m.t === 'close') return { t: 'close', session: m.session };
  return undefined;
}

export function decodeSeatUp(raw: string): Decoded<SeatUpFrame> {
  const m = parse(raw);
  if (!m) return { ok: false, error: 'a seat frame must be a JSON object' };
  const s = decodeSessionFrame(m);
  if (s) return { ok: true, frame: s };
  if (m.t === 'sessions' && typeof m.n === 'number' && Number.isInteger(m.n) && m.n >= 0) return { ok: true, frame: { t: 'sessions', n: m.n } };
  if (m.t === 'help' && HELP_STATES.includes(m.state as HelpState)) return { ok: true, frame: { t: 'help', state: m.state as HelpState } };
  if (m.t === 'trace' && typeof m.at === 'string' && !Number.isNaN(Date.parse(m.at))) return { ok: true, frame: { t: 'trace', at: new Date(m.at).toISOString(), event: m.event } };
  return { ok: false, error: `not a seat frame: ${JSON.stringify(m.t)} (open, data, resize, close, sessions, help, trace)` };
}

export function decodeSeatDown(raw: string): Decoded<SeatDownFrame> {
  const m = parse(raw);
  if (!m) return { ok: false, error: 'a class server frame must be a JSON object' };
  if (m.t === 'watch-start') return { ok: true, frame: { t: 'watch-start', record: m.record === true } };
  if (m.t === 'watch-stop' || m.t === 'help-request' || m.t === 'help-end') return { ok: true, frame: { t: m.t } };
  if (m.t === 'input' && typeof m.d === 'string' && m.d.length <= MAX_INPUT_CHARS) return { ok: true, frame: sessionId(m.session) ? { t: 'input', session: m.session, d: m.d } : { t: 'input', d: m.d } };
  return { ok: false, error: `not a class server frame: ${JSON.stringify(m.t)}` };
}

export function decodeWatcherUp(raw: string): Decoded<WatcherUpFrame> {
  const m = parse(raw);
  if (!m) return { ok: false, error: 'a watch frame must be a JSON object' };
  if (m.t === 'help-request' || m.t === 'help-stop') return { ok: true, frame: { t: m.t } };
  if (m.t === 'input' && typeof m.d === 'string' && m.d.length > 0 && m.d.length <= MAX_INPUT_CHARS) return { ok: true, frame: sessionId(m.session) ? { t: 'input', session: m.session, d: m.d } : { t: 'input', d: m.d } };
  if (m.t === 'ack' && typeof m.n === 'number' && Number.isInteger(m.n) && m.n >= 0) return { ok: true, frame: { t: 'ack', n: m.n } };
  return { ok: false, error: `not a watch frame: ${JSON.stringify(m.t)} (help-request, help-stop, input, ack)` };
}

export function decodeWatcherDown(raw: string): Decoded<WatcherDownFrame> {
  const m = parse(raw);
  if (!m) return { ok: false, error: 'a watch frame must be a JSON object' };
  const s = decodeSessionFrame(m);
  if (s) return { ok: true, frame: s };
  if (m.t === 'screen' && sessionId(m.session) && typeof m.d === 'string') return { ok: true, frame: { t: 'screen', session: m.session, d: m.d } };
  if (m.t === 'seat' && typeof m.online === 'boolean' && typeof m.sessions === 'number') return { ok: true, frame: { t: 'seat', online: m.online, sessions: m.sessions } };
  if (m.t === 'help' && HELP_STATES.includes(m.state as HelpState)) return { ok: true, frame: { t: 'help', state: m.state as HelpState } };
  return { ok: false, error: `not a watch frame: ${JSON.stringify(m.t)}` };
}
