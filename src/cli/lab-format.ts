// Text output of the lab commands (pure): step headers, check results with marks, hints.
import type { StepResult } from '../labs/check-engine.js';
import type { StepView } from '../labs/lab-session.js';
import type { LabTestReport } from '../labs/lab-tester.js';

const MARK = { passed: '✔', failed: '✘', skipped: '-' } as const;

export function formatStep(step: StepView): string {
  return `\n== ${step.index + 1}/${step.count} ${step.title} ==\n\n${step.text}\n`;
}

export function formatStepResult(result: StepResult, hintLabel = 'hint'): string {
  const lines = result.checks.map((c) => `  ${MARK[c.status]} ${c.name}${c.message ? `: ${c.message.split('\n').join('\n      ')}` : ''}`);
  if (!result.passed && result.hint) lines.push('', `${hintLabel}: ${result.hint}`);
  return lines.join('\n');
}

export function formatLabTest(report: LabTestReport): string {
  const lines: string[] = [`lab ${report.labId}`];
  for (const s of report.steps) {
    lines.push(`  ${s.ok ? '✔' : '✘'} step ${s.stepId}`);
    for (const p of s.problems) lines.push(`      ${p}`);
  }
  for (const p of report.problems) lines.push(`  ✘ ${p}`);
  lines.push(`${report.ok ? 'ok' : 'FAILED'} (${(report.durationMs / 1000).toFixed(1)}s)`);
  return lines.join('\n');
}
