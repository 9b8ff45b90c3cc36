// The check engine: runs a step's checks in the sandbox through Guest.exec (one round trip), turns the
// raw results into what a student sees (passed / failed / skipped, the check's stdout as message, and
// the hint its output selects), and polls (`watchStep`) for the web page. In a multi-node lab (ADR 0016)
// each check runs on its node: the checks go in runs of consecutive checks of one node, in needs order
// (`checkRuns`, pure), one round trip per run, and each result says which node it looked at.
import { randomBytes } from 'node:crypto';
import type { Guest } from '../vm/guest.js';
import { buildCheckScript, orderChecks, parseCheckOutput, type CheckStatus, type RawCheckResult } from './check-script.js';
import { formatDuration } from './duration.js';
import { nodeOf, type Check, type Hint, type Lab, type Step } from './lab-model.js';
import type { Lang } from '../core/lang.js';
import { labMessage } from './lab-messages.js';

export interface CheckResult {
  name: string;
  /** the node it ran on (multi-node labs only) */
  node?: string;
  status: CheckStatus;
  message: string;
  exitCode?: number;
  stderr?: string;
  timedOut?: boolean;
  /** the dynamic hint this check's output selected */
  hint?: string;
}

export interface StepResult {
  stepId: string;
  passed: boolean;
  checks: CheckResult[];
  /** the first failed check's hint, else the step's static hint (only when something failed) */
  hint?: string;
  durationMs: number;
}

export interface CheckRunOptions {
  lang: Lang;
  env?: Record<string, string>;
  /** a multi-node lab: its nodes, and the guest of each (checks without node= run on the first) */
  nodes?: NodePlacement;
}

/** where a multi-node lab's blocks run: the lab (its nodes) and the guest of a node */
export interface NodePlacement {
  lab: Pick<Lab, 'nodes'>;
  guest(node: string): Guest;
}

/** a multi-node lab's checks in runs of one node each, in the order their needs ask for (pure) */
export function checkRuns(lab: Pick<Lab, 'nodes'>, checks: readonly Check[]): { node: string | undefined; checks: Check[] }[] {
  const runs: { node: string | undefined; checks: Check[] }[] = [];
  for (const check of orderChecks(checks)) {
    const node = nodeOf(lab, check);
    const last = runs[runs.length - 1];
    if (last && last.node === node) last.checks.push(check);
    else runs.push({ node, checks: [check] });
  }
  return runs;
}

/**
 * how many times slower than native the lab's blocks run: the sandbox's Guest.slowdown(), or for a
 * multi-node lab the slowest of its nodes' guests (the sandbox guest of `lab test` is then not where
 * anything runs: it may be this host, slowdown 1, while the nodes are TCG VMs)
 */
export async function placementSlowdown(guest: Guest, placed: NodePlacement | undefined): Promise<number> {
  if (!placed?.lab.nodes) return (await guest.slowdown?.()) ?? 1;
  const each = await Promise.all(placed.lab.nodes.map(async (n) => (await placed.guest(n.name).slowdown?.()) ?? 1));
  return Math.max(1, ...each);
}

/** slack for the runner itself on top of the checks' own timeouts */
const RUNNER_SLACK_MS = 5_000;

export async function runStepChecks(guest: Guest, step: Step, options: CheckRunOptions): Promise<StepResult> {
  const started = Date.now();
  const placed = options.nodes;
  // a timed-out check's message names the timeout it had: times the slowdown of where the checks run
  const slowdown = await placementSlowdown(guest, placed);
  if (!placed?.lab.nodes) {
    const raw = await runChecksOn(guest, step.checks, options);
    return summarizeStep(step, raw, options.lang, Date.now() - started, slowdown);
  }
  const done = new Map<string, CheckStatus>();
  const raw = new Map<string, RawCheckResult>();
  const nodeOfCheck = new Map<string, string>();
  for (const run of checkRuns(placed.lab, step.checks)) {
    const node = run.node!;
    for (const r of await runChecksOn(placed.guest(node), run.checks, { ...options, env: { ...options.env, LAB_NODE: node } }, done)) {
      raw.set(r.name, r);
      done.set(r.name, r.status);
      nodeOfCheck.set(r.name, node);
    }
  }
  const result = summarizeStep(step, step.checks.map((c) => raw.get(c.name)!), options.lang, Date.now() - started, slowdown);
  for (const c of result.checks) c.node = nodeOfCheck.get(c.name);
  return result;
}

/** one round trip: these checks in one script on one guest */
async function runChecksOn(guest: Guest, checks: readonly Check[], options: CheckRunOptions, elsewhere?: ReadonlyMap<string, CheckStatus>): Promise<RawCheckResult[]> {
  const nonce = randomBytes(6).toString('hex');
  // check timeouts are written for native speed: an emulated sandbox (TCG) gets them times its slowdown
  const slowdown = (await guest.slowdown?.()) ?? 1;
  const script = buildCheckScript(checks, nonce, elsewhere, slowdown);
  const budget = checks.reduce((sum, c) => sum + c.timeoutMs * slowdown + 1000, RUNNER_SLACK_MS);
  const res = await guest.exec({ script }, { timeoutMs: budget, env: { ...options.env, LAB_LANG: options.lang } });
  return parseCheckOutput(checks, nonce, res.stdout, res.stderr, elsewhere);
}

/** pure: raw runner results -> what the student sees */
export function summarizeStep(step: Step, raw: RawCheckResult[], lang: Lang, durationMs = 0, slowdown = 1): StepResult {
  const checks = raw.map((r): CheckResult => {
    const check = step.checks.find((c) => c.name === r.name)!;
    let message = r.stdout.trim();
    if (r.status === 'skipped') message = labMessage(lang, 'check.skipped', { needs: r.unmet.join(', ') });
    else if (r.timedOut && !message) message = labMessage(lang, 'check.timed-out', { duration: formatDuration(check.timeoutMs * slowdown) });
    const result: CheckResult = { name: r.name, status: r.status, message };
    if (r.exitCode !== undefined) result.exitCode = r.exitCode;
    if (r.stderr.trim()) result.stderr = r.stderr.trim();
    if (r.timedOut) result.timedOut = true;
    if (r.status === 'failed') {
      const hint = selectHint(step.hints, r.name, r.stdout, lang);
      if (hint) result.hint = hint;
    }
    return result;
  });
  const passed = checks.every((c) => c.status === 'passed');
  const out: StepResult = { stepId: step.id, passed, checks, durationMs };
  if (!passed) {
    const hint = checks.find((c) => c.hint)?.hint ?? staticHint(step.hints, lang);
    if (hint) out.hint = hint;
  }
  return out;
}

/** a failed check's hint: one whose match text occurs in the output wins over one without match */
export function selectHint(hints: readonly Hint[], check: string, stdout: string, lang: Lang): string | undefined {
  const mine = hints.filter((h) => h.check === check && h.lang === lang);
  return (mine.find((h) => h.match !== undefined && stdout.includes(h.match)) ?? mine.find((h) => h.match === undefined))?.text;
}

export function staticHint(hints: readonly Hint[], lang: Lang): string | undefined {
  return hints.find((h) => h.check === undefined && h.lang === lang)?.text;
}

export interface WatchOptions extends CheckRunOptions {
  intervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Polling mode for the web page: checks run again every interval; onChange hears each result that
 * differs from the previous one; resolves with the first all-passed result, or the last one when aborted.
 */
export async function watchStep(guest: Guest, step: Step, options: WatchOptions, onChange: (r: StepResult) => void): Promise<StepResult> {
  const interval = options.intervalMs ?? 2000;
  let last: string | undefined;
  for (;;) {
    const result = await runStepChecks(guest, step, options);
    const key = JSON.stringify(result.checks);
    if (key !== last) onChange(result);
    last = key;
    if (result.passed || options.signal?.aborted) return result;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, interval);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
    if (options.signal?.aborted) return result;
  }
}
