// A learner's session with the labs, as the CLI (and later the web page) uses it: the catalog with
// progress, start (runs the lab's setup), check the current step (records passes, moves on), hints,
// status and reset. Sandboxes are reached only through the Guest port.
import { failedPrecondition, invalidArgument } from '../core/errors.js';
import type { Guest } from '../vm/guest.js';
import { runStepChecks, type StepResult } from './check-engine.js';
import { askHint, staticHints, type HintAsk } from './hint-ladder.js';
import { writeAnswer } from './answer.js';
import { diagnoseEngines, probeEngines, usesDocker, type EngineMismatch } from './engine-probe.js';
import type { Lab, Step } from './lab-model.js';
import type { Lang } from '../core/lang.js';
import { defaultLabWorkDir, findLab, findLabWithDir, labEnv, labFileIn, listLabs, loadValidLab } from './lab-loader.js';
import type { LabProgress, ProgressStore } from './progress-store.js';

export interface LabSessionContext {
  store: ProgressStore;
  learner: string;
  labsRoot: string;
  lang: Lang;
  /** the lab's work folder in the sandbox */
  workDir?: (labId: string) => string;
  /**
   * the DOCKER_HOST of the shell the student types `docker` in ('' = unset): known when the sandbox is
   * this host (the shell that runs boxlab); absent for a vm, whose login shell the engine probe asks
   */
  shellDockerHost?: string;
}

export interface CatalogEntry {
  id: string;
  title: string;
  durationMinutes?: number;
  level?: string;
  /** the track (labs/tracks.yaml), the lab's place in it, and the labs to do first */
  track?: string;
  order?: number;
  requires: string[];
  steps: number;
  currentStep: number;
  finished: boolean;
  problems: number;
}

export interface StepView {
  index: number;
  count: number;
  id: string;
  title: string;
  text: string;
}

export async function listCatalog(ctx: LabSessionContext): Promise<CatalogEntry[]> {
  return (await listLabs(ctx.labsRoot)).map(({ lab, problems }) => {
    const p = ctx.store.get(ctx.learner, lab.id);
    const entry: CatalogEntry = {
      id: lab.id,
      title: lab.title[ctx.lang] ?? lab.title.en ?? lab.id,
      steps: lab.steps.length,
      currentStep: p?.currentStep ?? 0,
      finished: p?.finishedAt !== undefined,
      problems: problems.length,
      requires: lab.requires,
    };
    if (lab.durationMs !== undefined) entry.durationMinutes = Math.round(lab.durationMs / 60_000);
    if (lab.level) entry.level = lab.level;
    if (lab.track) entry.track = lab.track;
    if (lab.order !== undefined) entry.order = lab.order;
    return entry;
  });
}

export function stepView(lab: Lab, index: number, lang: Lang): StepView | undefined {
  const step = lab.steps[index];
  if (!step) return undefined;
  return { index, count: lab.steps.length, id: step.id, title: step.title[lang] ?? step.id, text: step.text[lang] ?? '' };
}

function envFor(ctx: LabSessionContext, lab: Lab): Record<string, string> {
  return labEnv(lab, (ctx.workDir ?? defaultLabWorkDir)(lab.id));
}

export interface StartResult {
  labId: string;
  title: string;
  intro: string;
  workDir: string;
  /** for a lab that uses the engine: where the student's docker must point (export DOCKER_HOST=...) */
  dockerHost?: string;
  resumed: boolean;
  /** the lab was finished before: nothing ran; start it over with `lab reset <id>`, or go on to nextLab */
  finished: boolean;
  /** after a finished lab: the next lab of the catalog not finished yet */
  nextLab?: { id: string; title: string };
  progress: LabProgress;
  step?: StepView;
}

export async function startLab(ctx: LabSessionContext, guest: Guest, id: string): Promise<StartResult> {
  const { lab, dir } = await findLabWithDir(id, ctx.labsRoot, ctx.lang);
  const before = ctx.store.get(ctx.learner, lab.id);
  const resumed = before !== undefined && (before.currentStep > 0 || Object.keys(before.passed).length > 0);
  const env = envFor(ctx, lab);
  if (!resumed && lab.setup) await runLabScript(guest, lab, 'setup', env);
  const progress = ctx.store.start(ctx.learner, lab.id, dir);
  const finished = progress.finishedAt !== undefined;
  const out: StartResult = { labId: lab.id, title: lab.title[ctx.lang] ?? lab.id, intro: lab.intro[ctx.lang] ?? '', workDir: env.LAB_DIR, resumed, finished, progress };
  if (env.DOCKER_HOST) out.dockerHost = env.DOCKER_HOST;
  const step = stepView(lab, progress.currentStep, ctx.lang);
  if (step) out.step = step;
  if (finished) {
    const next = await nextUnfinishedLab(ctx, lab.id);
    if (next) out.nextLab = next;
  }
  return out;
}

/** the first lab after `labId` in the catalog that the learner has not finished */
async function nextUnfinishedLab(ctx: LabSessionContext, labId: string): Promise<{ id: string; title: string } | undefined> {
  const catalog = await listCatalog(ctx);
  const after = catalog.slice(catalog.findIndex((l) => l.id === labId) + 1);
  const next = after.find((l) => !l.finished && l.problems === 0);
  return next && { id: next.id, title: next.title };
}

async function runLabScript(guest: Guest, lab: Lab, which: 'setup' | 'teardown', env: Record<string, string>): Promise<void> {
  const script = lab[which];
  if (!script) return;
  const r = await guest.exec({ script: `set -e\n${script.script}` }, { env, timeoutMs: 120_000 });
  if (r.exitCode !== 0) {
    throw failedPrecondition(`the ${which} of lab "${lab.id}" failed (exit ${r.exitCode}): ${(r.stderr.trim() || r.stdout.trim()).split('\n').slice(-1)[0]}`, {
      suggestions: [`run "boxlab lab test ${lab.id}" to see whether the lab works in this sandbox`],
    });
  }
}

async function activeLab(ctx: LabSessionContext): Promise<{ lab: Lab; progress: LabProgress }> {
  const where = ctx.store.activeLabLocation(ctx.learner);
  if (!where) throw failedPrecondition('no lab started', { suggestions: ['boxlab lab list', 'boxlab lab start <id>'] });
  const lab = where.dir && labFileIn(where.dir) ? await loadValidLab(where.dir) : await findLab(where.labId, ctx.labsRoot);
  return { lab, progress: ctx.store.get(ctx.learner, lab.id)! };
}

export interface CheckOutcome {
  labId: string;
  step: StepView;
  result: StepResult;
  progress: LabProgress;
  next?: StepView;
  finished: boolean;
  /** the lab was finished before this check: the last step was checked again and nothing was recorded */
  alreadyFinished: boolean;
  /** a failed engine check while the student's docker seems to talk to another engine (engine-probe.ts) */
  engineMismatch?: EngineMismatch;
}

export async function checkCurrentStep(ctx: LabSessionContext, guest: Guest): Promise<CheckOutcome> {
  const { lab, progress } = await activeLab(ctx);
  const index = Math.min(progress.currentStep, lab.steps.length - 1);
  const step: Step = lab.steps[index];
  const env = envFor(ctx, lab);
  const result = await runStepChecks(guest, step, { lang: ctx.lang, env });
  const alreadyFinished = progress.finishedAt !== undefined;
  // a finished lab stays finished: its last step is only checked again, for the student to see
  const passed = result.checks.filter((c) => c.status === 'passed').map((c) => c.name);
  const after = alreadyFinished ? progress : ctx.store.recordChecks(ctx.learner, lab.id, index, step.id, passed, result.passed, lab.steps.length);
  const out: CheckOutcome = { labId: lab.id, step: stepView(lab, index, ctx.lang)!, result, progress: after, finished: after.finishedAt !== undefined, alreadyFinished };
  const next = result.passed && !alreadyFinished ? stepView(lab, after.currentStep, ctx.lang) : undefined;
  if (next) out.next = next;
  const mismatch = await engineMismatch(ctx, guest, step, result, env.DOCKER_HOST);
  if (mismatch) out.engineMismatch = mismatch;
  return out;
}

/** when a check that runs docker failed in a lab that uses the engine: is the student's docker elsewhere? */
async function engineMismatch(ctx: LabSessionContext, guest: Guest, step: Step, result: StepResult, labHost: string | undefined): Promise<EngineMismatch | undefined> {
  if (!labHost || result.passed) return undefined;
  const failed = new Set(result.checks.filter((c) => c.status === 'failed').map((c) => c.name));
  if (!step.checks.some((c) => failed.has(c.name) && usesDocker(c))) return undefined;
  const probe = await probeEngines(guest, labHost, ctx.shellDockerHost ?? null);
  return probe && diagnoseEngines(probe, labHost, ctx.lang);
}

/** the current step's next progressive hint (hint-ladder.ts), or all of them; the count is remembered per step */
export async function currentHints(ctx: LabSessionContext, options: { all?: boolean } = {}): Promise<{ labId: string; step: StepView } & HintAsk> {
  const { lab, progress } = await activeLab(ctx);
  const index = Math.min(progress.currentStep, lab.steps.length - 1);
  const step = lab.steps[index];
  const ask = askHint(staticHints(step.hints, ctx.lang), ctx.store.hintsShown(ctx.learner, lab.id, step.id), options.all);
  if (ask.count > 0) ctx.store.recordHintsShown(ctx.learner, lab.id, step.id, Math.max(ask.shown, ctx.store.hintsShown(ctx.learner, lab.id, step.id)));
  return { labId: lab.id, step: stepView(lab, index, ctx.lang)!, ...ask };
}

/** a predict step's answer, written for the checks to read at $LAB_DIR/answer-<step> (answer.ts) */
export async function answerCurrentStep(ctx: LabSessionContext, guest: Guest, text: string): Promise<{ labId: string; step: StepView; file: string }> {
  const { lab, progress } = await activeLab(ctx);
  const index = Math.min(progress.currentStep, lab.steps.length - 1);
  const file = await writeAnswer(guest, lab, lab.steps[index], text, envFor(ctx, lab), ctx.lang);
  return { labId: lab.id, step: stepView(lab, index, ctx.lang)!, file };
}

export async function labStatus(ctx: LabSessionContext): Promise<{ labId: string; title: string; progress: LabProgress; step?: StepView }> {
  const { lab, progress } = await activeLab(ctx);
  const out: { labId: string; title: string; progress: LabProgress; step?: StepView } = { labId: lab.id, title: lab.title[ctx.lang] ?? lab.id, progress };
  const step = stepView(lab, progress.currentStep, ctx.lang);
  if (step) out.step = step;
  return out;
}

/**
 * back to step `stepNumber` (1-based) of the active lab, or of lab `id` (which becomes the active one);
 * back to 1 also tears the lab down and sets it up again
 */
export async function resetLab(ctx: LabSessionContext, guest: Guest, stepNumber = 1, id?: string): Promise<{ labId: string; progress: LabProgress; step: StepView }> {
  const named = id === undefined ? undefined : await findLabWithDir(id, ctx.labsRoot, ctx.lang);
  const { lab } = named ?? (await activeLab(ctx));
  if (!Number.isInteger(stepNumber) || stepNumber < 1 || stepNumber > lab.steps.length) {
    throw invalidArgument(`step ${stepNumber} does not exist in lab "${lab.id}"`, { suggestions: [`choose a step from 1 to ${lab.steps.length}`] });
  }
  // the lab named becomes the active one (started now if it never was)
  if (named) ctx.store.start(ctx.learner, lab.id, named.dir);
  if (stepNumber === 1) {
    const env = envFor(ctx, lab);
    await runLabScript(guest, lab, 'teardown', env);
    await runLabScript(guest, lab, 'setup', env);
  }
  const progress = ctx.store.reset(ctx.learner, lab.id, stepNumber - 1, lab.steps.slice(stepNumber - 1).map((s) => s.id));
  return { labId: lab.id, progress, step: stepView(lab, stepNumber - 1, ctx.lang)! };
}
