// `boxlab lab test`: proves a lab by replaying it (design decision 8). Fresh state (lab setup), then
// for each step: every check must fail (or be skipped) before the solution - a check that passes before
// the student acts is a broken check -, the solution runs, every check must pass. Teardown always runs.
import type { Guest, GuestExecResult } from '../vm/guest.js';
import { runStepChecks, type StepResult } from './check-engine.js';
import type { Lab, Script } from './lab-model.js';
import type { Lang } from '../core/lang.js';
import { labMessage } from './lab-messages.js';

export interface StepTestReport {
  stepId: string;
  ok: boolean;
  before?: StepResult;
  solution?: { exitCode: number; stderr: string };
  after?: StepResult;
  problems: string[];
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
  scriptTimeoutMs?: number;
  onStep?: (report: StepTestReport) => void;
}

export async function testLab(guest: Guest, lab: Lab, options: LabTestOptions): Promise<LabTestReport> {
  const started = Date.now();
  const lang = options.lang ?? 'en';
  const timeoutMs = options.scriptTimeoutMs ?? 120_000;
  const run = (s: Script): Promise<GuestExecResult> => guest.exec({ script: `set -e\n${s.script}` }, { env: options.env, timeoutMs });
  const problems: string[] = [];
  const steps: StepTestReport[] = [];
  try {
    if (lab.setup) {
      const r = await run(lab.setup);
      if (r.exitCode !== 0) {
        problems.push(labMessage(lang, 'test.setup-failed', { code: r.exitCode, detail: lastLine(r) }));
        return done();
      }
    }
    for (const step of lab.steps) {
      const report: StepTestReport = { stepId: step.id, ok: false, problems: [] };
      steps.push(report);
      report.before = await runStepChecks(guest, step, { lang, env: options.env });
      for (const c of report.before.checks) {
        if (c.status === 'passed') report.problems.push(labMessage(lang, 'test.passed-before', { check: c.name }));
      }
      if (step.solution) {
        const r = await run(step.solution);
        report.solution = { exitCode: r.exitCode, stderr: r.stderr.trim() };
        if (r.exitCode !== 0) report.problems.push(labMessage(lang, 'test.solution-failed', { code: r.exitCode, detail: lastLine(r) }));
      } else report.problems.push(labMessage(lang, 'test.no-solution'));
      report.after = await runStepChecks(guest, step, { lang, env: options.env });
      for (const c of report.after.checks) {
        if (c.status !== 'passed') report.problems.push(labMessage(lang, 'test.after', { check: c.name, status: labMessage(lang, `status.${c.status}`), detail: c.message || c.stderr || `exit ${c.exitCode}` }));
      }
      report.ok = report.problems.length === 0;
      options.onStep?.(report);
      // later steps build on this one: stop at the first broken step
      if (!report.ok) break;
    }
  } finally {
    if (lab.teardown) {
      const r = await run(lab.teardown).catch((e: Error) => ({ exitCode: 1, stdout: '', stderr: e.message }));
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

function lastLine(r: GuestExecResult): string {
  return (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-1)[0] ?? '';
}
