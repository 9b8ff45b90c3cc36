// The teacher's view of one student's terminal (ADR 0020): opened by clicking the student on the grid,
// live and read-only through /api/teacher/watch/<seat>; "no terminal to watch" when their boxlab has no
// terminal open (or is not connected). "Help" asks the student; once they allow it on their page, what
// the teacher types goes to their shell, until either of them stops. The page acknowledges what xterm.js
// wrote (flow control): a page that falls behind is sent the last screen, not every byte.
import { Terminal } from '@xterm/xterm';
import type { Lang } from '../../core/lang.js';
import { TERMINAL_OPTIONS } from '../client/terminal-options.js';
import { decodeWatcherDown, type HelpState, type WatcherUpFrame } from '../../classroom/watch-protocol.js';
import { panelWord } from './panel-words.js';

const ACK_CHUNK = 8 * 1024;

export class WatchPanel {
  private readonly term: Terminal;
  private readonly ws: WebSocket;
  private readonly status = document.createElement('p');
  private readonly helpButton = document.createElement('button');
  private session?: string;
  private online = false;
  private sessions = 0;
  private help: HelpState = 'none';
  private unacked = 0;
  private closed = false;

  constructor(
    private readonly box: HTMLElement,
    seatId: string,
    private readonly name: string,
    token: string,
    private lang: Lang,
  ) {
    const title = document.createElement('h2');
    title.id = 'watch-title';
    title.textContent = panelWord('watchTitle', lang, { name });
    const close = document.createElement('button');
    close.type = 'button';
    close.id = 'watch-close';
    close.textContent = panelWord('close', lang);
    close.addEventListener('click', () => this.dispose());
    this.status.id = 'watch-status';
    this.helpButton.type = 'button';
    this.helpButton.id = 'watch-help';
    this.helpButton.addEventListener('click', () => this.send(this.help === 'allowed' || this.help === 'asked' ? { t: 'help-stop' } : { t: 'help-request' }));
    const screen = document.createElement('div');
    screen.id = 'watch-terminal';
    box.replaceChildren(title, close, this.helpButton, this.status, screen);
    box.hidden = false;
    this.term = new Terminal({ ...TERMINAL_OPTIONS, cursorBlink: false, disableStdin: true, theme: { ...TERMINAL_OPTIONS.theme } });
    this.term.open(screen);
    (window as unknown as { boxlabWatch: WatchPanel }).boxlabWatch = this;
    this.term.onData((d) => {
      if (this.help === 'allowed') this.send({ t: 'input', ...(this.session ? { session: this.session } : {}), d });
    });
    this.ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/teacher/watch/${seatId}?token=${encodeURIComponent(token)}`);
    this.ws.onmessage = (e) => this.receive(String(e.data));
    this.ws.onclose = () => {
      if (this.closed) return;
      this.online = false;
      this.render();
    };
    this.render();
  }

  /** the watched terminal's lines (the e2e test reads them) */
  lines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    return out;
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.render();
  }

  dispose(): void {
    this.closed = true;
    this.ws.close(1000, 'closed');
    this.term.dispose();
    this.box.hidden = true;
    this.box.replaceChildren();
  }

  private send(f: WatcherUpFrame): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(f));
  }

  private write(d: string): void {
    this.term.write(d, () => {
      this.unacked += d.length;
      if (this.unacked >= ACK_CHUNK) {
        this.send({ t: 'ack', n: this.unacked });
        this.unacked = 0;
      }
    });
  }

  private receive(raw: string): void {
    const r = decodeWatcherDown(raw);
    if (!r.ok) return;
    const f = r.frame;
    switch (f.t) {
      case 'seat':
        this.online = f.online;
        this.sessions = f.sessions;
        break;
      case 'help':
        this.help = f.state;
        this.term.options.disableStdin = f.state !== 'allowed';
        if (f.state === 'allowed') this.term.focus();
        break;
      case 'open':
        // the newest session is the one shown
        this.session = f.session;
        this.term.reset();
        this.term.resize(f.cols, f.rows);
        break;
      case 'resize':
        if (f.session === this.session) this.term.resize(f.cols, f.rows);
        break;
      case 'data':
        if (f.session === this.session) this.write(f.d);
        break;
      case 'screen':
        if (f.session === this.session) {
          this.term.reset();
          this.write(f.d);
        }
        break;
      case 'close':
        if (f.session === this.session) this.session = undefined;
        break;
    }
    this.render();
  }

  private render(): void {
    const watching = this.online && this.sessions > 0;
    this.status.textContent = !this.online ? panelWord('offline', this.lang, { name: this.name }) : !watching ? panelWord('noTerminal', this.lang) : panelWord(`help-${this.help}`, this.lang, { name: this.name });
    this.status.className = watching ? 'watching' : 'no-terminal';
    this.helpButton.textContent = this.help === 'allowed' || this.help === 'asked' ? panelWord('stopHelp', this.lang) : panelWord('help', this.lang, { name: this.name });
    this.helpButton.disabled = !watching;
  }
}
