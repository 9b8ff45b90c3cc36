// The terminal's WebSocket message protocol (docs/web-protocol.md): small JSON text frames in both
// directions. Pure encode/decode so the server, the browser client and the benchmark share one
// definition, and a malformed frame from the network becomes a typed error instead of a crash.

/** browser -> server */
export type ClientMessage =
  | { t: 'data'; d: string }
  | { t: 'resize'; cols: number; rows: number }
  /** xterm.js flow control: the client has written this many characters into the terminal */
  | { t: 'ack'; n: number }
  | { t: 'ping' };

/** server -> browser */
export type ServerMessage =
  /** first frame: which session this socket is attached to, and whether output was replayed */
  | { t: 'hello'; session: string; pid: number; resumed: boolean }
  | { t: 'data'; d: string }
  | { t: 'exit'; code: number; signal?: number }
  | { t: 'error'; message: string }
  | { t: 'pong' };

export const MAX_COLS = 1000;
export const MAX_ROWS = 500;

export function encodeMessage(m: ClientMessage | ServerMessage): string {
  return JSON.stringify(m);
}

export type Decoded<T> = { ok: true; message: T } | { ok: false; error: string };

const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= max;

/** what the server accepts from a browser; anything else is refused with a reason */
export function decodeClientMessage(raw: string): Decoded<ClientMessage> {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'terminal message is not JSON' };
  }
  if (typeof v !== 'object' || v === null) return { ok: false, error: 'terminal message is not an object' };
  const m = v as Record<string, unknown>;
  switch (m.t) {
    case 'data':
      return typeof m.d === 'string' ? { ok: true, message: { t: 'data', d: m.d } } : { ok: false, error: 'data message needs a string "d"' };
    case 'resize':
      return isCount(m.cols, MAX_COLS) && isCount(m.rows, MAX_ROWS)
        ? { ok: true, message: { t: 'resize', cols: m.cols, rows: m.rows } }
        : { ok: false, error: `resize message needs integer cols 1-${MAX_COLS} and rows 1-${MAX_ROWS}` };
    case 'ack':
      return typeof m.n === 'number' && Number.isInteger(m.n) && m.n >= 0
        ? { ok: true, message: { t: 'ack', n: m.n } }
        : { ok: false, error: 'ack message needs a non-negative integer "n"' };
    case 'ping':
      return { ok: true, message: { t: 'ping' } };
    default:
      return { ok: false, error: `unknown terminal message type ${JSON.stringify(m.t)}: expected data, resize, ack or ping` };
  }
}

/** what a client accepts from the server */
export function decodeServerMessage(raw: string): Decoded<ServerMessage> {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'server message is not JSON' };
  }
  const m = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  switch (m.t) {
    case 'hello':
      return typeof m.session === 'string' && typeof m.pid === 'number' && typeof m.resumed === 'boolean'
        ? { ok: true, message: { t: 'hello', session: m.session, pid: m.pid, resumed: m.resumed } }
        : { ok: false, error: 'hello message needs session, pid and resumed' };
    case 'data':
      return typeof m.d === 'string' ? { ok: true, message: { t: 'data', d: m.d } } : { ok: false, error: 'data message needs a string "d"' };
    case 'exit': {
      if (typeof m.code !== 'number') return { ok: false, error: 'exit message needs a numeric code' };
      const out: ServerMessage = { t: 'exit', code: m.code };
      if (typeof m.signal === 'number') out.signal = m.signal;
      return { ok: true, message: out };
    }
    case 'error':
      return typeof m.message === 'string' ? { ok: true, message: { t: 'error', message: m.message } } : { ok: false, error: 'error message needs a message' };
    case 'pong':
      return { ok: true, message: { t: 'pong' } };
    default:
      return { ok: false, error: `unknown server message type ${JSON.stringify(m.t)}` };
  }
}
