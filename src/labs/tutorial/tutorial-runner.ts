// The tutorial runner: replays a tutorial's shell blocks in the sandbox through Guest.exec, one
// `bash -c` per block in the tutorial's work folder ($TUTORIAL_DIR; exported variables do not carry
// over, the folder does), stderr merged into stdout as a terminal shows them, and compares each
// output with the tutorial's ```output block (output-matcher.ts). It stops at the first step that
// differs, since later steps build on it, and always runs the `cleanup` blocks and removes the folder.
import type { Guest } from '../../vm/guest.js';
import type { Lang } from '../../core/lang.js';
import { labMessage } from '../lab-messages.js';
import { matchOutput } from './output-matcher.js';
import type { Tutorial, TutorialStep } from './tutorial-model.js';

export interface TutorialStepResult {
  number: number;
  line: number;
  status: 'passed' | 'failed' | 'skipped';
  exitCode?: number;
  output?: string;
  /** why it failed: the exit code, or a readable diff of the output */
  problems: string[];
  durationMs: number;
}

export interface TutorialReport {
  file: string;
  id: string;
  ok: boolean;
  /** how many steps the tutorial has (results may be fewer: skipped by quitting, or stopped) */
  total: number;
  steps: TutorialStepResult[];
  /** step number after which the run stopped, when one failed */
  stoppedAfter?: number;
  durationMs: number;
}

/** asked before each step in interactive runs; `--auto` and `test` run everything */
export type StepDecision = 'run' | 'skip' | 'quit';

export interface TutorialRunOptions {
  env?: Record<string, string>;
  /** the tutorial's work folder in the sandbox (created before, removed after) */
  workDir: string;
  before?: (step: TutorialStep) => Promise<StepDecision> | StepDecision;
  after?: (step: TutorialStep, result: TutorialStepResult) => Promise<void> | void;
}

export async function runTutorial(guest: Guest, tutorial: Tutorial, options: TutorialRunOptions): Promise<TutorialReport> {
  const started = Date.now();
  const env = { ...options.env, TUTORIAL_DIR: options.workDir };
  const steps: TutorialStepResult[] = [];
  let stoppedAfter: number | undefined;
  let quit = false;
  await guest.exec(['mkdir', '-p', options.workDir], { env });
  try {
    for (const step of tutorial.steps) {
      if (step.cleanup) continue;
      if (stoppedAfter !== undefined || quit) break;
      const decision = step.skip ? 'skip' : ((await options.before?.(step)) ?? 'run');
      if (decision === 'quit') {
        quit = true;
        break;
      }
      const result = decision === 'skip' ? skipped(step) : await runStep(guest, step, env, tutorial.lang);
      steps.push(result);
      await options.after?.(step, result);
      if (result.status === 'failed') stoppedAfter = step.number;
    }
  } finally {
    for (const step of tutorial.steps.filter((s) => s.cleanup)) {
      const result = await runStep(guest, step, env, tutorial.lang).catch((e: Error) => ({ ...skipped(step), status: 'failed' as const, problems: [e.message] }));
      steps.push(result);
      await options.after?.(step, result);
    }
    await guest.exec(['rm', '-rf', options.workDir], { env }).catch(() => undefined);
  }
  const report: TutorialReport = { file: tutorial.file, id: tutorial.id, total: tutorial.steps.length, ok: !quit && steps.every((s) => s.status !== 'failed'), steps, durationMs: Date.now() - started };
  if (stoppedAfter !== undefined) report.stoppedAfter = stoppedAfter;
  return report;
}

export async function runStep(guest: Guest, step: TutorialStep, env: Record<string, string>, lang: Lang = 'en'): Promise<TutorialStepResult> {
  const started = Date.now();
  const script = `exec 2>&1\ncd "$TUTORIAL_DIR" || exit 97\n${step.script}`;
  const r = await guest.exec({ script }, { env, timeoutMs: step.timeoutMs });
  return judgeStep(step, r.exitCode, r.stdout, lang, Date.now() - started);
}

/** pure: one step's outcome against what the tutorial says */
export function judgeStep(step: TutorialStep, exitCode: number, output: string, lang: Lang = 'en', durationMs = 0): TutorialStepResult {
  const problems: string[] = [];
  if (exitCode !== step.exit) problems.push(labMessage(lang, 'tutorial.exit-differs', { code: exitCode, want: step.exit }));
  if (step.expected !== undefined) {
    const m = matchOutput(step.expected, output);
    if (!m.ok) problems.push(`${labMessage(lang, 'tutorial.output-differs')}\n${m.diff}`);
  }
  return { number: step.number, line: step.line, status: problems.length ? 'failed' : 'passed', exitCode, output, problems, durationMs };
}

function skipped(step: TutorialStep): TutorialStepResult {
  return { number: step.number, line: step.line, status: 'skipped', problems: [], durationMs: 0 };
}
