// A tutorial on the page: one step at a time (its text, its command), "Run" runs the command in the
// sandbox through the server (the same runner and output matcher as `boxlab tutorial test`) and shows
// expected vs actual with the matcher's diff; "Type into terminal" types it into the shell beside it
// instead, which starts in the same folder ($TUTORIAL_DIR). Previous/next, and "Start over" cleans up.
import { api, el } from './api.js';
import { t } from './i18n.js';
import type { Lang } from '../../core/lang.js';
import { TerminalTabs } from './terminal-tabs.js';
import { TracePanel } from './trace-panel.js';

interface TutorialStepView { number: number; html: string; script: string; expected?: string; exit: number; skip: boolean; cleanup: boolean }
interface TutorialPage { id: string; title: string; lang: Lang; steps: TutorialStepView[]; outroHtml: string; workDir: string }
interface TutorialRunResult { number: number; status: 'passed' | 'failed' | 'skipped'; exitCode?: number; output?: string; expected?: string; problems: string[]; durationMs: number }

export class TutorialView {
  private terminal?: TerminalTabs;
  private trace?: TracePanel;
  private page?: TutorialPage;
  private index = 0;
  /** what each step gave when it was last run, so going back shows it again */
  private readonly results = new Map<number, TutorialRunResult>();
  private readonly steps = el('section', { class: 'instructions tutorial' });
  private readonly termBox = el('div', { class: 'terminal', id: 'terminal' });
  private readonly status = el('div', { class: 'terminal-status', hidden: '' });
  private readonly traceBox = el('section', { class: 'trace', id: 'trace' });

  constructor(private readonly root: HTMLElement, private readonly id: string, private lang: Lang) {}

  async show(step?: string): Promise<void> {
    this.root.replaceChildren(
      el('div', { class: 'lab' }, this.steps, el('div', { class: 'side' }, el('div', { class: 'terminal-wrap' }, this.status, this.termBox), this.traceBox)),
    );
    this.steps.replaceChildren(el('p', { class: 'muted' }, t('opening', this.lang)));
    try {
      this.page = await this.load();
    } catch (err) {
      this.steps.replaceChildren(el('pre', { class: 'error' }, (err as Error).message));
      return;
    }
    this.terminal = new TerminalTabs(this.termBox, this.id, {
      onStatus: (s) => {
        this.status.hidden = !s;
        this.status.textContent = s ? t('reconnecting', this.lang) : '';
      },
    }, 'tutorial');
    this.trace = new TracePanel(this.traceBox, this.lang);
    this.goTo(this.stepIndex(step));
  }

  async setStep(step?: string): Promise<void> {
    if (this.page) this.goTo(this.stepIndex(step));
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.trace?.setLang(lang);
    if (this.page) void this.load().then((p) => ((this.page = p), this.goTo(this.index)));
  }

  dispose(): void {
    this.terminal?.dispose();
    this.trace?.dispose();
  }

  private load(): Promise<TutorialPage> {
    return api<TutorialPage>('POST', `/api/tutorials/${encodeURIComponent(this.id)}?lang=${this.lang}`);
  }

  private stepIndex(step?: string): number {
    const n = Number(step);
    return Number.isInteger(n) && n >= 1 && n <= this.page!.steps.length ? n - 1 : 0;
  }

  private href(index: number): string {
    return `#/tutorial/${encodeURIComponent(this.id)}/${index + 1}`;
  }

  private goTo(index: number): void {
    const page = this.page!;
    this.index = index;
    const step = page.steps[index];
    if (!step) {
      this.steps.replaceChildren(el('h1', {}, page.title), el('p', { class: 'muted' }, '—'));
      return;
    }
    const prose = el('div', { class: 'step-text' });
    prose.innerHTML = step.html; // rendered by the server from the tutorial's markdown, HTML escaped (step-markdown.ts)
    for (const button of prose.querySelectorAll<HTMLButtonElement>('button.run')) {
      button.addEventListener('click', () => this.terminal?.type((button.dataset.code ?? '') + '\r'));
    }
    const script = el('pre', { class: 'script' }, el('code', {}, step.script));
    const result = el('div', { class: 'tutorial-result', 'aria-live': 'polite' });
    const run = el('button', { type: 'button', class: 'tutorial-run primary' }, t('tutorialRun', this.lang));
    const type = el('button', { type: 'button', class: 'tutorial-type' }, t('tutorialType', this.lang));
    const prev = el('button', { type: 'button', class: 'prev' }, t('prev', this.lang));
    const next = el('button', { type: 'button', class: 'next' }, t('next', this.lang));
    const reset = el('button', { type: 'button', class: 'tutorial-reset' }, t('tutorialReset', this.lang));
    run.disabled = step.skip;
    prev.disabled = index === 0;
    next.disabled = index >= page.steps.length - 1;
    run.addEventListener('click', () => void this.run(step, run, result));
    // the script as one paste: a multi-line heredoc must reach the shell whole, then Enter
    type.addEventListener('click', () => this.terminal?.type(step.script.replace(/\n/g, '\r') + '\r'));
    prev.addEventListener('click', () => (location.hash = this.href(index - 1)));
    next.addEventListener('click', () => (location.hash = this.href(index + 1)));
    reset.addEventListener('click', () => void this.reset(reset, result));
    const nav = el('ol', { class: 'step-nav tutorial-nav' }, ...page.steps.map((s, i) => {
      const r = this.results.get(s.number);
      return el('li', { class: [i === index ? 'current' : '', r ? `ran-${r.status}` : ''].join(' ').trim() }, el('a', { href: this.href(i) }, firstLine(s.script)));
    }));
    const tags = [step.skip ? t('skipStep', this.lang) : '', step.cleanup ? t('cleanupStep', this.lang) : ''].filter(Boolean);
    const outro = el('div', { class: 'step-text outro' });
    if (index === page.steps.length - 1) outro.innerHTML = page.outroHtml; // server-rendered, escaped
    this.steps.replaceChildren(
      el('h1', {}, page.title), nav,
      el('h2', {}, `${index + 1}/${page.steps.length}`), prose,
      ...tags.map((x) => el('p', { class: 'muted' }, x)),
      script,
      el('div', { class: 'actions' }, prev, run, type, next, reset),
      result, outro,
    );
    const last = this.results.get(step.number);
    if (last) this.showResult(last, step, result);
  }

  private async run(step: TutorialStepView, button: HTMLButtonElement, result: HTMLElement): Promise<void> {
    button.disabled = true;
    button.textContent = t('tutorialRunning', this.lang);
    result.className = 'tutorial-result running';
    try {
      const r = await api<TutorialRunResult>('POST', `/api/tutorials/${encodeURIComponent(this.id)}/steps/${step.number}/run?lang=${this.lang}`);
      this.results.set(step.number, r);
      if (this.page?.steps[this.index]?.number === step.number) this.goTo(this.index);
    } catch (err) {
      result.className = 'tutorial-result failed';
      result.replaceChildren(el('pre', { class: 'error' }, (err as Error).message));
    } finally {
      button.disabled = false;
      button.textContent = t('tutorialRun', this.lang);
    }
  }

  private async reset(button: HTMLButtonElement, result: HTMLElement): Promise<void> {
    button.disabled = true;
    try {
      await api('POST', `/api/tutorials/${encodeURIComponent(this.id)}/reset?lang=${this.lang}`);
      this.results.clear();
      location.hash = this.href(0);
      this.goTo(0);
      this.steps.querySelector('.tutorial-result')?.replaceChildren(el('p', { class: 'muted' }, t('tutorialResetDone', this.lang)));
    } catch (err) {
      result.replaceChildren(el('pre', { class: 'error' }, (err as Error).message));
    } finally {
      button.disabled = false;
    }
  }

  private showResult(r: TutorialRunResult, step: TutorialStepView, result: HTMLElement): void {
    result.className = `tutorial-result ${r.status}`;
    result.dataset.status = r.status;
    const head = r.status === 'skipped' ? t('skipped', this.lang) : `${t(r.status, this.lang)} · ${t('exitCode', this.lang)} ${r.exitCode ?? '?'} · ${r.durationMs} ms`;
    const matches = step.expected === undefined ? t('noExpected', this.lang) : r.problems.some((p) => p.includes('\n')) ? t('outputDiffers', this.lang) : t('outputMatches', this.lang);
    result.replaceChildren(
      el('strong', {}, head),
      el('p', { class: 'match' }, matches),
      el('div', { class: 'outputs' },
        el('div', {}, el('h3', {}, t('expectedOutput', this.lang)), el('pre', { class: 'expected' }, step.expected ?? '')),
        el('div', {}, el('h3', {}, t('actualOutput', this.lang)), el('pre', { class: 'actual' }, r.output ?? ''))),
      ...r.problems.map((p) => el('pre', { class: 'diff' }, p)),
    );
  }
}

function firstLine(script: string): string {
  const line = script.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 48 ? `${line.slice(0, 47)}…` : line;
}
