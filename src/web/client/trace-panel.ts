// The "under the hood" panel: every step the engine takes for the student's docker commands, live from
// the server's /api/trace stream (proxied from boxlabd), grouped by the phase of `docker run` it belongs
// to, with its explanation in the page's language (short ids, human sizes), a command to see the same
// thing on the sandbox, the facts (overlay dirs, config.json fields, runc arguments) and a link to the lab
// step that teaches it. By default it shows what happens while the lab is open (the busybox bake or
// another lab's containers are not this lab's story); "show everything" adds the engine's recent events.
import { el } from './api.js';
import { t } from './i18n.js';
import type { Lang } from '../../core/lang.js';
import { phaseName, phaseOf, removedObjects, seeItYourself, shortObjectId, tidyText } from './trace-view-model.js';

interface FeedEvent {
  /** false: sent from the server's history when the panel connected (before this lab was opened) */
  live?: boolean;
  /** the event as it came (to know it again when a reconnect repeats the history) */
  key?: string;
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
  private showAll = false;
  /** the server has sent its history; what comes now happens while this lab is open */
  private live = false;

  /** onEvent: told of each new event (the ports list refreshes on network.port) */
  constructor(private readonly root: HTMLElement, private lang: Lang, private readonly onEvent?: (step: string) => void) {
    this.list = el('ol', { class: 'trace-list' });
    this.render();
    this.source = new EventSource('/api/trace');
    // a reconnect sends the history again: only events not yet seen are added
    const seen = new Set<string>();
    this.source.addEventListener('live', () => (this.live = true));
    this.source.addEventListener('open', () => (this.live = false));
    this.source.addEventListener('trace', (ev) => {
      const data = (ev as MessageEvent<string>).data;
      if (seen.has(data)) return;
      seen.add(data);
      this.events.push({ ...(JSON.parse(data) as FeedEvent), live: this.live, key: data });
      if (this.events.length > 300) seen.delete(this.events.shift()!.key!);
      if (this.live) this.onEvent?.(this.events.at(-1)!.step);
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
    const toggle = el('button', { type: 'button', class: 'trace-scope' }, t(this.showAll ? 'traceShowLab' : 'traceShowAll', this.lang));
    toggle.addEventListener('click', () => {
      this.showAll = !this.showAll;
      this.render();
    });
    this.root.replaceChildren(el('div', { class: 'trace-title' }, el('h2', {}, t('underTheHood', this.lang)), toggle), this.list);
    this.renderList();
  }

  private renderList(): void {
    const shown = this.showAll ? this.events : this.events.filter((e) => e.live);
    const hidden = this.events.length - shown.length;
    const note = hidden > 0 ? [el('li', { class: 'trace-hidden muted' }, `${t('traceHidden', this.lang)} (${hidden})`)] : [];
    if (shown.length === 0) {
      this.list.replaceChildren(...note, el('li', { class: 'trace-empty' }, t('traceEmpty', this.lang)));
      return;
    }
    const items: HTMLLIElement[] = [];
    const removed = removedObjects(this.events);
    let group = '';
    for (const e of shown) {
      const phase = phaseOf(e.step);
      // a heading where the phase (or the container) changes: the events of one `docker run` read as its phases
      if (`${e.objectId} ${phase}` !== group) {
        group = `${e.objectId} ${phase}`;
        const heading = el('li', { class: `trace-phase phase-${phase}`, 'data-phase': phase }, el('span', { class: 'phase-name' }, phaseName(phase, this.lang)), ` · ${shortObjectId(e.objectId)}`);
        // the story stays after docker rm (boxlab explain keeps it too), marked as the story of a removed container
        if (removed.has(e.objectId)) {
          heading.dataset.removed = '';
          heading.append(el('span', { class: 'trace-removed' }, ` · ${t('traceRemoved', this.lang)}`));
        }
        items.push(heading);
      }
      items.push(this.item(e));
    }
    const atBottom = this.root.scrollTop + this.root.clientHeight >= this.root.scrollHeight - 40;
    this.list.replaceChildren(...note, ...items);
    if (atBottom) this.root.scrollTop = this.root.scrollHeight;
  }

  private item(e: FeedEvent): HTMLLIElement {
    const head = el('div', { class: 'trace-head' }, el('span', { class: 'trace-step' }, e.step), el('time', {}, e.time.slice(11, 23)));
    const li = el('li', { class: `trace-item step-${e.step.replace(/\./g, '-')}`, 'data-step': e.step }, head, el('p', {}, tidyText(e.text[this.lang])));
    const command = seeItYourself(e.step, e.details, e.objectId);
    if (command) li.append(el('p', { class: 'see-it' }, `${t('seeItYourself', this.lang)}: `, el('code', {}, command)));
    li.append(el('details', {}, el('summary', {}, t('details', this.lang)), el('pre', {}, JSON.stringify(e.details, null, 2))));
    if (e.lesson) li.append(el('a', { href: `#/lab/${encodeURIComponent(e.lesson.lab)}/${encodeURIComponent(e.lesson.step)}`, class: 'lesson' }, `→ ${t('learnMore', this.lang)}: ${e.lesson.lab} / ${e.lesson.step}`));
    return li;
  }
}
