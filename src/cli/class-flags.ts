// What every `boxlab class ...` command of the teacher shares: the class database file and a duration
// flag for join codes, and opening the class store for one command. Commands stay thin over src/classroom/.
import { Flags } from '@oclif/core';
import { invalidArgument } from '../core/errors.js';
import { ClassStore, defaultClassDb } from '../classroom/class-store.js';
import { parseDuration } from '../labs/duration.js';

export const classDbFlag = () => Flags.string({ description: 'the class database (default: $BOXLAB_HOME/classroom.db)', env: 'BOXLAB_CLASS_DB', default: defaultClassDb() });

export const codeTtlFlag = () => Flags.string({ description: 'how long a join code lets students in (e.g. 45m, 2h)', default: '2h' });

export function codeTtlMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw invalidArgument(`--ttl ${text} is not a duration: write it like 45m or 2h`);
  return ms;
}

/** opens the class database for one command and closes it after, whatever happens */
export async function withClassStore<T>(db: string, use: (store: ClassStore) => T | Promise<T>): Promise<T> {
  const store = new ClassStore(db);
  try {
    return await use(store);
  } finally {
    store.close();
  }
}

/** --dead-after: from 2 s (a test, a demo) to a day */
export function deadAfterMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms < 2000 || ms > 86_400_000) throw invalidArgument(`--dead-after ${text} is not a duration from 2s to 24h: write it like 90s or 2m`);
  return ms;
}
