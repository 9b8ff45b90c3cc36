// A lab on the page: the step's instructions (HTML the server rendered from the lab's markdown, with
// run buttons, a predict step's answer box), Check (and automatic checks in the background), progressive
// hints (one more at each click: a nudge first, the command last), previous/next; the terminal and
// the "under the hood" panel beside it. The background check's latest result is shown quietly (one line
// under the buttons); the full report with hints appears on Check, or when the step passes. "Start over"
// sets the lab up again; "Solve up to here" replays the earlier steps' solutions (each checked); a lab
// whose sandbox no longer holds it (ADR 0014) opens with that choice instead of the step's checks.
import { api, el } from './api.js';
import { t } from './i18n.js';
import type { Lang } from '../../core/lang.js';
import { decorateCodeBlocks } from './code-blocks.js';
import { TerminalTabs } from './terminal-tabs.js';
import { PortsView } from './ports-view.js';
import { TracePanel, type TraceTarget } from './trace-panel.js';
// the server's replies (types only: nothing of the server is bundled into the page)
import type { CheckReport, HintReply, LabPage, SolveReport, StepPage } from '../server/web-backend.js';

export class LabView {
  private terminal?: TerminalTabs;
  private trace?: TracePanel;
  private lab?: LabPage;
  private index = 0;
  private watch?: EventSource;
  /** left (another route) while opening: no terminal is opened for a view nobody sees */
  private disposed = false;
  private readonly steps = el('section', { class: 'instructions' });
  private readonly termBox = el('div', { class: 'terminal', id: 'terminal' });
  private readonly status = el('div', { class: 'terminal-status', hidden: '' });
  private readonly traceBox = el('section', { class: 'trace', id: 'trace' });
  private readonly portsBox = el('section', {});
  private ports?: PortsView;
  /** what a reset, a replay or the opening said (the sandbox lost the lab, another lab was stopped) */
  private notice = el('div', { class: 'lab-notice', 'aria-live': 'polite', hidden: '' });

  constructor(private readonly root: HTMLElement, private readonly labId: string, private lang: Lang) {}

  async show(step?: string): Promise<void> {
    this.root.replaceChildren(
      el('div', { class: 'lab' }, this.steps, el('div', { class: 'side' }, el('div', { class: 'terminal-wrap' }, this.status, this.termBox), this.portsBox, this.traceBox)),
    );
    this.steps.replaceChildren(el('p', { class: 'muted' }, t('opening', this.lang)));
    try {
      this.lab = await api<LabPage>('POST', `/api/labs/${encodeURIComponent(this.labId)}?lang=${this.lang}`);
    } catch (err) {
      this.steps.replaceChildren(el('pre', { class: 'error' }, (err as Error).message));
      return;
    }
    if (this.disposed) return;
    // a multi-node lab: one tab per node, named like it, its address in the tooltip
    const nodes = this.lab.nodes?.map((n) => ({ name: n.name, title: t('nodeTab', this.lang, { node: n.name, address: n.address ?? '?' }) }));
    this.terminal = new TerminalTabs(this.termBox, this.labId, {
      onStatus: (s) => {
        this.status.hidden = !s;
        this.status.textContent = s ? t('reconnecting', this.lang) : '';
      },
    }, 'lab', nodes, (node) => this.trace?.follow(this.traceTarget(node)));
    this.ports = new PortsView(this.portsBox, this.lang);
    // a multi-node lab's panel follows the node tab in front: that node's own boxlabd
    this.trace = new TracePanel(this.traceBox, this.lang, (step) => this.ports?.noticeStep(step), this.traceTarget(this.lab.nodes?.[0]?.name));
    this.showOpening(this.lab);
    await this.goTo(this.stepIndex(step));
  }

  async setStep(step?: string): Promise<void> {
    if (this.lab) await this.goTo(this.stepIndex(step));
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.trace?.setLang(lang);
    this.ports?.setLang(lang);
    if (this.lab) void this.reloadLab();
  }

  dispose(): void {
    this.disposed = true;
    this.watch?.close();
    this.terminal?.dispose();
    this.trace?.dispose();
  }

  private traceTarget(node: string | undefined): TraceTarget {
    const n = this.lab?.nodes?.find((x) => x.name === node);
    return n ? { labId: this.labId, node: n.name, engine: n.engine } : {};
  }

  private async reloadLab(): Promise<void> {
    this.lab = await api<LabPage>('POST', `/api/labs/${encodeURIComponent(this.labId)}?lang=${this.lang}`);
    if (this.lab.sandboxLost) this.showOpening(this.lab);
    await this.goTo(this.index);
  }

  /** the notice above the step: a message, and buttons when the learner has a choice */
  private say(kind: string, text: string, ...buttons: HTMLButtonElement[]): void {
    this.notice.hidden = false;
    this.notice.className = `lab-notice ${kind}`;
    this.notice.replaceChildren(el('p', {}, text), ...(buttons.length ? [el('div', { class: 'actions' }, ...buttons)] : []));
  }

  /** what opening the lab found: another lab torn down, or a sandbox that no longer holds this one */
  private showOpening(lab: LabPage): void {
    if (lab.sandboxLost) {
      const n = lab.sandboxLost.atStep - 1;
      const replay = el('button', { type: 'button', class: 'replay primary' }, t('replayEarlier', this.lang, { n }));
      replay.addEventListener('click', () => void this.solve(n, replay));
      const restart = el('button', { type: 'button', class: 'restart' }, t('labReset', this.lang));
      restart.addEventListener('click', () => void this.reset(restart, false));
      this.say('sandbox-lost', t('sandboxLost', this.lang, { n: lab.sandboxLost.atStep, now: lab.sandboxLost.now }), replay, restart);
    } else if (lab.stopped) this.say('lab-stopped', t('labStopped', this.lang, { id: lab.stopped.id }) + (lab.stopped.problem ? ` (${lab.stopped.problem})` : ''));
    else this.notice.hidden = true;
  }

  private async reset(button: HTMLButtonElement, ask = true): Promise<void> {
    if (ask && !confirm(t('labResetConfirm', this.lang))) return;
    button.disabled = true;
    this.say('working', t('labResetting', this.lang));
    try {
      this.lab = await api<LabPage>('POST', `/api/labs/${encodeURIComponent(this.labId)}/reset?lang=${this.lang}`);
      this.say('done', t('labResetDone', this.lang));
      await this.goToCurrent(0);
    } catch (err) {
      this.say('error', (err as Error).message);
    } finally {
      button.disabled = false;
    }
  }

  /** "solve up to here": replays steps 1..index, then shows the step the learner is at */
  private async solve(index: number, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    this.say('working', t('solving', this.lang));
    try {
      const r = await api<SolveReport>('POST', `/api/labs/${encodeURIComponent(this.labId)}/steps/${index}/solve?lang=${this.lang}`);
      const stuck = r.steps.find((s) => !s.passed);
      if (stuck) this.say('error', t('solveStopped', this.lang, { n: stuck.index + 1, problem: stuck.problem ?? '' }));
      else this.say('done', t('solved', this.lang, { n: r.steps.length }));
      this.lab = { ...this.lab!, currentStep: r.currentStep, finished: false, sandboxLost: undefined };
      await this.goToCurrent(r.currentStep);
    } catch (err) {
      this.say('error', (err as Error).message);
    } finally {
      button.disabled = false;
    }
  }

  /** shows step `index` (its address too, so a reload comes back to it) */
  private async goToCurrent(index: number): Promise<void> {
    const lab = this.lab!;
    const step = lab.steps[Math.min(index, lab.steps.length - 1)];
    const hash = `#/lab/${lab.id}/${step.id}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    await this.goTo(Math.min(index, lab.steps.length - 1));
  }

  private stepIndex(step?: string): number {
    const lab = this.lab!;
    if (step === undefined || step === '') return Math.min(lab.currentStep, lab.steps.length - 1);
    const byId = lab.steps.findIndex((s) => s.id === step);
    if (byId >= 0) return byId;
    const n = Number(step);
    return Number.isInteger(n) && n >= 1 && n <= lab.steps.length ? n - 1 : 0;
  }

  private async goTo(index: number): Promise<void> {
    const lab = this.lab!;
    this.index = index;
    const page = await api<StepPage>('GET', `/api/labs/${encodeURIComponent(lab.id)}/steps/${index}?lang=${this.lang}`);
    const body = el('div', { class: 'step-text' });
    body.innerHTML = page.html; // rendered by the server from the lab's markdown, HTML escaped (step-markdown.ts)
    decorateCodeBlocks(body, this.lang, (code) => this.terminal?.type(code));
    const result = el('div', { class: 'check-result', 'aria-live': 'polite' });
    // not aria-live: a background result every few seconds must not keep interrupting a screen reader
    const auto = el('p', { class: 'auto-result', hidden: '' });
    const checkButton = el('button', { type: 'button', class: 'check primary' }, t('check', this.lang));
    checkButton.addEventListener('click', () => void this.check(checkButton, result));
    this.decorateAnswers(body, lab.id, index);
    const hints = this.hintBox(lab.id, index, page.hints, page.hintCount ?? page.hints.length);
    const prev = el('button', { type: 'button', class: 'prev' }, t('prev', this.lang));
    const next = el('button', { type: 'button', class: 'next' }, t('next', this.lang));
    prev.disabled = index === 0;
    next.disabled = index >= page.count - 1;
    prev.addEventListener('click', () => (location.hash = `#/lab/${lab.id}/${lab.steps[index - 1].id}`));
    next.addEventListener('click', () => (location.hash = `#/lab/${lab.id}/${lab.steps[index + 1].id}`));
    const nav = el('ol', { class: 'step-nav' }, ...lab.steps.map((s, i) => el('li', { class: i === index ? 'current' : i < lab.currentStep ? 'done' : '' }, el('a', { href: `#/lab/${lab.id}/${s.id}` }, s.title))));
    // "About this lab" (what $LAB_DIR is, what the lab needs) is open on a first visit, then as the learner left it
    const introKey = `boxlab.intro-closed.${lab.id}`;
    const intro = el('details', { class: 'intro' }, el('summary', {}, t('intro', this.lang)));
    intro.open = localStorage.getItem(introKey) !== '1';
    intro.addEventListener('toggle', () => localStorage.setItem(introKey, intro.open ? '0' : '1'));
    const introBody = el('div', {});
    introBody.innerHTML = lab.introHtml; // server-rendered, escaped
    intro.append(introBody);
    const reset = el('button', { type: 'button', class: 'lab-reset' }, t('labReset', this.lang));
    reset.addEventListener('click', () => void this.reset(reset));
    const labActions = el('div', { class: 'actions lab-actions' }, reset);
    if (index > 0) {
      const solve = el('button', { type: 'button', class: 'solve', title: t('solveUpToTitle', this.lang, { n: index }) }, t('solveUpTo', this.lang));
      solve.addEventListener('click', () => void this.solve(index, solve));
      labActions.append(solve);
    }
    this.steps.replaceChildren(
      el('h1', {}, lab.title), this.notice, intro, nav, labActions,
      el('h2', {}, `${index + 1}/${page.count} · ${page.title}`), body,
      el('div', { class: 'actions' }, prev, checkButton, next, el('span', { class: 'muted auto' }, t('autoCheck', this.lang))),
      auto, result, hints,
    );
    // a sandbox without the lab fails every check: no background checks until the learner chose
    if (lab.sandboxLost) this.watch?.close();
    else this.watchStep(index, result, auto);
  }

  /** the hints seen so far, numbered, and a button for the next one ("Hint", then "Another hint") */
  private hintBox(labId: string, index: number, seen: string[], count: number): HTMLElement {
    const box = el('div', { class: 'hints' });
    if (count === 0) return box;
    const list = el('ol', { class: 'hint-list' });
    const button = el('button', { type: 'button', class: 'hint-button' });
    const show = (hints: string[]) => {
      list.replaceChildren(...hints.map((h, i) => el('li', { class: 'hint' }, el('span', { class: 'badge' }, t('hintOf', this.lang).replace('{n}', String(i + 1)).replace('{count}', String(count))), ` ${h}`)));
      button.textContent = hints.length === 0 ? t('hint', this.lang) : hints.length < count ? t('anotherHint', this.lang) : t('noMoreHints', this.lang);
      button.disabled = hints.length >= count;
    };
    button.addEventListener('click', () => {
      button.disabled = true;
      void api<HintReply>('POST', `/api/labs/${encodeURIComponent(labId)}/steps/${index}/hint?lang=${this.lang}`)
        .then((r) => (this.index === index ? show(r.hints) : undefined))
        .catch((err: Error) => list.append(el('li', { class: 'error' }, err.message)));
    });
    show(seen);
    box.append(list, button);
    return box;
  }

  /** a predict step's question (an .answer-box the server rendered): a field and a button that save the answer in the sandbox */
  private decorateAnswers(body: HTMLElement, labId: string, index: number): void {
    for (const box of body.querySelectorAll<HTMLElement>('.answer-box')) {
      const input = el('input', { type: 'text', class: 'answer-input', 'aria-label': t('yourAnswer', this.lang), placeholder: t('yourAnswer', this.lang) });
      const save = el('button', { type: 'button', class: 'answer-save' }, t('saveAnswer', this.lang));
      const status = el('span', { class: 'answer-status muted', 'aria-live': 'polite' });
      const submit = () => {
        save.disabled = true;
        void api<{ file: string }>('POST', `/api/labs/${encodeURIComponent(labId)}/steps/${index}/answer?lang=${this.lang}`, input.value)
          .then(() => (status.textContent = t('answerSaved', this.lang), status.className = 'answer-status saved'))
          .catch((err: Error) => (status.textContent = err.message, status.className = 'answer-status error'))
          .finally(() => (save.disabled = false));
      };
      save.addEventListener('click', submit);
      input.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') submit();
      });
      box.append(el('div', { class: 'answer-row' }, input, save, status));
    }
  }

  private watchStep(index: number, result: HTMLElement, auto: HTMLElement): void {
    this.watch?.close();
    const lab = this.lab!;
    const source = new EventSource(`/api/labs/${encodeURIComponent(lab.id)}/steps/${index}/watch?lang=${this.lang}`);
    this.watch = source;
    source.addEventListener('check', (ev) => {
      const report = JSON.parse((ev as MessageEvent<string>).data) as CheckReport;
      if (report.stepIndex !== this.index) return;
      this.showAuto(report, auto);
      // a pass is news: the full report; a failure stays the quiet line until Check is pressed
      if (report.passed) this.showReport(report, result);
    });
    source.addEventListener('failure', (ev) => {
      const { message } = JSON.parse((ev as MessageEvent<string>).data) as { message: string };
      auto.hidden = false;
      auto.className = 'auto-result error';
      auto.textContent = `${t('autoError', this.lang)}: ${message}`;
    });
    // the server ends the stream when the step passed; do not let EventSource reconnect then
    source.onerror = () => source.close();
  }

  /** the background check's latest result in one line: which check is not there yet, and why */
  private showAuto(r: CheckReport, auto: HTMLElement): void {
    auto.hidden = false;
    auto.className = `auto-result ${r.passed ? 'passed' : 'failed'}`;
    auto.dataset.passed = String(r.passed);
    const failed = r.checks.find((c) => c.status === 'failed');
    auto.textContent = r.passed ? t('stepPassed', this.lang) : `${t('autoFailed', this.lang)}${failed ? ` — ${failed.name}${failed.message ? `: ${failed.message}` : ''}` : ''}`;
  }

  private async check(button: HTMLButtonElement, result: HTMLElement): Promise<void> {
    button.disabled = true;
    button.textContent = t('checking', this.lang);
    try {
      this.showReport(await api<CheckReport>('POST', `/api/labs/${encodeURIComponent(this.lab!.id)}/steps/${this.index}/check?lang=${this.lang}`), result);
    } catch (err) {
      result.replaceChildren(el('pre', { class: 'error' }, (err as Error).message));
    } finally {
      button.disabled = false;
      button.textContent = t('check', this.lang);
    }
  }

  private showReport(r: CheckReport, result: HTMLElement): void {
    if (r.stepIndex !== this.index) return;
    this.lab!.currentStep = r.currentStep;
    const head = r.passed ? (r.finished && r.currentStep >= this.lab!.steps.length ? t('labFinished', this.lang) : t('stepPassed', this.lang)) : t('failed', this.lang);
    result.className = `check-result ${r.passed ? 'passed' : 'failed'}`;
    result.replaceChildren(
      el('strong', {}, head),
      el('ul', {}, ...r.checks.map((c) => el('li', { class: c.status, ...(c.node ? { 'data-node': c.node } : {}) }, el('span', { class: 'badge' }, t(c.status, this.lang)), ` ${c.name}`, c.node ? ` (${t('onNode', this.lang, { node: c.node })})` : '', c.message ? ` — ${c.message}` : ''))),
      ...(r.hint ? [el('p', { class: 'hint' }, `${t('hint', this.lang)}: ${r.hint}`)] : []),
    );
  }
}
