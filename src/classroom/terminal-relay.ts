// The class server's side of terminal watch (ADR 0020): the seats' sockets (each student's `boxlab
// serve` connects out, /api/seats/me/terminal) and the teacher's watch sockets (/api/teacher/watch/<seat>).
// A seat sends its terminals only while someone watches it (or the class is recorded, ADR 0024): the
// relay says watch-start when the first watcher comes and watch-stop when the last goes. Frames go one
// way, seat to watchers; a watcher that reads slower than the student's terminal writes (flow control as
// the web terminal's) is sent the session's last screen when it has caught up, instead of every byte
// piling up here. The teacher's help requests and keystrokes go the other way; whether a keystroke
// reaches the shell is the student's side's decision (their consent), not the relay's.
import type { WebSocket } from 'ws';
import { FlowControl, type FlowLimits } from '../web/terminal/flow-control.js';
import { Scrollback } from '../web/terminal/scrollback.js';
import type { Recordable, ReplayLog } from './replay-log.js';
import { decodeSeatUp, decodeWatcherUp, type HelpState, type SeatDownFrame, type WatcherDownFrame } from './watch-protocol.js';

/** the last screen of a session the relay keeps while it is watched, for a late or slow watcher */
export const SCREEN_CHARS = 64 * 1024;

export interface RelayOptions {
  /** keep every seat's terminals in the replay log, watched or not (`class serve --record`) */
  record: boolean;
  replay: ReplayLog;
  now: () => Date;
  log: (line: string) => void;
  seatName: (seatId: string) => string;
  flow?: FlowLimits;
}

interface SeatLink {
  ws: WebSocket;
  /** terminals open on the student's side (told even when unwatched) */
  sessions: number;
  sending: boolean;
  /** the sessions mirrored since watch-start, with their last screen */
  screens: Map<string, { cols: number; rows: number; screen: Scrollback }>;
  help: HelpState;
}

interface Watcher {
  ws: WebSocket;
  flow: FlowControl;
  /** fell behind: data is not sent until the socket drains, then the last screens are */
  behind: boolean;
  drainTimer?: NodeJS.Timeout;
}

export interface SeatTerminalStats {
  seatId: string;
  online: boolean;
  sessions: number;
  watchers: number;
  /** terminal frames (open, data, resize, close) this seat sent since the server started */
  frames: number;
  help: HelpState;
}

const FLUSH_MS = 250;
const BURST_MS = 20;

export class TerminalRelay {
  private readonly seats = new Map<string, SeatLink>();
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly frames = new Map<string, number>();
  private pending = new Map<string, Array<{ at: string; frame: Recordable; lastMs: number }>>();
  private readonly flushTimer: NodeJS.Timeout;

  constructor(private readonly options: RelayOptions) {
    this.flushTimer = setInterval(() => this.flush(), FLUSH_MS);
    this.flushTimer.unref();
  }

  stats(): SeatTerminalStats[] {
    const ids = new Set([...this.seats.keys(), ...this.watchers.keys(), ...this.frames.keys()]);
    return [...ids].sort().map((seatId) => {
      const link = this.seats.get(seatId);
      return { seatId, online: link !== undefined, sessions: link?.sessions ?? 0, watchers: this.watchers.get(seatId)?.size ?? 0, frames: this.frames.get(seatId) ?? 0, help: link?.help ?? 'none' };
    });
  }

  /** a student's boxlab connected with its seat token */
  attachSeat(seatId: string, ws: WebSocket): void {
    const old = this.seats.get(seatId);
    if (old) {
      this.seats.delete(seatId);
      old.ws.close(4000, 'another boxlab of this seat connected');
    }
    const link: SeatLink = { ws, sessions: 0, sending: false, screens: new Map(), help: 'none' };
    this.seats.set(seatId, link);
    this.updateSending(seatId);
    ws.on('message', (raw: Buffer) => this.fromSeat(seatId, link, raw.toString('utf8')));
    ws.on('close', () => {
      if (this.seats.get(seatId) !== link) return;
      this.seats.delete(seatId);
      this.toWatchers(seatId, { t: 'seat', online: false, sessions: 0 });
      if (link.help === 'allowed' || link.help === 'asked') this.toWatchers(seatId, { t: 'help', state: 'none' });
    });
  }

  /** the teacher's page watches a seat */
  attachWatcher(seatId: string, ws: WebSocket): void {
    const w: Watcher = { ws, flow: new FlowControl(this.options.flow), behind: false };
    let set = this.watchers.get(seatId);
    if (!set) this.watchers.set(seatId, (set = new Set()));
    set.add(w);
    const link = this.seats.get(seatId);
    this.send(w, { t: 'seat', online: link !== undefined, sessions: link?.sessions ?? 0 });
    if (link) {
      this.send(w, { t: 'help', state: link.help });
      // sessions already mirrored (another watcher, or a recorded class): their last screen now
      for (const [session, s] of link.screens) {
        this.send(w, { t: 'open', session, cols: s.cols, rows: s.rows });
        const d = s.screen.text();
        if (d) this.send(w, { t: 'screen', session, d });
      }
    }
    this.updateSending(seatId);
    ws.on('message', (raw: Buffer) => this.fromWatcher(seatId, w, raw.toString('utf8')));
    ws.on('close', () => {
      if (w.drainTimer) clearInterval(w.drainTimer);
      set.delete(w);
      if (set.size === 0) {
        this.watchers.delete(seatId);
        // the last watcher left: help ends with it
        const l = this.seats.get(seatId);
        if (l && (l.help === 'allowed' || l.help === 'asked')) this.toSeat(seatId, { t: 'help-end' });
      }
      this.updateSending(seatId);
    });
  }

  close(): void {
    clearInterval(this.flushTimer);
    this.flush();
    for (const l of this.seats.values()) l.ws.terminate();
    for (const set of this.watchers.values()) for (const w of set) w.ws.terminate();
  }

  /** flushes the replay rows gathered since the last flush (one transaction per seat) */
  flush(): void {
    const pending = this.pending;
    this.pending = new Map();
    for (const [seatId, items] of pending) {
      try {
        this.options.replay.record(seatId, items);
      } catch (err) {
        this.options.log(`the replay of ${this.options.seatName(seatId)} was not saved: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private keep(seatId: string, frame: Recordable): void {
    if (!this.options.record) return;
    let items = this.pending.get(seatId);
    if (!items) this.pending.set(seatId, (items = []));
    const last = items.at(-1);
    const now = this.options.now();
    // one row for a burst of output of one session (chunks less than BURST_MS apart): a pause starts a new row, so a check between two commands stays between them
    if (frame.t === 'data' && last?.frame.t === 'data' && last.frame.session === frame.session && last.frame.d.length < 16 * 1024 && now.getTime() - last.lastMs < BURST_MS) {
      last.frame = { ...last.frame, d: last.frame.d + frame.d };
      last.lastMs = now.getTime();
      return;
    }
    items.push({ at: now.toISOString(), frame, lastMs: now.getTime() });
  }

  /** watch-start while someone watches (or the class records), watch-stop once nobody does */
  private updateSending(seatId: string): void {
    const link = this.seats.get(seatId);
    if (!link) return;
    const want = this.options.record || (this.watchers.get(seatId)?.size ?? 0) > 0;
    if (want === link.sending) return;
    link.sending = want;
    link.screens.clear();
    this.toSeat(seatId, want ? { t: 'watch-start', record: this.options.record } : { t: 'watch-stop' });
  }

  private fromSeat(seatId: string, link: SeatLink, raw: string): void {
    if (this.seats.get(seatId) !== link) return;
    const r = decodeSeatUp(raw);
    if (!r.ok) return;
    const f = r.frame;
    switch (f.t) {
      case 'sessions':
        link.sessions = f.n;
        this.toWatchers(seatId, { t: 'seat', online: true, sessions: f.n });
        return;
      case 'help':
        link.help = f.state;
        this.options.log(`${this.options.seatName(seatId)}: help ${f.state}`);
        this.toWatchers(seatId, { t: 'help', state: f.state });
        this.keep(seatId, f);
        return;
      case 'trace':
        this.keep(seatId, { t: 'trace', event: f.event });
        return;
    }
    // a terminal frame: counted (an unwatched class sends none), kept as the last screen, passed on
    this.frames.set(seatId, (this.frames.get(seatId) ?? 0) + 1);
    if (!link.sending) return;
    if (f.t === 'open') link.screens.set(f.session, { cols: f.cols, rows: f.rows, screen: new Scrollback(SCREEN_CHARS) });
    else if (f.t === 'close') link.screens.delete(f.session);
    else if (f.t === 'resize') {
      const s = link.screens.get(f.session);
      if (s) Object.assign(s, { cols: f.cols, rows: f.rows });
    } else link.screens.get(f.session)?.screen.push(f.d);
    this.keep(seatId, f);
    this.toWatchers(seatId, f);
  }

  private fromWatcher(seatId: string, w: Watcher, raw: string): void {
    const r = decodeWatcherUp(raw);
    if (!r.ok) {
      w.ws.close(1008, r.error.slice(0, 120));
      return;
    }
    const f = r.frame;
    if (f.t === 'ack') return this.flowAction(seatId, w, w.flow.acked(f.n));
    const link = this.seats.get(seatId);
    if (!link) return;
    if (f.t === 'help-request') {
      if (link.help === 'allowed') return;
      link.help = 'asked';
      this.options.log(`the teacher asks to help ${this.options.seatName(seatId)}`);
      this.toWatchers(seatId, { t: 'help', state: 'asked' });
      this.toSeat(seatId, { t: 'help-request' });
    } else if (f.t === 'help-stop') {
      this.toSeat(seatId, { t: 'help-end' });
    } else {
      // passed on whatever the state: the student's boxlab drops it unless the student allowed help
      this.toSeat(seatId, f);
    }
  }

  private toSeat(seatId: string, f: SeatDownFrame): void {
    const link = this.seats.get(seatId);
    if (link && link.ws.readyState === link.ws.OPEN) link.ws.send(JSON.stringify(f));
  }

  private toWatchers(seatId: string, f: WatcherDownFrame): void {
    for (const w of this.watchers.get(seatId) ?? []) this.send(w, f);
  }

  private send(w: Watcher, f: WatcherDownFrame): void {
    if (w.ws.readyState !== w.ws.OPEN) return;
    const data = f.t === 'data' || f.t === 'screen';
    if (data && w.behind) return; // the last screen goes when the page has caught up
    w.ws.send(JSON.stringify(f));
    if (data) this.flowAction(undefined, w, w.flow.sent(f.d.length, w.ws.bufferedAmount));
  }

  private flowAction(seatId: string | undefined, w: Watcher, action: 'pause' | 'resume' | 'none'): void {
    if (action === 'pause') {
      w.behind = true;
      w.drainTimer ??= setInterval(() => this.flowAction(seatId, w, w.flow.drained(w.ws.bufferedAmount)), 50);
      return;
    }
    if (action !== 'resume') return;
    if (w.drainTimer) clearInterval(w.drainTimer);
    w.drainTimer = undefined;
    w.behind = false;
    w.flow.reset();
    const id = seatId ?? [...this.watchers].find(([, set]) => set.has(w))?.[0];
    const link = id ? this.seats.get(id) : undefined;
    for (const [session, s] of link?.screens ?? []) {
      const d = s.screen.text();
      if (d) this.send(w, { t: 'screen', session, d });
    }
  }
}
