// The terminal hub keeps the shells of the page alive across WebSocket connections: a socket attaches to
// a session by id; when it drops (tab asleep, network gone) the shell keeps running for a grace period
// and its output goes into a bounded scrollback, replayed when a socket attaches again. One socket per
// session at a time: a newer one takes over (the same page reloaded).
import { randomBytes } from 'node:crypto';
import { FlowControl, DEFAULT_FLOW_LIMITS, type FlowAction, type FlowLimits } from './flow-control.js';
import { Scrollback } from './scrollback.js';
import { encodeMessage, type ClientMessage, type ServerMessage } from './terminal-protocol.js';
import type { Disposable, TerminalExit, TerminalFactory, TerminalOptions, TerminalSession } from './terminal-session.js';

/** the part of a WebSocket the hub uses (ws's WebSocket has it; tests pass a fake) */
export interface TerminalSocket {
  readonly bufferedAmount: number;
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

export interface TerminalHubOptions {
  factory: TerminalFactory;
  /** how long a shell without a socket is kept */
  graceMs?: number;
  scrollbackChars?: number;
  flow?: FlowLimits;
  /** how often the socket buffer is measured again while paused */
  drainPollMs?: number;
}

/** what happens in the hub's sessions, for a mirror (the class's terminal watch, ADR 0020) */
export interface HubObserver {
  open(session: string, cols: number, rows: number): void;
  data(session: string, d: string): void;
  resize(session: string, cols: number, rows: number): void;
  close(session: string): void;
}

interface Entry {
  id: string;
  key: string;
  cols: number;
  rows: number;
  /** when output last came or input went: the session a helper types into by default */
  activeAt: number;
  session: TerminalSession;
  scrollback: Scrollback;
  flow: FlowControl;
  socket?: TerminalSocket;
  graceTimer?: NodeJS.Timeout;
  drainTimer?: NodeJS.Timeout;
  exit?: TerminalExit;
  subscriptions: Disposable[];
}

export interface AttachRequest extends TerminalOptions {
  /** the session id the page remembers, if any */
  session?: string;
  /** sessions are kept per key (e.g. the lab id): a remembered id of another key starts a new shell */
  key?: string;
  /** where this shell runs when not in the hub's sandbox (a multi-node lab's node) */
  factory?: TerminalFactory;
}

export interface Attachment {
  session: string;
  pid: number;
  resumed: boolean;
  /** feed every message the socket receives here */
  receive(message: ClientMessage): void;
  /** call when the socket closes */
  detach(): void;
}

export class TerminalHub {
  private readonly entries = new Map<string, Entry>();
  private readonly graceMs: number;
  private readonly observers = new Set<HubObserver>();

  constructor(private readonly options: TerminalHubOptions) {
    this.graceMs = options.graceMs ?? 5 * 60_000;
  }

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  async attach(socket: TerminalSocket, request: AttachRequest): Promise<Attachment> {
    const key = request.key ?? '';
    let entry = request.session ? this.entries.get(request.session) : undefined;
    if (entry && (entry.key !== key || entry.exit)) entry = undefined;
    const resumed = entry !== undefined;
    if (!entry) entry = await this.create(key, request);
    const e = entry;
    if (e.graceTimer) clearTimeout(e.graceTimer);
    e.graceTimer = undefined;
    if (e.socket && e.socket !== socket) e.socket.close(4000, 'another page took over this terminal');
    e.socket = socket;
    this.apply(e, e.flow.reset());
    socket.send(encodeMessage({ t: 'hello', session: e.id, pid: e.session.pid, resumed }));
    if (resumed) {
      this.resize(e, request.cols, request.rows);
      const replay = e.scrollback.text();
      if (replay) this.send(e, { t: 'data', d: replay }, replay.length);
    }
    return {
      session: e.id,
      pid: e.session.pid,
      resumed,
      receive: (m) => this.receive(e, socket, m),
      detach: () => this.detach(e, socket),
    };
  }

  /** follows the sessions from now on; the open ones are listed by sessions() */
  observe(o: HubObserver): Disposable {
    this.observers.add(o);
    return { dispose: () => this.observers.delete(o) };
  }

  /** the live sessions with their size and scrollback (what a new watcher needs to see the last screen) */
  sessions(): Array<{ id: string; cols: number; rows: number; scrollback: string }> {
    return [...this.entries.values()].filter((e) => !e.exit).map((e) => ({ id: e.id, cols: e.cols, rows: e.rows, scrollback: e.scrollback.text() }));
  }

  /** the session used last (output or input), if any */
  latest(): string | undefined {
    return [...this.entries.values()].filter((e) => !e.exit).sort((a, b) => b.activeAt - a.activeAt)[0]?.id;
  }

  /** types into a session from outside the page (a teacher the student let help); false if it is gone */
  write(session: string, data: string): boolean {
    const e = this.entries.get(session);
    if (!e || e.exit) return false;
    e.activeAt = Date.now();
    e.session.write(data);
    return true;
  }

  /** a line shown in a session as if it were output (kept in its scrollback), never typed into the shell */
  note(session: string, text: string): void {
    const e = this.entries.get(session);
    if (e && !e.exit) this.output(e, text);
  }

  /** ends every shell (server shutdown) */
  closeAll(): void {
    for (const e of [...this.entries.values()]) this.remove(e);
  }

  private async create(key: string, request: AttachRequest): Promise<Entry> {
    const session = await (request.factory ?? this.options.factory)({ cols: request.cols, rows: request.rows, env: request.env, cwd: request.cwd });
    const entry: Entry = {
      id: randomBytes(12).toString('hex'),
      key,
      cols: request.cols,
      rows: request.rows,
      activeAt: Date.now(),
      session,
      scrollback: new Scrollback(this.options.scrollbackChars),
      flow: new FlowControl(this.options.flow ?? DEFAULT_FLOW_LIMITS),
      subscriptions: [],
    };
    entry.subscriptions.push(
      session.onData((d) => this.output(entry, d)),
      session.onExit((exit) => {
        entry.exit = exit;
        const msg: ServerMessage = exit.signal ? { t: 'exit', code: exit.code, signal: exit.signal } : { t: 'exit', code: exit.code };
        entry.socket?.send(encodeMessage(msg));
        this.remove(entry);
      }),
    );
    this.entries.set(entry.id, entry);
    for (const o of this.observers) o.open(entry.id, entry.cols, entry.rows);
    return entry;
  }

  private output(e: Entry, d: string): void {
    e.scrollback.push(d);
    e.activeAt = Date.now();
    if (e.socket) this.send(e, { t: 'data', d }, d.length);
    for (const o of this.observers) o.data(e.id, d);
  }

  private resize(e: Entry, cols: number, rows: number): void {
    e.cols = cols;
    e.rows = rows;
    e.session.resize(cols, rows);
    for (const o of this.observers) o.resize(e.id, cols, rows);
  }

  private send(e: Entry, m: ServerMessage, chars: number): void {
    const socket = e.socket;
    if (!socket) return;
    socket.send(encodeMessage(m));
    this.apply(e, e.flow.sent(chars, socket.bufferedAmount));
  }

  private receive(e: Entry, socket: TerminalSocket, m: ClientMessage): void {
    if (e.socket !== socket) return; // a socket that was taken over
    switch (m.t) {
      case 'data':
        e.activeAt = Date.now();
        e.session.write(m.d);
        break;
      case 'resize':
        this.resize(e, m.cols, m.rows);
        break;
      case 'ack':
        this.apply(e, e.flow.acked(m.n));
        break;
      case 'ping':
        socket.send(encodeMessage({ t: 'pong' }));
        break;
    }
  }

  private apply(e: Entry, action: FlowAction): void {
    if (action === 'pause') {
      e.session.pause();
      // the socket buffer drains without telling us: measure it again while paused
      e.drainTimer ??= setInterval(() => {
        if (e.socket) this.apply(e, e.flow.drained(e.socket.bufferedAmount));
      }, this.options.drainPollMs ?? 20);
    } else if (action === 'resume') {
      if (e.drainTimer) clearInterval(e.drainTimer);
      e.drainTimer = undefined;
      e.session.resume();
    }
  }

  private detach(e: Entry, socket: TerminalSocket): void {
    if (e.socket !== socket) return;
    e.socket = undefined;
    // nobody reads: keep the shell running and its output flowing into the scrollback
    this.apply(e, e.flow.reset());
    if (!this.entries.has(e.id)) return;
    e.graceTimer = setTimeout(() => this.remove(e), this.graceMs);
    e.graceTimer.unref();
  }

  private remove(e: Entry): void {
    if (e.graceTimer) clearTimeout(e.graceTimer);
    if (e.drainTimer) clearInterval(e.drainTimer);
    e.graceTimer = e.drainTimer = undefined;
    for (const s of e.subscriptions) s.dispose();
    e.subscriptions = [];
    const had = this.entries.delete(e.id);
    e.session.close();
    if (had) for (const o of this.observers) o.close(e.id);
  }
}
