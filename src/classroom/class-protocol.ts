// The class server's request bodies, parsed once at the edge into typed values (docs/classroom.md has
// the protocol): a join ({code, name}), a heartbeat of the student's agent, a broadcast, a reset the
// teacher asks for and the agent's answer to it, and a report from a student's boxlab, either one `lab check` of a
// step or how far down a step's hint ladder the student went. Anything else is refused with what was
// expected and what was found. Pure.
import { invalidArgument } from '../core/errors.js';
import { SANDBOX_STATES, type CheckReport, type HintReport, type SandboxState } from './class-model.js';

export interface JoinRequest {
  code: string;
  name: string;
  /** the browser's join page asks for a hosted seat (a sandbox from the class's pool) */
  hosted?: boolean;
}

export type ReportRequest = ({ kind: 'check'; id: string } & CheckReport) | ({ kind: 'hint'; id: string } & HintReport);

type Json = Record<string, unknown>;

function object(body: unknown, what: string): Json {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidArgument(`${what}: expected a JSON object, found ${Array.isArray(body) ? 'an array' : typeof body}`);
  return body as Json;
}

function str(o: Json, key: string, what: string, max = 200): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw invalidArgument(`${what}: "${key}" must be a string of 1 to ${max} characters, found ${JSON.stringify(v) ?? 'nothing'}`);
  return v;
}

function int(o: Json, key: string, what: string, min = 0): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 10_000) throw invalidArgument(`${what}: "${key}" must be a whole number from ${min}, found ${JSON.stringify(v) ?? 'nothing'}`);
  return v;
}

function time(o: Json, key: string, what: string): string {
  const v = str(o, key, what, 40);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalidArgument(`${what}: "${key}" must be an ISO 8601 time, found ${JSON.stringify(v)}`);
  return new Date(t).toISOString();
}

export function parseJoinRequest(body: unknown): JoinRequest {
  const o = object(body, 'join');
  const join: JoinRequest = { code: str(o, 'code', 'join', 20), name: str(o, 'name', 'join', 80) };
  if (o.hosted !== undefined && typeof o.hosted !== 'boolean') throw invalidArgument(`join: "hosted" must be true or false, found ${JSON.stringify(o.hosted)}`);
  if (o.hosted === true) join.hosted = true;
  return join;
}

export function parseReportRequest(body: unknown): ReportRequest {
  const o = object(body, 'report');
  const id = str(o, 'id', 'report', 64);
  const base = { id, labId: str(o, 'labId', 'report', 100), stepIndex: int(o, 'stepIndex', 'report'), stepId: str(o, 'stepId', 'report', 100), at: time(o, 'at', 'report') };
  if (o.kind === 'check') {
    if (typeof o.passed !== 'boolean') throw invalidArgument(`report: "passed" must be true or false, found ${JSON.stringify(o.passed) ?? 'nothing'}`);
    const checksTotal = int(o, 'checksTotal', 'report');
    const checksPassed = int(o, 'checksPassed', 'report');
    if (checksPassed > checksTotal) throw invalidArgument(`report: ${checksPassed} checks passed out of ${checksTotal}`);
    const stepCount = int(o, 'stepCount', 'report', 1);
    if (base.stepIndex >= stepCount) throw invalidArgument(`report: step index ${base.stepIndex} is past the lab's ${stepCount} steps`);
    return { kind: 'check', ...base, stepCount, passed: o.passed, checksPassed, checksTotal };
  }
  if (o.kind === 'hint') return { kind: 'hint', ...base, shown: int(o, 'shown', 'report', 1) };
  throw invalidArgument(`report: "kind" must be "check" or "hint", found ${JSON.stringify(o.kind) ?? 'nothing'}`);
}

/** the student's agent is alive: whether its sandbox answers, and the last broadcast it already has */
export interface HeartbeatRequest {
  sandbox: SandboxState;
  after: number;
}

export function parseHeartbeatRequest(body: unknown): HeartbeatRequest {
  const o = object(body, 'heartbeat');
  if (!SANDBOX_STATES.includes(o.sandbox as SandboxState)) throw invalidArgument(`heartbeat: "sandbox" must be one of ${SANDBOX_STATES.join(', ')}, found ${JSON.stringify(o.sandbox) ?? 'nothing'}`);
  const after = o.after === undefined ? 0 : o.after;
  if (typeof after !== 'number' || !Number.isInteger(after) || after < 0) throw invalidArgument(`heartbeat: "after" must be a broadcast id (a whole number from 0), found ${JSON.stringify(after)}`);
  return { sandbox: o.sandbox as SandboxState, after };
}

export function parseBroadcastRequest(body: unknown): { text: string } {
  const o = object(body, 'broadcast');
  return { text: str(o, 'text', 'broadcast', 2000) };
}

/** the teacher resets a seat's current lab: to step 1 (start over) unless a step is named */
export function parseResetRequest(body: unknown): { step: number } {
  const o = object(body, 'reset');
  return { step: o.step === undefined ? 1 : int(o, 'step', 'reset', 1) };
}

/** the agent says how the command went */
export function parseCommandResult(body: unknown): { ok: boolean; message: string } {
  const o = object(body, 'command result');
  if (typeof o.ok !== 'boolean') throw invalidArgument(`command result: "ok" must be true or false, found ${JSON.stringify(o.ok) ?? 'nothing'}`);
  return { ok: o.ok, message: str(o, 'message', 'command result', 2000) };
}
