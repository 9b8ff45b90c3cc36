// The student's boxlab talking to a class server over HTTP (docs/classroom.md): join with a code, send a
// report with the seat token. Answers become typed outcomes: a refusal the student should read (in their
// language) is not the same as a server that cannot be reached (the report waits in the outbox).
import { AppError, unavailable } from '../core/errors.js';
import type { Lang } from '../core/lang.js';
import type { Broadcast, SandboxState, SeatCommand } from './class-model.js';
import type { ReportRequest } from './class-protocol.js';

export interface JoinAnswer {
  class: string;
  labs: string[];
  seat: { id: string; name: string };
  token: string;
}

const TIMEOUT_MS = 5000;

/** the class server's root from what the student typed: "teacher-laptop:7733" gets http:// */
export function classServerUrl(text: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `http://${text}`;
  const u = new URL(withScheme);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('INVALID_ARGUMENT', `${text} is not an http:// address of a class server`);
  return `${u.protocol}//${u.host}`;
}

async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw unavailable(`the class server at ${new URL(url).origin} does not answer`, { cause: err, suggestions: ['check the address with your teacher, and that this laptop is on the class network'] });
  }
}

async function messageOf(res: Response, lang: Lang): Promise<{ message: string; reason?: string }> {
  const body = (await res.json().catch(() => ({}))) as { message?: string; message_zh?: string; reason?: string };
  const message = (lang === 'zh' ? body.message_zh : undefined) ?? body.message ?? `HTTP ${res.status}`;
  return body.reason ? { message, reason: body.reason } : { message };
}

export async function joinClass(server: string, code: string, name: string, lang: Lang): Promise<JoinAnswer> {
  const res = await call(`${server}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name }) });
  if (res.status === 201) return (await res.json()) as JoinAnswer;
  const { message } = await messageOf(res, lang);
  throw new AppError(res.status === 409 ? 'ALREADY_EXISTS' : res.status === 400 ? 'INVALID_ARGUMENT' : 'FAILED_PRECONDITION', message);
}

export type SendOutcome = { kind: 'sent' } | { kind: 'refused'; status: number; message: string } | { kind: 'unreachable'; message: string };

/** one report; refused means the server answered no (it will not change its mind: drop it), unreachable means try later */
export async function sendReport(server: string, token: string, report: ReportRequest, lang: Lang): Promise<SendOutcome> {
  let res: Response;
  try {
    res = await call(`${server}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(report) });
  } catch (err) {
    return { kind: 'unreachable', message: (err as Error).message };
  }
  if (res.status === 201) {
    await res.body?.cancel();
    return { kind: 'sent' };
  }
  // a server that is there but failing (5xx) is like one that is not: keep the report
  if (res.status >= 500) return { kind: 'unreachable', message: (await messageOf(res, lang)).message };
  return { kind: 'refused', status: res.status, message: (await messageOf(res, lang)).message };
}

export interface HeartbeatAnswer {
  heartbeatMs: number;
  deadAfterMs: number;
  messages: Broadcast[];
  commands: SeatCommand[];
}

export type HeartbeatOutcome = { kind: 'ok'; answer: HeartbeatAnswer } | { kind: 'refused'; status: number; message: string } | { kind: 'unreachable'; message: string };

/** the agent's heartbeat; refused (401/403/410) means the seat is gone or the class closed: the agent stops */
export async function sendHeartbeat(server: string, token: string, body: { sandbox: SandboxState; after: number }, lang: Lang): Promise<HeartbeatOutcome> {
  let res: Response;
  try {
    res = await call(`${server}/api/seats/me/heartbeat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  } catch (err) {
    return { kind: 'unreachable', message: (err as Error).message };
  }
  if (res.status === 200) return { kind: 'ok', answer: (await res.json()) as HeartbeatAnswer };
  const { message } = await messageOf(res, lang);
  return res.status >= 500 ? { kind: 'unreachable', message } : { kind: 'refused', status: res.status, message };
}

/** how a command of the teacher went (an unreachable server: the result is lost, the grid keeps "resetting") */
export async function sendCommandResult(server: string, token: string, id: string, result: { ok: boolean; message: string }): Promise<boolean> {
  try {
    const res = await call(`${server}/api/seats/me/commands/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(result) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
