// The "under the hood" panel: every step the engine takes for the student's docker commands, live from
// the server's /api/trace stream (proxied from boxlabd), with its explanation in the page's language,
// the facts (overlay dirs, config.json fields, runc arguments) and a link to the lab step that teaches it.
import { el } from './api.js';
import { t } from './i18n.js';
import type { Lang } from '../../core/lang.js';

interface FeedEvent {
  time: string;
  objectId: string;
  step: string;
  details: Record<string, unknown>;
  text: { en: string; zh: string };
  lesson?: { lab: string; step: string };
}

export class TracePanel {
  private readonly events: FeedEvent[] = [];
  private source?: EventSource;
  private readonly list: HTMLOListElement;

  constructor(private readonly root: HTMLElement, private lang: Lang) {
    this.list = el('ol', { class: 'trace-list' });
    this.render();
    this.source = new EventSource('/api/trace');
    this.source.addEventListener('trace', (ev) => {
      this.events.push(JSON.parse((ev as MessageEvent<string>).data) as FeedEvent);
      if (this.events.length > 300) this.events.shift();
      this.renderList();
    });
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.render();
  }

  dispose(): void {
    this.source?.close();
  }

  private render(): void {
    this.root.replaceChildren(el('h2', {}, t('underTheHood', this.lang)), this.list);
    this.renderList();
  }

  private renderList(): void {
    if (this.events.length === 0) {
      this.list.replaceChildren(el('li', { class: 'trace-empty' }, t('traceEmpty', this.lang)));
      return;
    }
    const items = this.events.map((e) => {
      const head = el('div', { class: 'trace-head' },
        el('span', { class: 'trace-step' }, e.step),
        el('span', { class: 'trace-object' }, e.objectId.slice(0, 12)),
        el('time', {}, e.time.slice(11, 23)));
      const li = el('li', { class: `trace-item step-${e.step.replace(/\./g, '-')}`, 'data-step': e.step }, head, el('p', {}, e.text[this.lang]));
      const details = el('details', {}, el('summary', {}, t('details', this.lang)), el('pre', {}, JSON.stringify(e.details, null, 2)));
      li.append(details);
      if (e.lesson) li.append(el('a', { href: `#/lab/${encodeURIComponent(e.lesson.lab)}/${encodeURIComponent(e.lesson.step)}`, class: 'lesson' }, `→ ${t('learnMore', this.lang)}: ${e.lesson.lab} / ${e.lesson.step}`));
      return li;
    });
    const atBottom = this.root.scrollTop + this.root.clientHeight >= this.root.scrollHeight - 40;
    this.list.replaceChildren(...items);
    if (atBottom) this.root.scrollTop = this.root.scrollHeight;
  }
}
