// The student's side of a class: the seat this boxlab joined, kept in $BOXLAB_HOME/class.json (mode
// 0600: the seat token is the student's identity in the class), and the reports not delivered yet in
// $BOXLAB_HOME/class-outbox.jsonl (one JSON report a line, sent in order with the next report, so a
// check done while the class server restarts or the wifi drops still reaches the teacher).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { defaultBoxlabHome } from '../labs/progress-store.js';
import type { ReportRequest } from './class-protocol.js';

export interface ClassMembership {
  url: string;
  className: string;
  labs: string[];
  seatId: string;
  name: string;
  token: string;
  joinedAt: string;
}

export function membershipFile(home: string = defaultBoxlabHome()): string {
  return path.join(home, 'class.json');
}

export function outboxFile(home: string = defaultBoxlabHome()): string {
  return path.join(home, 'class-outbox.jsonl');
}

export async function readMembership(home: string = defaultBoxlabHome()): Promise<ClassMembership | undefined> {
  const text = await fs.readFile(membershipFile(home), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<ClassMembership>;
    return typeof v.url === 'string' && typeof v.token === 'string' && typeof v.seatId === 'string' && typeof v.className === 'string' ? (v as ClassMembership) : undefined;
  } catch {
    return undefined;
  }
}

export async function writeMembership(m: ClassMembership, home: string = defaultBoxlabHome()): Promise<void> {
  await fs.mkdir(home, { recursive: true });
  const file = membershipFile(home);
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, JSON.stringify(m, null, 2) + '\n', { mode: 0o600 });
  await fs.rename(tmp, file);
  await fs.rm(outboxFile(home), { force: true });
}

export async function removeMembership(home: string = defaultBoxlabHome()): Promise<void> {
  await fs.rm(membershipFile(home), { force: true });
  await fs.rm(outboxFile(home), { force: true });
}

export async function readOutbox(home: string = defaultBoxlabHome()): Promise<ReportRequest[]> {
  const text = await fs.readFile(outboxFile(home), 'utf8').catch(() => '');
  const out: ReportRequest[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as ReportRequest);
    } catch {
      // a line cut short by a crash: that one report is lost, the others go
    }
  }
  return out;
}

export async function writeOutbox(reports: readonly ReportRequest[], home: string = defaultBoxlabHome()): Promise<void> {
  const file = outboxFile(home);
  if (reports.length === 0) return fs.rm(file, { force: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, reports.map((r) => JSON.stringify(r)).join('\n') + '\n', { mode: 0o600 });
  await fs.rename(tmp, file);
}
