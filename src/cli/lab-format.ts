// Text output of the lab commands (pure): the catalog, what `lab start` and `lab check` say, step
// headers, check results with marks, hints. Words the code adds come from lab-messages.ts (zh and en).
import type { Lang } from '../core/lang.js';
import type { StepResult } from '../labs/check-engine.js';
import { labMessage } from '../labs/lab-messages.js';
import type { CatalogTrack } from '../labs/lab-catalog.js';
import { LAB_LEVELS, type LabLevel } from '../labs/lab-model.js';
import type { CatalogEntry, CheckOutcome, ReplayReport, StartResult, StepView, StoppedLab } from '../labs/lab-session.js';
import type { LabProgress } from '../labs/progress-store.js';
import type { SandboxChoice } from '../vm/sandbox-choice.js';
import { DEFAULT_SANDBOX_VM } from '../vm/sandbox-guest.js';
import type { LabTestReport, StepTestReport } from '../labs/lab-tester.js';
import { alignColumns } from './display-width.js';

const MARK = { passed: '✔', failed: '✘', skipped: '-' } as const;

export function formatStep(step: StepView): string {
  return `\n== ${step.index + 1}/${step.count} ${step.title} ==\n\n${step.text}\n`;
}

/** one line per check; in a multi-node lab each says which node it looked at */
export function formatStepResult(result: StepResult, hintLabel = 'hint', lang: Lang = 'en'): string {
  const lines = result.checks.map((c) => {
    const node = c.node ? labMessage(lang, 'check.on-node', { node: c.node }) : '';
    return `  ${MARK[c.status]} ${c.name}${node}${c.message ? `: ${c.message.split('\n').join('\n      ')}` : ''}`;
  });
  if (!result.passed && result.hint) lines.push('', `${hintLabel}: ${result.hint}`);
  return lines.join('\n');
}

export function formatLabTest(report: LabTestReport): string {
  const lines: string[] = [`lab ${report.labId}`];
  for (const s of report.steps) {
    lines.push(`  ${s.ok ? '✔' : '✘'} step ${s.stepId} (${seconds(s.durationMs)})`);
    for (const p of s.problems) lines.push(`      ${p.split('\n').join('\n      ')}`);
  }
  for (const p of report.problems) lines.push(`  ✘ ${p}`);
  lines.push(`${report.ok ? 'ok' : 'FAILED'} (${seconds(report.durationMs)})`);
  return lines.join('\n');
}

/** `lab test`'s line as each step ends (on stderr, while the replay goes on) */
export function formatStepProgress(labId: string, step: StepTestReport, index: number, total: number, lang: Lang): string {
  return labMessage(lang, step.ok ? 'test.step-passed' : 'test.step-failed', { lab: labId, step: step.stepId, n: index, total, seconds: seconds(step.durationMs) });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** `lab list`: id, title, duration, level, prerequisites, progress, aligned by terminal columns (a Chinese title is twice as wide as its length) */
export function formatCatalog(labs: readonly CatalogEntry[], lang: Lang): string {
  return alignColumns(labs.map((l) => catalogRow(l, lang))).join('\n');
}

function catalogRow(l: CatalogEntry, lang: Lang): string[] {
  const progress = l.finished ? labMessage(lang, 'list.done') : l.currentStep > 0 ? `${l.currentStep}/${l.steps}` : '';
  const problems = l.problems ? labMessage(lang, 'list.problems', { n: l.problems }) : '';
  const level = l.level && (LAB_LEVELS as readonly string[]).includes(l.level) ? labMessage(lang, `level.${l.level as LabLevel}`) : (l.level ?? '');
  // a prerequisite by its number (01) when it has one: the full ids would crowd the line
  const after = l.requires.length > 0 ? labMessage(lang, 'list.after', { ids: l.requires.map((r) => /^(\d+)-/.exec(r)?.[1] ?? r).join(', ') }) : '';
  return [l.id, l.title, l.durationMinutes ? labMessage(lang, 'list.minutes', { n: l.durationMinutes }) : '', level, after, [progress, problems].filter(Boolean).join(' ')];
}

/**
 * `lab list` by track: each track's title, then its labs indented; the columns line up across tracks.
 * Labs in no track at all (a labs folder without tracks.yaml) are listed without a heading.
 */
export function formatCatalogTracks(tracks: readonly CatalogTrack[], lang: Lang): string {
  const lines = alignColumns(tracks.flatMap((t) => t.labs.map((l) => catalogRow(l, lang))));
  if (tracks.length === 1 && tracks[0].id === null) return lines.join('\n');
  const out: string[] = [];
  let n = 0;
  for (const t of tracks) {
    if (out.length > 0) out.push('');
    out.push(t.title);
    for (let i = 0; i < t.labs.length; i++) out.push(`  ${lines[n++]}`);
  }
  return out.join('\n');
}

/** a lab stopped because another one started (its teardown ran) */
export function formatStopped(stopped: StoppedLab | undefined, lang: Lang): string[] {
  if (!stopped) return [];
  return [stopped.problem ? labMessage(lang, 'lab.stop-failed', { id: stopped.id, problem: stopped.problem }) : labMessage(lang, 'lab.stopped', { id: stopped.id }), ''];
}

/** what a replay of the earlier steps' solutions did */
export function formatReplay(replay: ReplayReport | undefined, lang: Lang): string[] {
  if (!replay || replay.steps.length === 0) return [];
  const failed = replay.steps.find((s) => !s.passed);
  if (!failed) return [labMessage(lang, 'start.replayed', { n: replay.steps.length }), ''];
  return [labMessage(lang, 'start.replay-stopped', { n: failed.index + 1, id: failed.id, problem: failed.problem ?? '' }), ''];
}

/** where the student types: a vm sandbox has its own shell (`boxlab lab shell`), this host the student's */
const inVm = (sandbox: string) => sandbox !== 'local' && !sandbox.startsWith('local:');

/** `lab start`: the title, then the intro and the step, or (a finished lab) how to start over and what comes next */
export function formatStart(r: StartResult, lang: Lang): string {
  const out = [...formatStopped(r.stopped, lang), `# ${r.title}${r.resumed && !r.finished && !r.sandboxLost ? ` ${labMessage(lang, 'start.resumed')}` : ''}`, ''];
  if (r.sandboxLost) {
    const l = r.sandboxLost;
    out.push(labMessage(lang, 'start.sandbox-lost', { step: l.atStep, now: l.now, startedIn: l.startedIn ? labMessage(lang, 'start.started-in', { sandbox: l.startedIn }) : '' }));
    out.push(`  ${labMessage(lang, 'start.offer-replay', { id: r.labId, step: l.atStep })}`);
    out.push(`  ${labMessage(lang, 'start.offer-restart', { id: r.labId })}`);
    return out.join('\n');
  }
  if (r.finished) {
    out.push(labMessage(lang, 'start.finished', { date: (r.progress.finishedAt ?? '').slice(0, 10) }));
    out.push(`  ${labMessage(lang, 'start.restart', { id: r.labId })}`);
    out.push(`  ${r.nextLab ? labMessage(lang, 'start.next', { id: r.nextLab.id, title: r.nextLab.title }) : labMessage(lang, 'start.last')}`);
    return out.join('\n');
  }
  out.push(...formatReplay(r.replay, lang));
  if (!r.resumed && r.intro) out.push(r.intro, '');
  if (inVm(r.sandbox)) {
    out.push(labMessage(lang, 'start.vm-shell', { sandbox: r.sandbox }), '  boxlab lab shell');
  } else {
    out.push(`export LAB_DIR=${r.workDir}`);
    if (r.dockerHost) out.push('', labMessage(lang, 'start.engine', { host: r.dockerHost }), `  export DOCKER_HOST=${r.dockerHost}`);
  }
  if (r.step) out.push(formatStep(r.step));
  out.push(labMessage(lang, 'start.then'));
  return out.join('\n');
}

/** `lab check`: the step's results; on a finished lab (or --step), labelled as a re-check that records nothing */
export function formatCheck(r: CheckOutcome, lang: Lang): string {
  const out: string[] = [];
  const finishedLab = r.progress.finishedAt !== undefined;
  if (r.alreadyFinished) {
    out.push(finishedLab && !r.recheck ? labMessage(lang, 'check.already-finished', { date: (r.progress.finishedAt ?? '').slice(0, 10) }) : labMessage(lang, 'check.recheck', { n: r.step.index + 1 }));
  }
  out.push(labMessage(lang, 'check.step', { n: r.step.index + 1, count: r.step.count, title: r.step.title }));
  out.push(formatStepResult(r.result, labMessage(lang, 'check.hint'), lang));
  if (r.sandboxLost) {
    const l = r.sandboxLost;
    out.push('', labMessage(lang, 'check.note', { text: labMessage(lang, 'check.sandbox-lost', { now: l.now, id: r.labId, startedIn: l.startedIn ? labMessage(lang, 'start.started-in', { sandbox: l.startedIn }) : '' }) }));
  }
  if (r.engineMismatch) out.push('', labMessage(lang, 'check.note', { text: r.engineMismatch.message }));
  if (r.alreadyFinished) {
    out.push('', labMessage(lang, r.result.passed ? 'check.still-holds' : finishedLab ? 'check.no-longer-holds' : 'check.no-longer-holds-step'));
    if (finishedLab) out.push(labMessage(lang, 'check.finished-how', { id: r.labId }));
  } else if (r.finished && r.result.passed) out.push('', labMessage(lang, 'check.lab-finished'));
  else if (r.next) out.push(formatStep(r.next));
  return out.join('\n');
}

/** `lab status`: the lab, the learner's progress, where its commands run */
export function formatStatus(r: { labId: string; title: string; progress: LabProgress }, sandbox: string, lang: Lang): string {
  const n = Object.values(r.progress.passed).reduce((sum, s) => sum + Object.keys(s).length, 0);
  const finished = r.progress.finishedAt ? labMessage(lang, 'status.finished', { date: r.progress.finishedAt }) : '';
  return [labMessage(lang, 'status.header', { id: r.labId, title: r.title }), labMessage(lang, 'status.progress', { started: r.progress.startedAt, n }) + finished, labMessage(lang, 'status.sandbox', { sandbox })].join('\n');
}

/** the sandbox a lab command would use, in the student's language (sandbox-choice.ts decides it) */
export function describeSandboxIn(choice: SandboxChoice, lang: Lang): string {
  if (choice.kind === 'vm') return labMessage(lang, 'sandbox.vm', { vm: choice.vm, provider: choice.provider });
  return choice.why === 'asked' ? labMessage(lang, 'sandbox.here-asked') : labMessage(lang, 'sandbox.here-no-vm', { vm: DEFAULT_SANDBOX_VM });
}
