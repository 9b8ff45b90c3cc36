// Text output of the tutorial commands (pure): a step as the reader sees it before running it, a
// step's result, and the summary of a replay, in the tutorial's language.
import type { Lang } from '../../core/lang.js';
import { labMessage } from '../lab-messages.js';
import type { TutorialStep } from './tutorial-model.js';
import type { TutorialReport, TutorialStepResult } from './tutorial-runner.js';

export function formatTutorialStep(step: TutorialStep, count: number, lang: Lang): string {
  const head = `\n── ${labMessage(lang, 'tutorial.step', { n: step.number, count })} ──`;
  const prose = step.prose ? `\n${step.prose}\n` : '';
  const command = step.script.split('\n').map((l, i) => `${i === 0 ? '$' : '>'} ${l}`).join('\n');
  return `${head}\n${prose}\n${command}${step.skip ? `\n(${labMessage(lang, 'tutorial.not-run')})` : ''}`;
}

export function formatStepOutcome(result: TutorialStepResult, lang: Lang): string {
  if (result.status === 'skipped') return `- ${labMessage(lang, 'tutorial.skipped')}`;
  const out = result.output ? result.output.replace(/\n$/, '') + '\n' : '';
  if (result.status === 'passed') return `${out}✔ ${labMessage(lang, 'tutorial.ok')}`;
  return `${out}✘ ${result.problems.join('\n  ')}`;
}

export function formatTutorialReport(report: TutorialReport, lang: Lang): string {
  const lines = [`tutorial ${report.file}`];
  for (const s of report.steps) {
    const mark = s.status === 'passed' ? '✔' : s.status === 'failed' ? '✘' : '-';
    lines.push(`  ${mark} ${labMessage(lang, 'tutorial.step', { n: s.number, count: report.total })} (line ${s.line})`);
    for (const p of s.problems) lines.push(...p.split('\n').map((l) => `      ${l}`));
  }
  if (report.stoppedAfter !== undefined) lines.push(`  ${labMessage(lang, 'tutorial.stopped', { n: report.stoppedAfter })}`);
  lines.push(`${labMessage(lang, report.ok ? 'tutorial.passed' : 'tutorial.failed')} (${(report.durationMs / 1000).toFixed(1)}s)`);
  return lines.join('\n');
}
