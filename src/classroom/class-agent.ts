// The student's side of a live class: `boxlab class agent` (started by `class join`, or run by hand)
// beats every few seconds to the class server, saying this boxlab is alive and whether its sandbox
// answers; a seat whose beats stop is dead on the teacher's grid (class-status.ts). The heartbeat's answer
// is the one channel back from the teacher: the broadcasts since the last one this boxlab has (kept in
// the inbox, shown by the next `lab` command and the lab page) and the resets the teacher asked for,
// carried out here at once (the student is told in the inbox) and reported back. Not refusable: a
// teacher resets a seat because it is broken or the student asked (ADR 0017). The ports (the sandbox
// probe, the reset) are given by the command, so this loop is tested with doubles.
import type { Lang } from '../core/lang.js';
import { defaultBoxlabHome } from '../labs/progress-store.js';
import { sendCommandResult, sendHeartbeat, type HeartbeatAnswer } from './class-client.js';
import type { SandboxState } from './class-model.js';
import { appendInbox, lastBroadcastId, readInbox, readMembership, type InboxEntry } from './class-membership.js';
import { HEARTBEAT_MS } from './class-status.js';

export interface AgentPorts {
  /** does the student's sandbox answer (a short command in it)? */
  probeSandbox(): Promise<SandboxState>;
  /** `boxlab lab reset` of the lab to the step; throws with the reason when it cannot */
  reset(labId: string, step: number): Promise<{ en: string; zh: string }>;
  log(line: string): void;
}

export type BeatOutcome = { kind: 'ok'; answer: HeartbeatAnswer } | { kind: 'stop'; why: string } | { kind: 'retry'; why: string };

/** one heartbeat and what its answer asks: messages into the inbox, resets carried out and reported */
export async function beatOnce(ports: AgentPorts, lang: Lang, home: string = defaultBoxlabHome()): Promise<BeatOutcome> {
  const m = await readMembership(home);
  if (!m) return { kind: 'stop', why: lang === 'zh' ? '这个 boxlab 已不在任何课堂' : 'this boxlab is in no class any more' };
  const sandbox = await ports.probeSandbox().catch((): SandboxState => 'down');
  const r = await sendHeartbeat(m.url, m.token, { sandbox, after: lastBroadcastId(await readInbox(home)) }, lang);
  if (r.kind === 'unreachable') return { kind: 'retry', why: r.message };
  if (r.kind === 'refused') return { kind: 'stop', why: r.message };
  const fresh: InboxEntry[] = r.answer.messages.map((b) => ({ from: 'teacher', text: b.text, at: b.at, broadcastId: b.id }));
  await appendInbox(fresh, home);
  for (const b of fresh) ports.log(`${lang === 'zh' ? '老师的消息' : 'message from your teacher'}: ${b.text}`);
  for (const c of r.answer.commands) {
    let result: { ok: boolean; en: string; zh: string };
    try {
      const done = await ports.reset(c.labId, c.step);
      result = { ok: true, en: `your teacher reset lab ${c.labId} to step ${c.step}: ${done.en}`, zh: `老师把实验 ${c.labId} 重置到了第 ${c.step} 步：${done.zh}` };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      result = { ok: false, en: `your teacher asked to reset lab ${c.labId} to step ${c.step}; it failed: ${why}`, zh: `老师要求把实验 ${c.labId} 重置到第 ${c.step} 步，但失败了：${why}` };
    }
    await appendInbox([{ from: 'reset', text: result.en, text_zh: result.zh, at: new Date().toISOString() }], home);
    ports.log(lang === 'zh' ? result.zh : result.en);
    await sendCommandResult(m.url, m.token, c.id, { ok: result.ok, message: result.en });
  }
  return r;
}

/** beats until the seat is gone (left, refused, class closed) or the signal aborts */
export async function runAgent(ports: AgentPorts, lang: Lang, options: { home?: string; signal?: AbortSignal } = {}): Promise<string> {
  let every = HEARTBEAT_MS;
  let unreachable = false;
  for (;;) {
    if (options.signal?.aborted) return 'stopped';
    const r = await beatOnce(ports, lang, options.home);
    if (r.kind === 'stop') return r.why;
    if (r.kind === 'retry' && !unreachable) ports.log(lang === 'zh' ? `连不上课堂服务器（${r.why}），会继续重试` : `the class server does not answer (${r.why}): trying again`);
    if (r.kind === 'ok' && unreachable) ports.log(lang === 'zh' ? '又连上课堂服务器了' : 'the class server answers again');
    unreachable = r.kind === 'retry';
    if (r.kind === 'ok') every = Math.max(500, r.answer.heartbeatMs);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, every);
      options.signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}
