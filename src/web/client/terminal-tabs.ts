// Several terminals for one lab, as tabs (a second shell to watch `docker events` while the first runs
// containers; the multi-node labs give each node its own). Each tab is a TerminalView with its own
// shell session; the number of tabs survives a reload (sessionStorage), so each tab comes back to its
// shell. The run buttons type into the tab in front. The first tab keeps the page's single-terminal
// ids (#terminal[data-session]) on the outer box. A multi-node lab has one tab per node instead, named
// like the node (its address in the tooltip), each a shell on that node's VM; they cannot be closed.
import { el } from './api.js';
import { TerminalView, type TerminalViewEvents } from './terminal-view.js';

/** a multi-node lab's node, as its tab shows it */
export interface TabNode {
  name: string;
  /** the tab's tooltip: "a shell on node manager1 (10.10.0.2)" */
  title: string;
}

const MAX_TABS = 6;

export class TerminalTabs {
  private readonly views: TerminalView[] = [];
  private readonly hosts: HTMLDivElement[] = [];
  private readonly bar = el('div', { class: 'terminal-tabs', role: 'tablist' });
  private readonly panes = el('div', { class: 'terminal-panes' });
  private active = 0;

  constructor(
    private readonly box: HTMLElement,
    private readonly labId: string,
    private readonly events: TerminalViewEvents,
    private readonly kind: 'lab' | 'tutorial' = 'lab',
    private readonly nodes?: TabNode[],
    /** told which node's tab came to the front (the trace panel follows it) */
    private readonly onNodeShown?: (node: string) => void,
  ) {
    box.replaceChildren(this.bar, this.panes);
    if (nodes?.length) {
      for (const node of nodes) this.add(node.name);
    } else {
      const count = Math.min(MAX_TABS, Math.max(1, Number(sessionStorage.getItem(this.countKey())) || 1));
      for (let i = 0; i < count; i++) this.add();
    }
    this.show(0);
  }

  /** the terminal in front */
  get current(): TerminalView {
    return this.views[this.active];
  }

  type(text: string): void {
    this.current.type(text);
  }

  dispose(): void {
    for (const v of this.views) v.dispose();
  }

  private countKey(): string {
    return `boxlab.terminal-tabs.${this.kind}:${this.labId}`;
  }

  private add(node?: string): void {
    const index = this.views.length;
    const host = el('div', { class: 'terminal-pane', 'data-tab': String(index), ...(node ? { 'data-node': node } : {}) });
    this.panes.append(host);
    this.hosts.push(host);
    this.views.push(
      new TerminalView(host, this.labId, {
        ...this.events,
        onSession: (session) => {
          if (index === this.active) this.box.dataset.session = session;
        },
      }, this.kind, node ? 0 : index, node),
    );
    if (!node) sessionStorage.setItem(this.countKey(), String(this.views.length));
    this.renderBar();
  }

  private close(index: number): void {
    if (index === 0) return;
    this.views.splice(index, 1)[0].dispose();
    this.hosts.splice(index, 1)[0].remove();
    // later tabs move down one place: their shells are theirs (sessions stay), only the numbers change
    sessionStorage.setItem(this.countKey(), String(this.views.length));
    this.show(Math.min(this.active, this.views.length - 1));
  }

  private show(index: number): void {
    this.active = index;
    this.hosts.forEach((h, i) => (h.hidden = i !== index));
    const view = this.views[index];
    view.refit();
    view.term.focus();
    if (this.hosts[index].dataset.session) this.box.dataset.session = this.hosts[index].dataset.session;
    (window as unknown as { boxlabTerminal: TerminalView }).boxlabTerminal = view;
    this.renderBar();
    const node = this.nodes?.[index];
    if (node) this.onNodeShown?.(node.name);
  }

  private renderBar(): void {
    if (this.nodes?.length) {
      const tabs = this.nodes.map((node, i) => {
        const tab = el('button', { type: 'button', class: `terminal-tab${i === this.active ? ' active' : ''}`, role: 'tab', 'aria-selected': String(i === this.active), 'data-tab': String(i), 'data-node': node.name, title: node.title }, node.name);
        tab.addEventListener('click', () => this.show(i));
        return tab;
      });
      this.bar.replaceChildren(...tabs);
      return;
    }
    const tabs = this.views.map((_, i) => {
      const tab = el('button', { type: 'button', class: `terminal-tab${i === this.active ? ' active' : ''}`, role: 'tab', 'aria-selected': String(i === this.active), 'data-tab': String(i) }, `${i + 1}`);
      tab.addEventListener('click', () => this.show(i));
      if (i === 0) return tab;
      const close = el('span', { class: 'terminal-tab-close', title: '×', 'aria-label': 'close' }, '×');
      close.addEventListener('click', (e) => {
        e.stopPropagation();
        this.close(i);
      });
      tab.append(close);
      return tab;
    });
    const add = el('button', { type: 'button', class: 'terminal-tab-add', 'aria-label': 'new terminal' }, '+');
    add.disabled = this.views.length >= MAX_TABS;
    add.addEventListener('click', () => {
      this.add();
      this.show(this.views.length - 1);
    });
    this.bar.replaceChildren(...tabs, add);
  }
}
