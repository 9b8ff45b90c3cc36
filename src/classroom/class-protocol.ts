// The class server's request bodies, parsed once at the edge into typed values (docs/classroom.md has
// the protocol): a join ({code, name}) and a report from a student's boxlab, either one `lab check` of a
// step or how far down a step's hint ladder the student went. Anything else is refused with what was
// expected and what was found. Pure.
import { invalidArgument } from '../core/errors.js';
import type { CheckReport, HintReport } from './class-model.js';

export interface JoinRequest {
  code: string;
  name: string;
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
  return { code: str(o, 'code', 'join', 20), name: str(o, 'name', 'join', 80) };
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
