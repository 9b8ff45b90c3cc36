// The terminal on the page: xterm.js drawing what the shell in the sandbox writes, over the WebSocket
// protocol of docs/web-protocol.md. It acknowledges what xterm.js has written (flow control), keeps the
// session id so a reconnect (sleeping tab, dropped network) comes back to the same shell, and retries
// with back-off.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { TERMINAL_OPTIONS } from './terminal-options.js';
import { decodeServerMessage, encodeMessage, type ClientMessage } from '../terminal/terminal-protocol.js';

const ACK_CHUNK = 8 * 1024;

export interface TerminalViewEvents {
  onStatus(text: string | undefined): void;
  /** the shell session this view is attached to (new or resumed) */
  onSession?(session: string): void;
}

export class TerminalView {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private ws?: WebSocket;
  private session?: string;
  private unacked = 0;
  private ackTimer?: number;
  private retryMs = 250;
  private disposed = false;
  private exited = false;
  private readonly observer: ResizeObserver;

  /** kind: whose shell this is (a lab's, or a tutorial's that starts in its folder); node: a multi-node lab's node it runs on */
  constructor(private readonly host: HTMLElement, private readonly labId: string, private readonly events: TerminalViewEvents, private readonly kind: 'lab' | 'tutorial' = 'lab', private readonly tab = 0, private readonly node?: string) {
    this.term = new Terminal({ ...TERMINAL_OPTIONS, theme: { ...TERMINAL_OPTIONS.theme } });
    this.term.loadAddon(this.fit);
    this.term.open(host);
    this.session = sessionStorage.getItem(this.storageKey()) ?? undefined;
    this.term.onData((d) => {
      if (this.exited) {
        // the shell is gone: Enter starts a new one
        this.exited = false;
        this.session = undefined;
        this.term.reset();
        this.connect();
        return;
      }
      this.send({ t: 'data', d });
    });
    this.term.onResize(({ cols, rows }) => this.send({ t: 'resize', cols, rows }));
    // Ctrl+Shift+C copies the selection (Ctrl+C stays SIGINT); pasting is the browser's own paste event
    this.term.attachCustomKeyEventHandler((e) => {
      if (e.type === 'keydown' && e.ctrlKey && e.shiftKey && e.code === 'KeyC') {
        const sel = this.term.getSelection();
        if (sel) void navigator.clipboard?.writeText(sel).catch(() => undefined);
        return false;
      }
      return true;
    });
    this.observer = new ResizeObserver(() => this.safeFit());
    this.observer.observe(host);
    this.safeFit();
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
  }

  /** types text into the shell, as if the student typed it (the run buttons) */
  type(text: string): void {
    this.send({ t: 'data', d: text });
    this.term.focus();
  }

  dispose(): void {
    this.disposed = true;
    document.removeEventListener('visibilitychange', this.onVisible);
    this.observer.disconnect();
    this.ws?.close(1000, 'page left');
    this.term.dispose();
  }

  /** drops the connection, as a network failure would (the test of reconnect uses it too) */
  dropConnection(): void {
    this.ws?.close(4001, 'dropped');
  }

  /** fits the terminal to its box again (a tab brought to the front was hidden, so had no size) */
  refit(): void {
    this.safeFit();
  }

  private storageKey(): string {
    return `boxlab.terminal.${this.kind === 'lab' ? '' : 'tutorial:'}${this.labId}${this.node ? `@${this.node}` : ''}${this.tab > 0 ? `#${this.tab}` : ''}`;
  }

  private readonly onVisible = () => {
    // a tab that slept may have lost its socket without hearing about it
    if (document.visibilityState === 'visible' && (!this.ws || this.ws.readyState > WebSocket.OPEN)) this.connect();
  };

  private safeFit(): void {
    try {
      this.fit.fit();
    } catch {
      /* not visible yet */
    }
  }

  private connect(): void {
    if (this.disposed) return;
    const q = new URLSearchParams({ [this.kind]: this.labId, cols: String(this.term.cols), rows: String(this.term.rows) });
    if (this.session) q.set('session', this.session);
    if (this.node) q.set('node', this.node);
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/terminal?${q}`);
    this.ws = ws;
    ws.onmessage = (ev: MessageEvent<string>) => {
      const m = decodeServerMessage(String(ev.data));
      if (!m.ok) return;
      const msg = m.message;
      switch (msg.t) {
        case 'hello':
          this.retryMs = 250;
          if (!msg.resumed && this.session && this.session !== msg.session) this.term.reset();
          if (msg.resumed) this.term.reset(); // the replayed scrollback redraws the screen
          this.session = msg.session;
          sessionStorage.setItem(this.storageKey(), msg.session);
          this.events.onStatus(undefined);
          this.host.dataset.session = msg.session;
          this.events.onSession?.(msg.session);
          break;
        case 'data':
          this.term.write(msg.d, () => this.ack(msg.d.length));
          break;
        case 'exit':
          this.exited = true;
          sessionStorage.removeItem(this.storageKey());
          this.term.write(`\r\n[exit ${msg.code}]\r\n`);
          break;
        case 'error':
          this.term.write(`\r\n\x1b[31m${msg.message}\x1b[0m\r\n`);
          break;
        case 'pong':
          break;
      }
    };
    ws.onclose = (ev) => {
      if (this.disposed || this.ws !== ws || ev.code === 4000 || this.exited) return;
      this.events.onStatus('reconnecting');
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
  }

  private ack(n: number): void {
    this.unacked += n;
    if (this.unacked >= ACK_CHUNK) return this.flushAck();
    this.ackTimer ??= window.setTimeout(() => this.flushAck(), 20);
  }

  private flushAck(): void {
    if (this.ackTimer !== undefined) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.unacked > 0) this.send({ t: 'ack', n: this.unacked });
    this.unacked = 0;
  }

  private send(m: ClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(encodeMessage(m));
  }
}
