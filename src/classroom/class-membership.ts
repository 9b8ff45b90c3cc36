// The student's side of a class: the seat this boxlab joined, kept in $BOXLAB_HOME/class.json (mode
// 0600: the seat token is the student's identity in the class), and the reports not delivered yet in
// $BOXLAB_HOME/class-outbox.jsonl (one JSON report a line, sent in order with the next report, so a
// check done while the class server restarts or the wifi drops still reaches the teacher). What the
// teacher sends (broadcasts, and what a reset the teacher asked for did) lands in the inbox,
// $BOXLAB_HOME/class-inbox.jsonl, written by the agent (class-agent.ts) and shown once by the next `lab`
// command (class-inbox.seen counts the lines already shown) or the lab page.
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
  await fs.rm(inboxFile(home), { force: true });
  await fs.rm(seenFile(home), { force: true });
}

export async function removeMembership(home: string = defaultBoxlabHome()): Promise<void> {
  await fs.rm(membershipFile(home), { force: true });
  await fs.rm(outboxFile(home), { force: true });
  await fs.rm(inboxFile(home), { force: true });
  await fs.rm(seenFile(home), { force: true });
}

/** a JSON-lines file's records; a line cut short by a crash is skipped (that one record is lost, the others stay) */
async function readJsonLines<T>(file: string): Promise<T[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // cut short
    }
  }
  return out;
}

export function readOutbox(home: string = defaultBoxlabHome()): Promise<ReportRequest[]> {
  return readJsonLines<ReportRequest>(outboxFile(home));
}

export async function writeOutbox(reports: readonly ReportRequest[], home: string = defaultBoxlabHome()): Promise<void> {
  const file = outboxFile(home);
  if (reports.length === 0) return fs.rm(file, { force: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, reports.map((r) => JSON.stringify(r)).join('\n') + '\n', { mode: 0o600 });
  await fs.rename(tmp, file);
}

/** one thing the student should read: a message from the teacher, or what a reset the teacher asked did */
export interface InboxEntry {
  from: 'teacher' | 'reset';
  text: string;
  /** the reset's words in Chinese (a broadcast is in the teacher's words, one language) */
  text_zh?: string;
  at: string;
  /** the broadcast's id on the class server (the agent asks for the ones after the last it has) */
  broadcastId?: number;
}

export const inboxFile = (home: string = defaultBoxlabHome()) => path.join(home, 'class-inbox.jsonl');
const seenFile = (home: string) => path.join(home, 'class-inbox.seen');

export function readInbox(home: string = defaultBoxlabHome()): Promise<InboxEntry[]> {
  return readJsonLines<InboxEntry>(inboxFile(home));
}

export async function appendInbox(entries: readonly InboxEntry[], home: string = defaultBoxlabHome()): Promise<void> {
  if (entries.length === 0) return;
  await fs.mkdir(home, { recursive: true });
  await fs.appendFile(inboxFile(home), entries.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 });
}

/** the entries not shown yet, now marked as shown (the next command shows none of them again) */
export async function takeUnseen(home: string = defaultBoxlabHome()): Promise<InboxEntry[]> {
  const all = await readInbox(home);
  const seen = Number((await fs.readFile(seenFile(home), 'utf8').catch(() => '0')).trim()) || 0;
  if (all.length <= seen) return [];
  await fs.writeFile(seenFile(home), String(all.length) + '\n', { mode: 0o600 });
  return all.slice(seen);
}

/** the last broadcast this boxlab has (0: none) */
export const lastBroadcastId = (entries: readonly InboxEntry[]) => entries.reduce((n, e) => Math.max(n, e.broadcastId ?? 0), 0);

export const agentPidFile = (home: string = defaultBoxlabHome()) => path.join(home, 'class-agent.pid');
