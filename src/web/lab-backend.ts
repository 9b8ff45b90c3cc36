// The labs as the web page sees them: the public lab-session / check-engine functions of labs/ adapted to
// the server's LabBackend port (server/web-backend.ts), with step text rendered to safe HTML. Checks run
// in the sandbox through the Guest port, with the same environment as the page's terminal. A multi-node
// lab's checks run on the nodes they name (labPlace, ADR 0016), and its page lists the nodes, one terminal
// tab each.
import type { Guest } from '../vm/guest.js';
import { writeAnswer } from '../labs/answer.js';
import { runStepChecks, watchStep, type StepResult } from '../labs/check-engine.js';
import { askHint, seenHints, staticHints } from '../labs/hint-ladder.js';
import { catalogByTrack } from '../labs/lab-catalog.js';
import { defaultLabWorkDir, findLabWithDir, labEnv } from '../labs/lab-loader.js';
import type { Lab } from '../labs/lab-model.js';
import type { Lang } from '../core/lang.js';
import { labPlace, resetLab, shellNode, solveUpTo, startLab, type LabPlace, type LabSessionContext, type StartResult } from '../labs/lab-session.js';
import { invalidArgument } from '../core/errors.js';
import { renderStepMarkdown } from './server/step-markdown.js';
import type { CatalogItem, CheckItem, CheckReport, HintReply, LabBackend, LabPage, SolveReport, StepPage } from './server/web-backend.js';

export interface SessionLabBackendOptions {
  ctx: LabSessionContext;
  guest: Guest;
  /** extra environment for checks and terminals, e.g. DOCKER_HOST pointing at the sandbox's engine */
  env?: Record<string, string>;
  watchIntervalMs?: number;
  /** a node's address on its lab network (the VM's record), shown on its terminal tab */
  nodeAddress?: (node: string) => Promise<string | undefined>;
}

export class SessionLabBackend implements LabBackend {
  constructor(private readonly options: SessionLabBackendOptions) {}

  async catalog(lang: Lang): Promise<CatalogItem[]> {
    const ctx = { ...this.options.ctx, lang };
    // in track order (labs/tracks.yaml), each lab with its track's title
    const tracks = await catalogByTrack(ctx);
    const entries = tracks.flatMap((t) => t.labs.map((e) => ({ e, track: t })));
    const descriptions = new Map<string, string>();
    for (const { e } of entries) {
      const lab = await this.lab(e.id).catch(() => undefined);
      if (lab) descriptions.set(e.id, pick(lab.description, lang));
    }
    return entries
      .filter(({ e }) => e.problems === 0)
      .map(({ e, track }) => {
        const item: CatalogItem = { id: e.id, title: e.title, description: descriptions.get(e.id) ?? '', steps: e.steps, currentStep: e.currentStep, finished: e.finished, requires: e.requires };
        if (e.durationMinutes !== undefined) item.durationMinutes = e.durationMinutes;
        if (e.level) item.level = e.level;
        if (track.id !== null) Object.assign(item, { track: track.id, trackTitle: track.title });
        return item;
      });
  }

  async open(labId: string, lang: Lang): Promise<LabPage> {
    return this.page(await startLab(this.ctx(lang), this.options.guest, labId), lang);
  }

  async reset(labId: string, lang: Lang): Promise<LabPage> {
    const r = await resetLab(this.ctx(lang), this.options.guest, 1, labId);
    const page = await this.page({ labId: r.labId, workDir: (await this.terminalEnv(r.labId)).LAB_DIR ?? '', progress: r.progress }, lang);
    if (r.stopped) page.stopped = r.stopped;
    return page;
  }

  async solve(labId: string, index: number, lang: Lang): Promise<SolveReport> {
    const lab = await this.lab(labId);
    stepAt(lab, index);
    const r = await solveUpTo(this.ctx(lang), this.options.guest, labId, index + 1);
    return { ...r.replay, currentStep: r.progress.currentStep };
  }

  /** the session's context for one request: the page's language, and the engine the server talks to */
  private ctx(lang: Lang): LabSessionContext {
    return { ...this.options.ctx, lang, env: { ...this.options.ctx.env, ...this.options.env } };
  }

  private async page(started: Pick<StartResult, 'labId' | 'workDir' | 'progress'> & Partial<Pick<StartResult, 'sandboxLost' | 'stopped'>>, lang: Lang): Promise<LabPage> {
    const lab = await this.lab(started.labId);
    const page: LabPage = {
      id: lab.id,
      title: pick(lab.title, lang) || lab.id,
      introHtml: renderStepMarkdown(pick(lab.intro, lang)),
      steps: lab.steps.map((s) => ({ id: s.id, title: pick(s.title, lang) || s.id })),
      currentStep: started.progress.currentStep,
      finished: started.progress.finishedAt !== undefined,
      workDir: started.workDir,
    };
    if (started.sandboxLost) page.sandboxLost = started.sandboxLost;
    if (started.stopped) page.stopped = started.stopped;
    if (lab.nodes) {
      const address = this.options.nodeAddress ?? (async () => undefined);
      page.nodes = await Promise.all(
        lab.nodes.map(async (n) => {
          const at = await address(n.name).catch(() => undefined);
          return { name: n.name, engine: n.engine, ...(at ? { address: at } : {}) };
        }),
      );
    }
    return page;
  }

  async step(labId: string, index: number, lang: Lang): Promise<StepPage> {
    const lab = await this.lab(labId);
    const step = stepAt(lab, index);
    const { store, learner } = this.options.ctx;
    const progress = store.get(learner, lab.id);
    const ladder = staticHints(step.hints, lang);
    return {
      index,
      count: lab.steps.length,
      id: step.id,
      title: pick(step.title, lang) || step.id,
      html: renderStepMarkdown(pick(step.text, lang)),
      hints: seenHints(ladder, store.hintsShown(learner, lab.id, step.id)),
      hintCount: ladder.length,
      passed: Object.keys(progress?.passed[step.id] ?? {}),
    };
  }

  /** the next progressive hint, remembered in the progress store as `boxlab lab hint` does */
  async hint(labId: string, index: number, lang: Lang): Promise<HintReply> {
    const lab = await this.lab(labId);
    const step = stepAt(lab, index);
    const { store, learner } = this.options.ctx;
    const ladder = staticHints(step.hints, lang);
    const ask = askHint(ladder, store.hintsShown(learner, lab.id, step.id));
    if (ask.count > 0) store.recordHintsShown(learner, lab.id, step.id, ask.shown);
    return { hints: seenHints(ladder, ask.shown), count: ask.count };
  }

  async answer(labId: string, index: number, text: string, lang: Lang): Promise<{ file: string }> {
    const lab = await this.lab(labId);
    const place = this.place(lab, lang);
    return { file: await writeAnswer(place.main, lab, stepAt(lab, index), text, await this.terminalEnv(lab.id), lang) };
  }

  async check(labId: string, index: number, lang: Lang): Promise<CheckReport> {
    const lab = await this.lab(labId);
    const place = this.place(lab, lang);
    const result = await runStepChecks(place.main, stepAt(lab, index), { lang, env: await this.labEnv(lab), ...(place.nodes ? { nodes: place.nodes } : {}) });
    return this.record(lab, index, result);
  }

  async watch(labId: string, index: number, lang: Lang, signal: AbortSignal, onChange: (r: CheckReport) => void): Promise<void> {
    const lab = await this.lab(labId);
    const place = this.place(lab, lang);
    const env = await this.labEnv(lab);
    const options = { lang, env, signal, intervalMs: this.options.watchIntervalMs ?? 3000, ...(place.nodes ? { nodes: place.nodes } : {}) };
    await watchStep(place.main, stepAt(lab, index), options, (r) => {
      if (!signal.aborted) onChange(this.record(lab, index, r));
    });
  }

  async terminalEnv(labId: string, node?: string): Promise<Record<string, string>> {
    const lab = await this.lab(labId);
    const env = await this.labEnv(lab);
    const on = shellNode(lab, node, this.options.ctx.lang);
    return on === undefined ? env : { ...env, LAB_NODE: on };
  }

  /**
   * the lab's environment; ours last: the web server knows where this sandbox's engine really listens (a
   * multi-node lab's nodes have engines of their own: its shells and checks never get the sandbox's)
   */
  private async labEnv(lab: Lab): Promise<Record<string, string>> {
    return { ...labEnv(lab, (this.options.ctx.workDir ?? defaultLabWorkDir)(lab.id)), ...(lab.nodes ? {} : this.options.env) };
  }

  /** where the lab's checks and answers go: the sandbox, or a multi-node lab's nodes */
  private place(lab: Lab, lang: Lang): LabPlace {
    return labPlace(this.ctx(lang), this.options.guest, lab);
  }

  private record(lab: Lab, index: number, result: StepResult): CheckReport {
    const { store, learner } = this.options.ctx;
    const step = lab.steps[index];
    const passedChecks = result.checks.filter((c) => c.status === 'passed').map((c) => c.name);
    const progress = store.recordChecks(learner, lab.id, index, step.id, passedChecks, result.passed, lab.steps.length);
    const report: CheckReport = {
      stepIndex: index,
      passed: result.passed,
      checks: result.checks.map((c) => {
        const item: CheckItem = { name: c.name, status: c.status, message: c.message };
        if (c.hint) item.hint = c.hint;
        if (c.node) item.node = c.node;
        return item;
      }),
      currentStep: progress.currentStep,
      finished: progress.finishedAt !== undefined,
    };
    if (result.hint) report.hint = result.hint;
    return report;
  }

  private async lab(labId: string): Promise<Lab> {
    return (await findLabWithDir(labId, this.options.ctx.labsRoot)).lab;
  }
}

function pick(text: Partial<Record<Lang, string>>, lang: Lang): string {
  return text[lang] ?? text.en ?? text.zh ?? '';
}

function stepAt(lab: Lab, index: number) {
  const step = lab.steps[index];
  if (!Number.isInteger(index) || !step) {
    throw invalidArgument(`step ${index + 1} does not exist in lab "${lab.id}"`, { suggestions: [`choose a step from 1 to ${lab.steps.length}`] });
  }
  return step;
}
