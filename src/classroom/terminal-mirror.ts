// The student's side of terminal watch (ADR 0020): `boxlab serve`, when its home has joined a class,
// connects out to the class server (/api/seats/me/terminal, the seat token; the student's laptop opens
// no port) and mirrors the page's terminal sessions, scrollback first, only between the server's
// watch-start and watch-stop. The teacher's keystrokes are accepted only after the student allowed help
// on their page, and only until they (or the teacher) stop: input before consent is dropped here, so a
// class server cannot type unasked. Help starting and stopping is written into the terminal as a marker
// line. In a recorded class (ADR 0024) the sandbox's engine trace goes up too.
import WebSocket from 'ws';
import type { Lang } from '../core/lang.js';
import type { TerminalHub } from '../web/terminal/terminal-hub.js';
import type { Disposable } from '../web/terminal/terminal-session.js';
import { decodeSeatDown, type SeatUpFrame } from './watch-protocol.js';

/** what the student's page shows about their class's view of the terminal */
export interface HelpView {
  /** connected to the class server */
  connected: boolean;
  /** the teacher watches (or the class records) */
  watched: boolean;
  recorded: boolean;
  /** none; asked: the teacher asks to type (the page shows allow/refuse); allowed: the teacher may type (the page shows stop) */
  help: 'none' | 'asked' | 'allowed';
}

export type HelpAnswer = 'allow' | 'refuse' | 'stop';

/** the page server's port to the consent bar (web-server.ts) */
export interface ClassHelp {
  view(): HelpView;
  onChange(listener: (v: HelpView) => void): () => void;
  answer(a: HelpAnswer): HelpView;
}

export interface TraceSource {
  subscribe(listener: (e: object) => void): () => void;
}

export interface MirrorOptions {
  /** the class server's address and this seat's token (class.json) */
  url: string;
  token: string;
  lang: Lang;
  log: (line: string) => void;
  trace?: TraceSource;
}

const MARKERS = {
  start: { en: 'your teacher is helping: what they type appears in this terminal (stop it in the bar above)', zh: '老师正在帮你：老师输入的内容会出现在这个终端里（在上方的提示栏里可以停止）' },
  stop: { en: 'your teacher stopped helping: only you type here again', zh: '老师已停止帮助：现在又只有你能在这里输入' },
} as const;

export class TerminalMirror implements ClassHelp {
  private hub?: TerminalHub;
  private ws?: WebSocket;
  private observer?: Disposable;
  private traceOff?: () => void;
  private state: HelpView = { connected: false, watched: false, recorded: false, help: 'none' };
  private readonly listeners = new Set<(v: HelpView) => void>();
  private retryMs = 1000;
  private retryTimer?: NodeJS.Timeout;
  private closed = false;
  /** the teacher's keystrokes dropped because the student had not allowed help */
  dropped = 0;

  constructor(private readonly options: MirrorOptions) {}

  /** starts mirroring the hub's sessions (connects, and connects again when the link drops) */
  start(hub: TerminalHub): void {
    this.hub = hub;
    this.observer = hub.observe({
      open: (session, cols, rows) => {
        this.sendCount();
        if (this.state.watched) this.send({ t: 'open', session, cols, rows });
      },
      data: (session, d) => {
        if (this.state.watched) this.send({ t: 'data', session, d });
      },
      resize: (session, cols, rows) => {
        if (this.state.watched) this.send({ t: 'resize', session, cols, rows });
      },
      close: (session) => {
        if (this.state.watched) this.send({ t: 'close', session });
        this.sendCount();
      },
    });
    this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.observer?.dispose();
    this.traceOff?.();
    this.ws?.terminate();
  }

  view(): HelpView {
    return { ...this.state };
  }

  onChange(listener: (v: HelpView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** the student's click on their page */
  answer(a: HelpAnswer): HelpView {
    if (a === 'allow' && this.state.help === 'asked') {
      this.set({ help: 'allowed' });
      this.send({ t: 'help', state: 'allowed' });
      this.mark('start');
      this.options.log(this.options.lang === 'zh' ? '你允许了老师在你的终端里输入' : 'you let your teacher type in your terminal');
    } else if (a === 'refuse' && this.state.help === 'asked') {
      this.set({ help: 'none' });
      this.send({ t: 'help', state: 'refused' });
    } else if (a === 'stop' && this.state.help === 'allowed') {
      this.endHelp();
    }
    return this.view();
  }

  private endHelp(): void {
    if (this.state.help === 'allowed') this.mark('stop');
    if (this.state.help !== 'none') this.send({ t: 'help', state: 'stopped' });
    this.set({ help: 'none' });
  }

  private mark(which: keyof typeof MARKERS): void {
    for (const s of this.hub?.sessions() ?? []) this.hub?.note(s.id, `\r\n\x1b[7m[boxlab] ${MARKERS[which][this.options.lang]}\x1b[0m\r\n`);
  }

  private set(change: Partial<HelpView>): void {
    this.state = { ...this.state, ...change };
    for (const l of this.listeners) l(this.view());
  }

  private send(f: SeatUpFrame): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(f));
  }

  private sendCount(): void {
    this.send({ t: 'sessions', n: this.hub?.sessions().length ?? 0 });
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(`${this.options.url.replace(/^http/, 'ws').replace(/\/$/, '')}/api/seats/me/terminal`, { headers: { authorization: `Bearer ${this.options.token}` } });
    this.ws = ws;
    let refused = false;
    ws.on('unexpected-response', (_req, res) => {
      // a seat the class no longer knows (left, another class): no point in trying again
      refused = res.statusCode === 401 || res.statusCode === 403;
      this.options.log(this.options.lang === 'zh' ? `课堂服务器拒绝了终端连接（HTTP ${res.statusCode}）` : `the class server refused the terminal link (HTTP ${res.statusCode})`);
      ws.terminate();
    });
    ws.on('open', () => {
      this.retryMs = 1000;
      this.set({ connected: true });
      this.sendCount();
    });
    ws.on('message', (raw: Buffer) => this.fromServer(raw.toString('utf8')));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.stopSending();
      if (this.state.help === 'allowed') this.mark('stop');
      this.set({ connected: false, watched: false, help: 'none' });
      if (this.closed || refused) return;
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
      this.retryTimer.unref();
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
    });
  }

  private stopSending(): void {
    this.traceOff?.();
    this.traceOff = undefined;
  }

  private fromServer(raw: string): void {
    const r = decodeSeatDown(raw);
    if (!r.ok) return;
    const f = r.frame;
    switch (f.t) {
      case 'watch-start':
        this.set({ watched: true, recorded: f.record });
        // the sessions as they are: open, then their scrollback, so the watcher sees the last screen
        for (const s of this.hub?.sessions() ?? []) {
          this.send({ t: 'open', session: s.id, cols: s.cols, rows: s.rows });
          if (s.scrollback) this.send({ t: 'data', session: s.id, d: s.scrollback });
        }
        if (f.record && this.options.trace && !this.traceOff) this.traceOff = this.options.trace.subscribe((e) => this.send({ t: 'trace', at: new Date().toISOString(), event: e }));
        return;
      case 'watch-stop':
        this.stopSending();
        this.set({ watched: false });
        return;
      case 'help-request':
        if (this.state.help === 'none') this.set({ help: 'asked' });
        return;
      case 'help-end':
        this.endHelp();
        return;
      case 'input': {
        // the student's consent, checked here on the student's machine
        if (this.state.help !== 'allowed') {
          this.dropped++;
          return;
        }
        const session = f.session ?? this.hub?.latest();
        if (session) this.hub?.write(session, f.d);
        return;
      }
    }
  }
}
