// What a joined student's boxlab tells the class, and nothing more: after `lab check`, the step checked,
// whether it passed and how many of its checks did; after `lab hint`, how many of the step's hints were
// seen. No terminal, no file, no command output leaves the laptop. A re-check of a step already passed
// (--step, a finished lab) records nothing locally and is not reported either. Reports go in order; the
// ones the server could not take yet wait in the outbox (class-membership.ts) for the next report.
import { randomBytes } from 'node:crypto';
import type { Lang } from '../core/lang.js';
import { defaultBoxlabHome } from '../labs/progress-store.js';
import type { CheckOutcome } from '../labs/lab-session.js';
import { sendReport } from './class-client.js';
import { readMembership, readOutbox, writeOutbox } from './class-membership.js';
import type { ReportRequest } from './class-protocol.js';

const newReportId = () => randomBytes(12).toString('hex');

/** the report of one `lab check`, or undefined when it recorded nothing (a re-check) */
export function checkReportOf(outcome: CheckOutcome, at: Date, id: string = newReportId()): ReportRequest | undefined {
  if (outcome.alreadyFinished || outcome.recheck) return undefined;
  const checks = outcome.result.checks;
  return {
    kind: 'check',
    id,
    labId: outcome.labId,
    stepIndex: outcome.step.index,
    stepId: outcome.step.id,
    stepCount: outcome.step.count,
    passed: outcome.result.passed,
    checksPassed: checks.filter((c) => c.status === 'passed').length,
    checksTotal: checks.length,
    at: at.toISOString(),
  };
}

/** the report of one `lab hint`: the highest hint number the student has now seen on the step */
export function hintReportOf(ask: { labId: string; step: { index: number; id: string }; number: number; count: number }, at: Date, id: string = newReportId()): ReportRequest | undefined {
  if (ask.count === 0 || ask.number === 0) return undefined;
  return { kind: 'hint', id, labId: ask.labId, stepIndex: ask.step.index, stepId: ask.step.id, shown: ask.number, at: at.toISOString() };
}

export interface Delivery {
  className: string;
  sent: number;
  /** waiting in the outbox for the next try */
  pending: number;
  /** reports the server refused (closed class, a lab not in the class), with its words */
  refused: string[];
  /** why the pending ones are waiting */
  unreachable?: string;
}

/** sends the outbox and then this report (if any), in order; undefined when this boxlab is in no class */
export async function deliverReport(report: ReportRequest | undefined, lang: Lang, home: string = defaultBoxlabHome()): Promise<Delivery | undefined> {
  const m = await readMembership(home);
  if (!m) return undefined;
  const queue = [...(await readOutbox(home)), ...(report ? [report] : [])];
  const out: Delivery = { className: m.className, sent: 0, pending: 0, refused: [] };
  let i = 0;
  for (; i < queue.length; i++) {
    const r = await sendReport(m.url, m.token, queue[i], lang);
    if (r.kind === 'unreachable') {
      out.unreachable = r.message;
      break;
    }
    if (r.kind === 'sent') out.sent++;
    else out.refused.push(r.message);
  }
  const left = queue.slice(i);
  out.pending = left.length;
  await writeOutbox(left, home);
  return out;
}

/** the lines a student reads after the check (nothing when everything went) */
export function deliveryLines(d: Delivery | undefined, lang: Lang): string[] {
  if (!d) return [];
  const lines = d.refused.map((m) => (lang === 'zh' ? `课堂 ${d.className} 没有接收这条结果：${m}` : `class ${d.className} did not take this report: ${m}`));
  if (d.pending > 0) {
    lines.push(
      lang === 'zh'
        ? `还有 ${d.pending} 条结果没有送到课堂 ${d.className}（${d.unreachable}）：已保存，下次 lab check 或 lab hint 时会再发送`
        : `${d.pending} report(s) not delivered to class ${d.className} yet (${d.unreachable}): kept, sent with your next lab check or lab hint`,
    );
  }
  return lines;
}
