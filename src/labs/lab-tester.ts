// `boxlab lab test`: proves a lab by replaying it (design decision 8). Fresh state (lab setup), then
// for each step: every check must fail (or be skipped) before the solution - a check that passes before
// the student acts is a broken check -; the step's runnable snippets run as a student clicks them
// (snippet-runner.ts: one shell for the whole lab, each must run clean, or fail when marked
// expect-fail); the solution runs unless the snippets already did the step; every check must pass.
// A snippet that fails is a problem with its file:line and what the student would see. A snippet that
// shows the step's result (a challenge step's "look at what you made") is marked after-solution and
// runs after the solution. Teardown always runs. A multi-node lab (ADR 0016) runs each block on its node
// (`options.nodes`), with one student shell per node for the snippets.
import { randomBytes } from 'node:crypto';
import type { Guest, GuestExecResult } from '../vm/guest.js';
import { placementSlowdown, runStepChecks, type NodePlacement, type StepResult } from './check-engine.js';
import { labScripts, nodeOf, stepSolutions, type Lab, type Script, type Snippet } from './lab-model.js';
import type { Lang } from '../core/lang.js';
import { labMessage } from './lab-messages.js';
import { judgeSnippet, lateStderr, replayedSnippets, runSnippet, snippetLanguageDiffs, type SnippetRun } from './snippet-runner.js';

export interface SnippetTestReport {
  /** file:line of the snippet */
  at: string;
  ok: boolean;
  exitCode: number;
  /** why it failed (when not ok) */
  problem?: string;
  /** its output, stdout then stderr (when not ok) */
  output?: string;
}

export interface StepTestReport {
  stepId: string;
  ok: boolean;
  before?: StepResult;
  snippets: SnippetTestReport[];
  /** skipped: the snippets already did the step */
  solution?: { exitCode: number; stderr: string } | { skipped: true };
  after?: StepResult;
  problems: string[];
  /** the step's replay: checks before, snippets, solution, checks after */
  durationMs: number;
}

export interface LabTestReport {
  labId: string;
  ok: boolean;
  steps: StepTestReport[];
  problems: string[];
  durationMs: number;
}

export interface LabTestOptions {
  env: Record<string, string>;
  lang?: Lang;
  /** how long setup, a solution or teardown may run (default 120 s), times the guest's slowdown */
  scriptTimeoutMs?: number;
  /** how long one snippet may run (default 60 s), times the guest's slowdown (a TCG vm's builds) */
  snippetTimeoutMs?: number;
  /** false: replay solutions only, as before snippets were run */
  snippets?: boolean;
  onStep?: (report: StepTestReport) => void;
  /** a multi-node lab: the guest of each node (`guest` is then unused) */
  nodes?: NodePlacement;
}

export async function testLab(guest: Guest, lab: Lab, options: LabTestOptions): Promise<LabTestReport> {
  const started = Date.now();
  const lang = options.lang ?? 'en';
  const placed = lab.nodes ? options.nodes : undefined;
  if (lab.nodes && !placed) throw new Error(`lab "${lab.id}" runs on nodes (${lab.nodes.map((n) => n.name).join(', ')}): testing it needs a guest per node`);
  // budgets are written for native speed: an emulated sandbox (TCG) gets them times its slowdown (a
  // multi-node lab: its slowest node's, since its blocks run there)
  const slowdown = await placementSlowdown(guest, placed);
  const timeoutMs = (options.scriptTimeoutMs ?? 120_000) * slowdown;
  /** where a block runs, and its env (LAB_NODE on a multi-node lab) */
  const where = (block: { node?: string }): { guest: Guest; env: Record<string, string>; node?: string } => {
    const node = nodeOf(lab, block);
    return placed && node ? { guest: placed.guest(node), env: { ...options.env, LAB_NODE: node }, node } : { guest, env: options.env };
  };
  const runOn = (s: Script): Promise<GuestExecResult> => {
    const w = where(s);
    return w.guest.exec({ script: `set -e\n${s.script}` }, { env: w.env, timeoutMs });
  };
  /** the blocks in order; the first that fails stops them */
  const run = async (blocks: Script[]): Promise<GuestExecResult> => {
    let last: GuestExecResult = { exitCode: 0, stdout: '', stderr: '' };
    for (const b of blocks) if ((last = await runOn(b)).exitCode !== 0) break;
    return last;
  };
  const checks = (step: Lab['steps'][number]) => runStepChecks(guest, step, { lang, env: options.env, ...(placed ? { nodes: placed } : {}) });
  const problems: string[] = [];
  const steps: StepTestReport[] = [];
  const nonce = randomBytes(6).toString('hex');
  // the student's one shell, saved between snippets (outside $LAB_DIR, which teardown removes)
  // (one per node: each node's terminal is its own shell)
  const stateOf = (node?: string) => `/tmp/boxlab-snippets-${nonce}${node ? `-${node}` : ''}.sh`;
  const snippetTimeoutMs = (options.snippetTimeoutMs ?? 60_000) * slowdown;
  const runOne = (s: Snippet, runNo: number): Promise<SnippetRun> => {
    const w = where(s);
    return runSnippet(w.guest, s, { env: w.env, stateFile: stateOf(w.node), nonce, run: runNo, timeoutMs: snippetTimeoutMs });
  };
  let runs = 0;
  interface Replayed {
    snippet: Snippet;
    report: SnippetTestReport;
    run: SnippetRun;
    runNo: number;
    why?: string;
  }
  /** runs one snippet in the student's shell and adds it to the step's report, judged */
  const replay = async (snippet: Snippet, report: StepTestReport): Promise<Replayed> => {
    const runNo = runs++;
    const r = await runOne(snippet, runNo);
    const why = judgeSnippet(snippet, r);
    const sr: SnippetTestReport = { at: `${snippet.pos.file}:${snippet.pos.line}`, ok: why === undefined, exitCode: r.exitCode };
    report.snippets.push(sr);
    return why === undefined ? { snippet, report: sr, run: r, runNo } : { snippet, report: sr, run: r, runNo, why };
  };
  const snippetProblem = (report: StepTestReport, sr: SnippetTestReport, why: string, r: SnippetRun) => {
    sr.ok = false;
    sr.problem = why;
    sr.output = [clip(r.stdout), clip(r.stderr)].filter(Boolean).join('\n');
    report.problems.push(labMessage(lang, 'test.snippet-failed', { at: sr.at, why, output: indent(sr.output || labMessage(lang, 'test.no-output')) }));
  };
  try {
    if (lab.setup) {
      const r = await run(labScripts(lab, 'setup'));
      if (r.exitCode !== 0) {
        problems.push(labMessage(lang, 'test.setup-failed', { code: r.exitCode, detail: lastLine(r) }));
        return done();
      }
    }
    for (const step of lab.steps) {
      const stepStarted = Date.now();
      const report: StepTestReport = { stepId: step.id, ok: false, problems: [], snippets: [], durationMs: 0 };
      steps.push(report);
      report.before = await checks(step);
      for (const c of report.before.checks) {
        if (c.status === 'passed') report.problems.push(labMessage(lang, 'test.passed-before', { check: c.name }));
      }
      const ran: Replayed[] = [];
      if (options.snippets !== false) {
        report.problems.push(...snippetLanguageDiffs(step, lang));
        for (const snippet of replayedSnippets(step, lang, 'before')) ran.push(await replay(snippet, report));
      }
      const failedBefore = ran.filter((f) => f.why !== undefined);
      // a guided step: clicking its snippets does it, as for a student who clicked them all
      const guided = step.kind === undefined && !step.answer && ran.length > 0 && !step.snippets.some((sn) => sn.lang === lang && sn.expect === 'skip');
      const afterSnippets = ran.length > 0 && failedBefore.length === 0 && !step.snippets.some((sn) => sn.lang === lang && sn.after) ? await checks(step) : undefined;
      if (guided && afterSnippets && !afterSnippets.passed) {
        const failed = afterSnippets.checks.filter((c) => c.status === 'failed').map((c) => `${c.name}${c.message ? `: ${c.message}` : ''}`);
        report.problems.push(labMessage(lang, 'test.snippets-not-enough', { step: step.id, checks: failed.join('; ') }));
      }
      if (afterSnippets?.passed) report.solution = { skipped: true };
      else if (step.solution) {
        const r = await run(stepSolutions(step));
        report.solution = { exitCode: r.exitCode, stderr: r.stderr.trim() };
        if (r.exitCode !== 0) report.problems.push(labMessage(lang, 'test.solution-failed', { code: r.exitCode, detail: lastLine(r) }));
      } else report.problems.push(labMessage(lang, 'test.no-solution'));
      for (const f of failedBefore) snippetProblem(report, f.report, f.why!, f.run);
      // the snippets that show the step's result (```sh run after-solution), as the student clicks them once done
      for (const snippet of replayedSnippets(step, lang, 'after')) {
        const r = await replay(snippet, report);
        if (r.why !== undefined) snippetProblem(report, r.report, r.why, r.run);
        else ran.push(r);
      }
      // what the snippets started in the background may have said something since (a sh -c ... & whose redirection failed)
      const late = new Map<number, string>();
      const okRuns = ran.filter((f) => f.report.ok);
      for (const node of new Set(okRuns.map((f) => where(f.snippet).node))) {
        const mine = okRuns.filter((f) => where(f.snippet).node === node);
        for (const [k, v] of await lateStderr(where(mine[0].snippet).guest, stateOf(node), mine.map((f) => f.runNo))) late.set(k, v);
      }
      for (const f of ran.filter((x) => x.report.ok)) {
        const stderr = late.get(f.runNo) ?? f.run.stderr;
        const why = judgeSnippet(f.snippet, { ...f.run, stderr });
        if (why !== undefined) snippetProblem(report, f.report, why, { ...f.run, stderr });
      }
      report.after = afterSnippets?.passed ? afterSnippets : await checks(step);
      for (const c of report.after.checks) {
        if (c.status !== 'passed') report.problems.push(labMessage(lang, 'test.after', { check: c.name, status: labMessage(lang, `status.${c.status}`), detail: c.message || c.stderr || `exit ${c.exitCode}` }));
      }
      report.ok = report.problems.length === 0;
      report.durationMs = Date.now() - stepStarted;
      options.onStep?.(report);
      // later steps build on this one: stop at the first broken step
      if (!report.ok) break;
    }
  } finally {
    for (const node of placed ? lab.nodes!.map((n) => n.name) : [undefined]) {
      const w = where({ node });
      await w.guest.exec({ script: 'rm -rf "$BOXLAB_SNIPPET_STATE" "$BOXLAB_SNIPPET_STATE.new" "$BOXLAB_SNIPPET_STATE.d"' }, { env: { BOXLAB_SNIPPET_STATE: stateOf(w.node) }, timeoutMs: 10_000 }).catch(() => undefined);
    }
    if (lab.teardown) {
      // every node's teardown, even when one fails
      let r: GuestExecResult = { exitCode: 0, stdout: '', stderr: '' };
      for (const t of labScripts(lab, 'teardown')) {
        const one = await runOn(t).catch((e: Error) => ({ exitCode: 1, stdout: '', stderr: e.message }));
        if (one.exitCode !== 0 && r.exitCode === 0) r = one;
      }
      if (r.exitCode !== 0) problems.push(labMessage(lang, 'test.teardown-failed', { code: r.exitCode, detail: lastLine(r) }));
    }
  }
  return done();

  function done(): LabTestReport {
    const ok = problems.length === 0 && steps.length === lab.steps.length && steps.every((s) => s.ok);
    if (problems.length === 0 && steps.length < lab.steps.length && steps.every((s) => s.ok)) problems.push(labMessage(lang, 'test.not-every-step'));
    return { labId: lab.id, ok, steps, problems, durationMs: Date.now() - started };
  }
}

/** at most 10 lines of one stream: a long listing must not hide the stderr line after it */
function clip(text: string): string {
  const lines = text.trimEnd().split('\n');
  if (lines.length <= 10) return text.trimEnd();
  return [...lines.slice(0, 10), `... (${lines.length - 10} more lines)`].join('\n');
}

/** a snippet's output under its problem line */
function indent(text: string): string {
  return text.split('\n').map((l) => `  | ${l}`).join('\n');
}

function lastLine(r: GuestExecResult): string {
  return (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-1)[0] ?? '';
}
