// The "under the hood" panel: every step the engine takes for the student's docker commands, live from
// the server's /api/trace stream (proxied from boxlabd), grouped by the phase of `docker run` it belongs
// to, with its explanation in the page's language (short ids, human sizes), a command to see the same
// thing on the sandbox, the facts (overlay dirs, config.json fields, runc arguments) and a link to the lab
// step that teaches it. By default it shows what happens while the lab is open (the busybox bake or
// another lab's containers are not this lab's story); "show everything" adds the engine's recent events.
// On a multi-node lab it follows the node whose terminal tab is in front: that node's own boxlabd.
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

/** whose engine the panel follows: the sandbox's (no node), or a multi-node lab's node (the tab in front) */
export interface TraceTarget {
  labId?: string;
  node?: string;
  /** a docker node's shell talks to Debian's dockerd: only what runs on its boxlabd shows here */
  engine?: 'boxlabd' | 'docker';
}

/** one engine's stream and what it has sent so far */
interface Followed {
  target: TraceTarget;
  events: FeedEvent[];
  source: EventSource;
}

export class TracePanel {
  /** every engine followed so far, by node ('' for the sandbox's): switching tabs back keeps what came meanwhile */
  private readonly followed = new Map<string, Followed>();
  private current!: Followed;
  private readonly list: HTMLOListElement;
  private showAll = false;

  /** onEvent: told of each new event of the engine in front (the ports list refreshes on network.port) */
  constructor(private readonly root: HTMLElement, private lang: Lang, private readonly onEvent?: (step: string) => void, target: TraceTarget = {}) {
    this.list = el('ol', { class: 'trace-list' });
    this.follow(target);
  }

  /** shows the engine of this node (the sandbox's when none), opening its stream the first time */
  follow(target: TraceTarget): void {
    const key = target.node ?? '';
    let f = this.followed.get(key);
    if (!f) {
      const url = target.node ? `/api/trace?lab=${encodeURIComponent(target.labId ?? '')}&node=${encodeURIComponent(target.node)}` : '/api/trace';
      f = { target, events: [], source: new EventSource(url) };
      this.listen(f);
      this.followed.set(key, f);
    }
    this.current = f;
    this.render();
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.render();
  }

  dispose(): void {
    for (const f of this.followed.values()) f.source.close();
  }

  private listen(f: Followed): void {
    // a reconnect sends the history again: only events not yet seen are added
    const seen = new Set<string>();
    /** the server has sent its history; what comes now happens while this lab is open */
    let live = false;
    f.source.addEventListener('live', () => (live = true));
    f.source.addEventListener('open', () => (live = false));
    f.source.addEventListener('trace', (ev) => {
      const data = (ev as MessageEvent<string>).data;
      if (seen.has(data)) return;
      seen.add(data);
      f.events.push({ ...(JSON.parse(data) as FeedEvent), live, key: data });
      if (f.events.length > 300) seen.delete(f.events.shift()!.key!);
      if (f !== this.current) return;
      if (live) this.onEvent?.(f.events.at(-1)!.step);
      this.renderList();
    });
  }

  private render(): void {
    const toggle = el('button', { type: 'button', class: 'trace-scope' }, t(this.showAll ? 'traceShowLab' : 'traceShowAll', this.lang));
    toggle.addEventListener('click', () => {
      this.showAll = !this.showAll;
      this.render();
    });
    const { node, engine } = this.current.target;
    const title = node ? `${t('underTheHood', this.lang)} · ${node}` : t('underTheHood', this.lang);
    const dockerNode = node && engine === 'docker' ? [el('p', { class: 'trace-docker-node muted' }, t('traceDockerNode', this.lang, { node }))] : [];
    this.root.dataset.node = node ?? '';
    this.root.replaceChildren(el('div', { class: 'trace-title' }, el('h2', {}, title), toggle), ...dockerNode, this.list);
    this.renderList();
  }

  private renderList(): void {
    const { events } = this.current;
    const shown = this.showAll ? events : events.filter((e) => e.live);
    const hidden = events.length - shown.length;
    const note = hidden > 0 ? [el('li', { class: 'trace-hidden muted' }, `${t('traceHidden', this.lang)} (${hidden})`)] : [];
    if (shown.length === 0) {
      this.list.replaceChildren(...note, el('li', { class: 'trace-empty' }, t('traceEmpty', this.lang)));
      return;
    }
    const items: HTMLLIElement[] = [];
    const removed = removedObjects(events);
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
