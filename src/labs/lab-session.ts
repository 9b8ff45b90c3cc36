// A learner's session with the labs, as the CLI (and later the web page) uses it: the catalog with
// progress, start (runs the lab's setup), check the current step (records passes, moves on), hints,
// status and reset. Sandboxes are reached only through the Guest port. A multi-node lab (ADR 0016) runs
// each block on its node's guest (`ctx.nodeGuest`); everything without a node (the marker, answers) goes
// to its first node.
import { failedPrecondition, invalidArgument, messageOf } from '../core/errors.js';
import type { Guest } from '../vm/guest.js';
import { runStepChecks, type NodePlacement, type StepResult } from './check-engine.js';
import { askHint, staticHints, type HintAsk } from './hint-ladder.js';
import { writeAnswer } from './answer.js';
import { diagnoseEngines, probeEngines, usesDocker, type EngineMismatch } from './engine-probe.js';
import { labScripts, nodeOf, stepSolutions, type Lab, type Script, type Step } from './lab-model.js';
import type { Lang } from '../core/lang.js';
import { defaultLabWorkDir, findLab, findLabWithDir, labEnv, labFileIn, listLabs, loadValidLab, SANDBOX_DOCKER_HOST } from './lab-loader.js';
import type { LabProgress, ProgressStore } from './progress-store.js';
import { newLabMarker, readLabMarker, removeLabMarker, writeLabMarker } from './lab-marker.js';
import { labMessage } from './lab-messages.js';
import { ensureLabImages, seedDockerNodeImages, type LabImageSource } from './lab-images.js';

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
  /**
   * extra environment for the lab's scripts, last (the web server's DOCKER_HOST for the engine it talks to):
   * the sandbox's engine, so a multi-node lab's blocks, which run on nodes with engines of their own, never get it
   */
  env?: Record<string, string>;
  /**
   * where the images a lab needs come from when the engine lacks them (lab-images.ts); none: not checked.
   * Loaded when a lab is set up, not before: the bake code is large, and `lab check` never needs it.
   */
  images?: () => Promise<LabImageSource>;
  /** a line of progress on long work (baking images), for the student */
  progress?: (line: string) => void;
  /** the guest of a node of a multi-node lab (its VM); absent: such a lab cannot run here */
  nodeGuest?: (node: string) => Guest;
  /** snapshots of a multi-node lab's nodes (src/vm/lab-snapshots.ts): restored before its setup, saved after */
  nodeSnapshots?: NodeSnapshots;
}

/**
 * what the session asks of a multi-node lab's snapshots (ADR 0018). restore, before a setup: 'start' when
 * every node is back at the lab's start (no setup needed), 'fresh' when back to clean nodes (set it up),
 * 'none' when nothing was restored; save, after the setup: the lab's start on every node
 */
export interface NodeSnapshots {
  restore(lab: Lab): Promise<'start' | 'fresh' | 'none'>;
  save(lab: Lab): Promise<void>;
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
  return { ...labEnv(lab, (ctx.workDir ?? defaultLabWorkDir)(lab.id)), ...(lab.nodes ? {} : ctx.env) };
}

/**
 * where a lab's blocks run: a single-node lab everywhere in `guest`; a multi-node lab on its nodes'
 * guests, the first node standing for the lab (marker, answers, images), each block's env with LAB_NODE
 */
export interface LabPlace {
  /** the first node's guest (the one sandbox of a single-node lab) */
  main: Guest;
  /** the guest a block runs on, and its env */
  on(block: { node?: string }, env: Record<string, string>): { guest: Guest; env: Record<string, string> };
  /** for the check engine (multi-node labs only) */
  nodes?: NodePlacement;
}

export function labPlace(ctx: Pick<LabSessionContext, 'nodeGuest' | 'lang'>, guest: Guest, lab: Lab): LabPlace {
  if (!lab.nodes) return { main: guest, on: (_b, env) => ({ guest, env }) };
  const nodeGuest = ctx.nodeGuest;
  if (!nodeGuest) {
    throw failedPrecondition(labMessage(ctx.lang, 'nodes.no-sandbox', { id: lab.id, nodes: lab.nodes.map((n) => n.name).join(', ') }), {
      suggestions: [labMessage(ctx.lang, 'nodes.no-sandbox-fix', { id: lab.id })],
    });
  }
  const lookup = (node: string) => nodeGuest(node);
  return {
    main: lookup(lab.nodes[0].name),
    on: (block, env) => {
      const node = nodeOf(lab, block)!;
      return { guest: lookup(node), env: { ...env, LAB_NODE: node } };
    },
    nodes: { lab, guest: lookup },
  };
}

export interface StartResult {
  labId: string;
  title: string;
  intro: string;
  workDir: string;
  /** the sandbox the lab runs in (the Guest's name: "local", "qemu:boxlab", ...) */
  sandbox: string;
  /** for a lab that uses the engine: where the student's docker must point (export DOCKER_HOST=...) */
  dockerHost?: string;
  resumed: boolean;
  /** the lab was finished before: nothing ran; start it over with `lab reset <id>`, or go on to nextLab */
  finished: boolean;
  /** after a finished lab: the next lab of the catalog not finished yet */
  nextLab?: { id: string; title: string };
  /** the lab that was active before: its teardown ran (its containers and processes are gone) */
  stopped?: StoppedLab;
  /**
   * the learner is at a later step, but the sandbox no longer holds the lab (a new VM, a restore, another
   * sandbox): nothing ran; start again with `replay` (the earlier steps' solutions) or `restart`
   */
  sandboxLost?: SandboxLost;
  /** what `replay` did (the earlier steps' solutions, each checked) */
  replay?: ReplayReport;
  progress: LabProgress;
  step?: StepView;
}

export interface StoppedLab {
  id: string;
  title: string;
  /** the teardown failed: its last line (the lab is no longer the active one all the same) */
  problem?: string;
}

export interface SandboxLost {
  /** where the setup ran, when known */
  startedIn?: string;
  /** the sandbox asked now */
  now: string;
  /** the step the learner is at (1-based) */
  atStep: number;
}

/** what to do when the sandbox no longer holds a lab the learner is in the middle of */
export type StartChoice = 'replay' | 'restart';

export async function startLab(ctx: LabSessionContext, guest: Guest, id: string, choice?: StartChoice): Promise<StartResult> {
  const { lab, dir } = await findLabWithDir(id, ctx.labsRoot, ctx.lang);
  const before = ctx.store.get(ctx.learner, lab.id);
  const resumed = before !== undefined && (before.currentStep > 0 || Object.keys(before.passed).length > 0);
  const finishedBefore = before?.finishedAt !== undefined;
  const env = envFor(ctx, lab);
  const place = labPlace(ctx, guest, lab);
  const base = { labId: lab.id, title: lab.title[ctx.lang] ?? lab.id, intro: lab.intro[ctx.lang] ?? '', workDir: env.LAB_DIR, sandbox: place.main.name };
  // a lab in the middle: does this sandbox still hold what the earlier steps made?
  let lost: SandboxLost | undefined;
  if (resumed && !finishedBefore && choice !== 'restart') lost = await sandboxLost(ctx, place.main, lab, env, before.currentStep);
  if (lost && choice !== 'replay') {
    const out: StartResult = { ...base, resumed, finished: false, sandboxLost: lost, progress: before! };
    if (env.DOCKER_HOST) out.dockerHost = env.DOCKER_HOST;
    return out;
  }
  const stopped = await stopPreviousLab(ctx, guest, lab.id);
  let replay: ReplayReport | undefined;
  if (choice === 'restart') {
    await setUpLab(ctx, place, lab, env, { teardownFirst: true });
    ctx.store.reset(ctx.learner, lab.id, 0, lab.steps.map((s) => s.id));
  } else if (lost) {
    replay = await replaySteps(ctx, place, lab, env, before!.currentStep);
  } else if (!resumed) {
    await setUpLab(ctx, place, lab, env);
  }
  const progress = ctx.store.start(ctx.learner, lab.id, dir);
  const finished = progress.finishedAt !== undefined;
  const out: StartResult = { ...base, resumed: resumed && choice !== 'restart', finished, progress };
  if (env.DOCKER_HOST) out.dockerHost = env.DOCKER_HOST;
  if (stopped) out.stopped = stopped;
  if (replay) out.replay = replay;
  const step = stepView(lab, progress.currentStep, ctx.lang);
  if (step) out.step = step;
  if (finished) {
    const next = await nextUnfinishedLab(ctx, lab.id);
    if (next) out.nextLab = next;
  }
  return out;
}

/** the sandbox lacks the marker of the setup run this progress goes with (lab-marker.ts) */
async function sandboxLost(ctx: LabSessionContext, guest: Guest, lab: Lab, env: Record<string, string>, currentStep: number): Promise<SandboxLost | undefined> {
  const recorded = ctx.store.sandboxRun(ctx.learner, lab.id);
  const marker = await readLabMarker(guest, env);
  if (recorded && marker && marker.run === recorded.run && marker.labId === lab.id) return undefined;
  const lost: SandboxLost = { now: guest.name, atStep: currentStep + 1 };
  if (recorded) lost.startedIn = recorded.sandbox;
  return lost;
}

/**
 * switching labs: the active lab's teardown runs (its containers and processes stop), and the sandbox
 * no longer holds it; undefined when there was no other active lab
 */
async function stopPreviousLab(ctx: LabSessionContext, guest: Guest, nextId: string): Promise<StoppedLab | undefined> {
  const where = ctx.store.activeLabLocation(ctx.learner);
  if (!where || where.labId === nextId) return undefined;
  const previous = await activeLab(ctx).then((a) => a.lab, () => undefined);
  if (!previous) return undefined;
  const stopped: StoppedLab = { id: previous.id, title: previous.title[ctx.lang] ?? previous.id };
  const env = envFor(ctx, previous);
  let main = guest;
  try {
    const place = labPlace(ctx, guest, previous);
    main = place.main;
    await runLabScript(place, previous, 'teardown', env, ctx.lang);
  } catch (err) {
    stopped.problem = messageOf(err);
  }
  await removeLabMarker(main, env).catch(() => undefined);
  ctx.store.clearSandboxRun(ctx.learner, previous.id);
  return stopped;
}

/** the lab's setup (after its teardown, to start over), then the marker that says this sandbox holds it */
async function setUpLab(ctx: LabSessionContext, place: LabPlace, lab: Lab, env: Record<string, string>, options: { teardownFirst?: boolean } = {}): Promise<void> {
  const guest = place.main;
  const snapshots = lab.nodes ? ctx.nodeSnapshots : undefined;
  const restored = snapshots ? await snapshots.restore(lab) : 'none';
  if (restored === 'start') {
    // the nodes hold the lab's start (its setup's work, images included); a new run id tells this start
    // from the progress made after the snapshot's own run
    const marker = newLabMarker(lab.id, guest.name);
    await writeLabMarker(guest, env, marker);
    ctx.store.setSandboxRun(ctx.learner, lab.id, marker.run, marker.sandbox);
    return;
  }
  if (options.teardownFirst && restored === 'none') {
    await removeLabMarker(guest, env);
    ctx.store.clearSandboxRun(ctx.learner, lab.id);
    // the teardown of a sandbox that never held the lab (or half of it) may well fail: it has nothing to remove
    await runLabScript(place, lab, 'teardown', env, ctx.lang).catch(() => undefined);
  }
  // the images the lab needs, in every node's engine; a docker node's dockerd gets them from its boxlabd
  const source = ctx.images && (lab.needs.images ?? []).length > 0 ? await ctx.images() : undefined;
  for (const node of lab.nodes ?? [undefined]) {
    const where = place.on({ node: node?.name }, env);
    if (node?.engine === 'docker') await seedDockerNodeImages(where.guest, lab, where.env, SANDBOX_DOCKER_HOST, source, { lang: ctx.lang, progress: ctx.progress });
    else if (source) await ensureLabImages(where.guest, lab, env, source, { lang: ctx.lang, progress: ctx.progress });
  }
  await runLabScript(place, lab, 'setup', env, ctx.lang);
  const marker = newLabMarker(lab.id, guest.name);
  await writeLabMarker(guest, env, marker);
  ctx.store.setSandboxRun(ctx.learner, lab.id, marker.run, marker.sandbox);
  await snapshots?.save(lab);
}

export interface ReplayReport {
  /** the steps whose solution ran, each with its checks' result */
  steps: { index: number; id: string; passed: boolean; problem?: string }[];
  /** every step asked for was replayed and passed its checks */
  ok: boolean;
}

/**
 * "solve up to this step": the lab set up again from scratch, then the solutions of steps 1..target
 * (0-based: indexes below `target`) run in order, each followed by its checks, which record the passes as
 * a `lab check` would. Stops at the first step without a solution, or whose checks fail after it.
 */
async function replaySteps(ctx: LabSessionContext, place: LabPlace, lab: Lab, env: Record<string, string>, target: number): Promise<ReplayReport> {
  await setUpLab(ctx, place, lab, env, { teardownFirst: true });
  ctx.store.reset(ctx.learner, lab.id, 0, lab.steps.map((s) => s.id));
  const report: ReplayReport = { steps: [], ok: true };
  for (const [index, step] of lab.steps.slice(0, target).entries()) {
    if (!step.solution) {
      report.steps.push({ index, id: step.id, passed: false, problem: labMessage(ctx.lang, 'replay.no-solution') });
      report.ok = false;
      break;
    }
    const ran = await runSolution(place, step, env);
    const result = await runStepChecks(place.main, step, { lang: ctx.lang, env, ...(place.nodes ? { nodes: place.nodes } : {}) });
    const passed = result.checks.filter((c) => c.status === 'passed').map((c) => c.name);
    ctx.store.recordChecks(ctx.learner, lab.id, index, step.id, passed, result.passed, lab.steps.length);
    const entry: ReplayReport['steps'][number] = { index, id: step.id, passed: result.passed };
    if (!result.passed) {
      const failed = result.checks.find((c) => c.status === 'failed');
      entry.problem = ran.exitCode !== 0 ? labMessage(ctx.lang, 'replay.solution-failed', { code: ran.exitCode, detail: lastLine(ran.stderr || ran.stdout) }) : `${failed?.name ?? ''}: ${failed?.message ?? ''}`;
    }
    report.steps.push(entry);
    if (!result.passed) {
      report.ok = false;
      break;
    }
  }
  return report;
}

const lastLine = (text: string) => text.trim().split('\n').slice(-1)[0] ?? '';

/** a step's solution blocks in order, each on its node; stops at the first that fails */
async function runSolution(place: LabPlace, step: Step, env: Record<string, string>): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  let last = { exitCode: 0, stdout: '', stderr: '' };
  for (const part of stepSolutions(step)) {
    last = await runOn(place, part, env, `set -e\n${part.script}`);
    if (last.exitCode !== 0) break;
  }
  return last;
}

async function runOn(place: LabPlace, block: Script, env: Record<string, string>, script: string) {
  const where = place.on(block, env);
  return where.guest.exec({ script }, { env: where.env, timeoutMs: await scriptTimeoutMs(where.guest) });
}

/**
 * "solve up to this step" (the page's button): the lab set up again, the solutions of the steps before
 * step `stepNumber` (1-based) replayed and checked; the lab becomes the active one
 */
export async function solveUpTo(ctx: LabSessionContext, guest: Guest, id: string, stepNumber: number): Promise<{ labId: string; replay: ReplayReport; progress: LabProgress; stopped?: StoppedLab }> {
  const { lab, dir } = await findLabWithDir(id, ctx.labsRoot, ctx.lang);
  assertStep(ctx, lab, stepNumber);
  const place = labPlace(ctx, guest, lab);
  const stopped = await stopPreviousLab(ctx, guest, lab.id);
  ctx.store.start(ctx.learner, lab.id, dir);
  const replay = await replaySteps(ctx, place, lab, envFor(ctx, lab), stepNumber - 1);
  const out: { labId: string; replay: ReplayReport; progress: LabProgress; stopped?: StoppedLab } = { labId: lab.id, replay, progress: ctx.store.get(ctx.learner, lab.id)! };
  if (stopped) out.stopped = stopped;
  return out;
}

function assertStep(ctx: LabSessionContext, lab: Lab, stepNumber: number): void {
  if (!Number.isInteger(stepNumber) || stepNumber < 1 || stepNumber > lab.steps.length) {
    throw invalidArgument(labMessage(ctx.lang, 'lab.no-step', { n: stepNumber, id: lab.id }), { suggestions: [labMessage(ctx.lang, 'lab.step-range', { count: lab.steps.length })] });
  }
}

/** the first lab after `labId` in the catalog that the learner has not finished */
async function nextUnfinishedLab(ctx: LabSessionContext, labId: string): Promise<{ id: string; title: string } | undefined> {
  const catalog = await listCatalog(ctx);
  const after = catalog.slice(catalog.findIndex((l) => l.id === labId) + 1);
  const next = after.find((l) => !l.finished && l.problems === 0);
  return next && { id: next.id, title: next.title };
}

/** how long setup, teardown or a solution may run: 2 minutes at native speed, times the sandbox's slowdown (TCG) */
async function scriptTimeoutMs(guest: Guest): Promise<number> {
  return 120_000 * ((await guest.slowdown?.()) ?? 1);
}

/** the lab's setup (or teardown) blocks in order, each on its node; the first that fails stops it */
async function runLabScript(place: LabPlace, lab: Lab, which: 'setup' | 'teardown', env: Record<string, string>, lang: Lang): Promise<void> {
  for (const script of labScripts(lab, which)) {
    const r = await runOn(place, script, env, `set -e\n${script.script}`);
    if (r.exitCode !== 0) {
      const node = lab.nodes ? labMessage(lang, 'nodes.on', { node: nodeOf(lab, script)! }) : '';
      throw failedPrecondition(labMessage(lang, 'lab.script-failed', { which, id: lab.id, code: r.exitCode, detail: lastLine(r.stderr || r.stdout) }) + node, {
        suggestions: [labMessage(lang, 'lab.script-failed-fix', { id: lab.id })],
      });
    }
  }
}

export async function activeLab(ctx: LabSessionContext): Promise<{ lab: Lab; progress: LabProgress }> {
  const where = ctx.store.activeLabLocation(ctx.learner);
  if (!where) throw failedPrecondition(labMessage(ctx.lang, 'lab.none-started'), { suggestions: ['boxlab lab list', 'boxlab lab start <id>'] });
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
  /**
   * the lab was finished before this check (or --step named a step already passed): that step was checked
   * again, nothing was recorded, and `lab check` exits with this re-check's result
   */
  alreadyFinished: boolean;
  /** the step was checked again on request (--step), not as the learner's current step */
  recheck: boolean;
  /** a failed engine check while the student's docker seems to talk to another engine (engine-probe.ts) */
  engineMismatch?: EngineMismatch;
  /** a failed check in a sandbox that no longer holds the lab (lab-marker.ts): replay or restart */
  sandboxLost?: SandboxLost;
}

/**
 * checks the learner's current step and records it; `stepNumber` (1-based) checks a step already passed
 * again instead (recording nothing). A finished lab's last step is checked again by default.
 */
export async function checkCurrentStep(ctx: LabSessionContext, guest: Guest, stepNumber?: number): Promise<CheckOutcome> {
  const { lab, progress } = await activeLab(ctx);
  const current = Math.min(progress.currentStep, lab.steps.length - 1);
  if (stepNumber !== undefined) {
    assertStep(ctx, lab, stepNumber);
    if (stepNumber - 1 > progress.currentStep) {
      throw failedPrecondition(labMessage(ctx.lang, 'check.step-ahead', { n: stepNumber, current: progress.currentStep + 1 }), { suggestions: ['boxlab lab check'] });
    }
  }
  const index = stepNumber === undefined ? current : stepNumber - 1;
  const step: Step = lab.steps[index];
  const env = envFor(ctx, lab);
  const place = labPlace(ctx, guest, lab);
  const result = await runStepChecks(place.main, step, { lang: ctx.lang, env, ...(place.nodes ? { nodes: place.nodes } : {}) });
  const alreadyFinished = progress.finishedAt !== undefined;
  const recheck = index < progress.currentStep;
  // a finished lab stays finished and a step passed stays passed: they are only checked again, for the student to see
  const passed = result.checks.filter((c) => c.status === 'passed').map((c) => c.name);
  const after = alreadyFinished || recheck ? progress : ctx.store.recordChecks(ctx.learner, lab.id, index, step.id, passed, result.passed, lab.steps.length);
  const out: CheckOutcome = { labId: lab.id, step: stepView(lab, index, ctx.lang)!, result, progress: after, finished: after.finishedAt !== undefined, alreadyFinished: alreadyFinished || recheck, recheck: stepNumber !== undefined };
  const next = result.passed && !alreadyFinished && !recheck ? stepView(lab, after.currentStep, ctx.lang) : undefined;
  if (next) out.next = next;
  if (!result.passed) {
    // the first thing to rule out: does this sandbox still hold the lab at all?
    const lost = await sandboxLost(ctx, place.main, lab, env, progress.currentStep);
    if (lost) out.sandboxLost = lost;
    else if (!lab.nodes) {
      const mismatch = await engineMismatch(ctx, guest, step, result, env.DOCKER_HOST);
      if (mismatch) out.engineMismatch = mismatch;
    }
  }
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
  const file = await writeAnswer(labPlace(ctx, guest, lab).main, lab, lab.steps[index], text, envFor(ctx, lab), ctx.lang);
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
export async function resetLab(ctx: LabSessionContext, guest: Guest, stepNumber = 1, id?: string): Promise<{ labId: string; progress: LabProgress; step: StepView; stopped?: StoppedLab }> {
  const named = id === undefined ? undefined : await findLabWithDir(id, ctx.labsRoot, ctx.lang);
  const { lab } = named ?? (await activeLab(ctx));
  assertStep(ctx, lab, stepNumber);
  // the lab named becomes the active one (started now if it never was); the one before is torn down
  const stopped = named ? await stopPreviousLab(ctx, guest, lab.id) : undefined;
  if (named) ctx.store.start(ctx.learner, lab.id, named.dir);
  if (stepNumber === 1) await setUpLab(ctx, labPlace(ctx, guest, lab), lab, envFor(ctx, lab), { teardownFirst: true });
  const progress = ctx.store.reset(ctx.learner, lab.id, stepNumber - 1, lab.steps.slice(stepNumber - 1).map((s) => s.id));
  const out: { labId: string; progress: LabProgress; step: StepView; stopped?: StoppedLab } = { labId: lab.id, progress, step: stepView(lab, stepNumber - 1, ctx.lang)! };
  if (stopped) out.stopped = stopped;
  return out;
}

/**
 * where `boxlab lab shell [node]` opens its shell: the active lab's environment (LAB_ID, LAB_DIR,
 * DOCKER_HOST) and folder; on a multi-node lab, on the node named (default the first, LAB_NODE set)
 */
export async function labShellPlace(ctx: LabSessionContext, node?: string): Promise<{ labId: string; env: Record<string, string>; cwd: string; node?: string }> {
  const { lab } = await activeLab(ctx);
  const env = envFor(ctx, lab);
  const on = shellNode(lab, node, ctx.lang);
  if (on === undefined) return { labId: lab.id, env, cwd: env.LAB_DIR };
  return { labId: lab.id, env: { ...env, LAB_NODE: on }, cwd: env.LAB_DIR, node: on };
}

/**
 * the node a shell of the lab opens on: the one named, or the first; undefined for a single-node lab.
 * A node the lab does not have is an error that names the ones it has (`lab shell`, the page's tabs).
 */
export function shellNode(lab: Lab, node: string | undefined, lang: Lang): string | undefined {
  if (!lab.nodes) {
    if (node !== undefined) throw invalidArgument(labMessage(lang, 'shell.single-node', { id: lab.id, node }), { suggestions: ['boxlab lab shell'] });
    return undefined;
  }
  const names = lab.nodes.map((n) => n.name);
  const on = node ?? names[0]!;
  if (!names.includes(on)) throw invalidArgument(labMessage(lang, 'shell.unknown-node', { id: lab.id, node: on, nodes: names.join(', ') }), { suggestions: names.map((n) => `boxlab lab shell ${n}`) });
  return on;
}
