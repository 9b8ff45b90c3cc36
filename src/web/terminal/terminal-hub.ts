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

interface Entry {
  id: string;
  key: string;
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
      e.session.resize(request.cols, request.rows);
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

  /** ends every shell (server shutdown) */
  closeAll(): void {
    for (const e of [...this.entries.values()]) this.remove(e);
  }

  private async create(key: string, request: AttachRequest): Promise<Entry> {
    const session = await (request.factory ?? this.options.factory)({ cols: request.cols, rows: request.rows, env: request.env, cwd: request.cwd });
    const entry: Entry = {
      id: randomBytes(12).toString('hex'),
      key,
      session,
      scrollback: new Scrollback(this.options.scrollbackChars),
      flow: new FlowControl(this.options.flow ?? DEFAULT_FLOW_LIMITS),
      subscriptions: [],
    };
    entry.subscriptions.push(
      session.onData((d) => {
        entry.scrollback.push(d);
        if (entry.socket) this.send(entry, { t: 'data', d }, d.length);
      }),
      session.onExit((exit) => {
        entry.exit = exit;
        const msg: ServerMessage = exit.signal ? { t: 'exit', code: exit.code, signal: exit.signal } : { t: 'exit', code: exit.code };
        entry.socket?.send(encodeMessage(msg));
        this.remove(entry);
      }),
    );
    this.entries.set(entry.id, entry);
    return entry;
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
        e.session.write(m.d);
        break;
      case 'resize':
        e.session.resize(m.cols, m.rows);
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
    this.entries.delete(e.id);
    e.session.close();
  }
}
