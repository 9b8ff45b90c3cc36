// The teacher replays a student's session (ADR 0024): what their terminals showed, their checks and the
// engine's trace, on one timeline from /api/teacher/replay/<seat>. Play runs it with the pauses as they
// were (a long pause is cut to a second), pause stops, the slider seeks: the terminal is redrawn from
// the start to that moment. The list under it is the timeline's checks, help and engine events.
import { Terminal } from '@xterm/xterm';
import type { Lang } from '../../core/lang.js';
import type { Replay, ReplayEvent } from '../../classroom/replay-log.js';
import { TERMINAL_OPTIONS } from '../client/terminal-options.js';
import { panelWord } from './panel-words.js';

const MAX_GAP_MS = 1000;

/** a timeline event as a line of the list, or undefined for terminal output */
export function eventLine(e: ReplayEvent, lang: Lang): string | undefined {
  const time = `${e.at.slice(11, 19)} UTC`;
  if (e.t === 'check') return `${time} · ${panelWord(e.passed ? 'checkPassed' : 'checkFailed', lang, { step: `${e.labId} ${e.stepIndex + 1} ${e.stepId}`, n: e.checksPassed, total: e.checksTotal })}`;
  if (e.t === 'help') return `${time} · ${panelWord('helpEvent', lang, { state: e.state })}`;
  if (e.t === 'trace') {
    const ev = e.event as { kind?: string; summary?: string; message?: string; op?: string } | undefined;
    return `${time} · ${panelWord('traceEvent', lang, { what: ev?.summary ?? ev?.message ?? ev?.op ?? ev?.kind ?? JSON.stringify(ev).slice(0, 80) })}`;
  }
  if (e.t === 'open') return `${time} · ${panelWord('openEvent', lang)}`;
  if (e.t === 'close') return `${time} · ${panelWord('closeEvent', lang)}`;
  return undefined;
}

export class ReplayPanel {
  private readonly term: Terminal;
  private readonly slider = document.createElement('input');
  private readonly playButton = document.createElement('button');
  private readonly clock = document.createElement('span');
  private readonly list = document.createElement('ol');
  private replay?: Replay;
  /** events shown so far (0: none) */
  private position = 0;
  private timer?: number;

  constructor(
    private readonly box: HTMLElement,
    seatId: string,
    name: string,
    token: string,
    private readonly lang: Lang,
  ) {
    const title = document.createElement('h2');
    title.id = 'replay-title';
    title.textContent = panelWord('replayTitle', lang, { name });
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = panelWord('close', lang);
    close.addEventListener('click', () => this.dispose());
    this.playButton.type = 'button';
    this.playButton.id = 'replay-play';
    this.playButton.textContent = panelWord('play', lang);
    this.playButton.addEventListener('click', () => (this.timer === undefined ? this.play() : this.pause()));
    this.slider.type = 'range';
    this.slider.id = 'replay-seek';
    this.slider.min = '0';
    this.slider.addEventListener('input', () => {
      this.pause();
      this.seek(Number(this.slider.value));
    });
    this.clock.id = 'replay-clock';
    this.list.id = 'replay-events';
    const screen = document.createElement('div');
    screen.id = 'replay-terminal';
    const controls = document.createElement('div');
    controls.className = 'replay-controls';
    controls.append(this.playButton, this.slider, this.clock);
    box.replaceChildren(title, close, controls, screen, this.list);
    box.hidden = false;
    this.term = new Terminal({ ...TERMINAL_OPTIONS, cursorBlink: false, disableStdin: true, theme: { ...TERMINAL_OPTIONS.theme } });
    this.term.open(screen);
    (window as unknown as { boxlabReplay: ReplayPanel }).boxlabReplay = this;
    void fetch(`/api/teacher/replay/${seatId}`, { headers: { authorization: `Bearer ${token}` } })
      .then((r) => r.json() as Promise<Replay>)
      .then((r) => this.load(r));
  }

  /** the replayed terminal's lines (the e2e test reads them) */
  lines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    return out;
  }

  dispose(): void {
    this.pause();
    this.term.dispose();
    this.box.hidden = true;
    this.box.replaceChildren();
  }

  private load(r: Replay): void {
    this.replay = r;
    this.slider.max = String(r.events.length);
    const items = r.events.flatMap((e, i) => {
      const line = eventLine(e, this.lang);
      if (!line) return [];
      const li = document.createElement('li');
      li.textContent = line;
      li.dataset.index = String(i);
      if (e.t === 'check') li.className = e.passed ? 'passed' : 'failed';
      li.addEventListener('click', () => {
        this.pause();
        this.seek(i + 1);
      });
      return [li];
    });
    const notes: HTMLElement[] = [];
    if (r.events.length === 0) notes.push(Object.assign(document.createElement('li'), { textContent: panelWord('noReplay', this.lang) }));
    if (r.dropped) notes.push(Object.assign(document.createElement('li'), { textContent: panelWord('dropped', this.lang, { chars: r.dropped.chars, time: r.dropped.until.slice(11, 19) }) }));
    this.list.replaceChildren(...notes, ...items);
    this.seek(0);
  }

  /** shows the events before index n: the terminal redrawn from the start */
  private seek(n: number): void {
    this.term.reset();
    this.position = 0;
    this.advance(n);
  }

  private advance(to: number): void {
    const events = this.replay?.events ?? [];
    for (; this.position < to && this.position < events.length; this.position++) this.apply(events[this.position]);
    this.slider.value = String(this.position);
    const at = events[Math.max(0, this.position - 1)]?.at;
    this.clock.textContent = at ? `${at.slice(11, 19)} UTC · ${this.position}/${events.length}` : `0/${events.length}`;
    for (const li of this.list.querySelectorAll('li[data-index]')) li.classList.toggle('current', Number((li as HTMLElement).dataset.index) === this.position - 1);
  }

  private apply(e: ReplayEvent): void {
    if (e.t === 'open') {
      this.term.resize(e.cols, e.rows);
    } else if (e.t === 'resize') this.term.resize(e.cols, e.rows);
    else if (e.t === 'data') this.term.write(e.d);
  }

  private play(): void {
    const events = this.replay?.events ?? [];
    if (this.position >= events.length) this.seek(0);
    this.playButton.textContent = panelWord('pause', this.lang);
    const step = () => {
      this.advance(this.position + 1);
      if (this.position >= events.length) return this.pause();
      const gap = Date.parse(events[this.position].at) - Date.parse(events[this.position - 1].at);
      this.timer = window.setTimeout(step, Math.max(0, Math.min(MAX_GAP_MS, gap)));
    };
    this.timer = window.setTimeout(step, 0);
  }

  private pause(): void {
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
    this.playButton.textContent = panelWord('play', this.lang);
  }
}
