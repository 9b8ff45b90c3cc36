// A lock file holding the owner's pid, for "one daemon per state folder" and "one vm image build per cache".
// Created with O_EXCL so two starting processes cannot both win; a lock left by a dead process (kill -9,
// power loss) is taken over.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { failedPrecondition } from './errors.js';

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface PidLock {
  file: string;
  /** the pid of a dead previous owner whose lock was taken over */
  tookOverFrom?: number;
  release(): Promise<void>;
}

/** one try: the lock, or the live process that holds it */
async function tryPidLock(file: string, alive: (pid: number) => boolean): Promise<PidLock | { heldBy: number }> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  let tookOverFrom: number | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await fs.open(file, 'wx', 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return {
        file,
        tookOverFrom,
        release: async () => {
          const owner = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
          if (owner === process.pid) await fs.rm(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
    if (owner !== process.pid && alive(owner)) return { heldBy: owner };
    tookOverFrom = owner || undefined;
    await fs.rm(file, { force: true });
  }
  throw failedPrecondition(`could not take the lock ${file}: it keeps being re-created`, { suggestions: ['is another process starting at the same time?'] });
}

/** takes the lock, or refuses naming the live process that holds it */
export async function acquirePidLock(file: string, what = 'process', alive: (pid: number) => boolean = isProcessAlive): Promise<PidLock> {
  const got = await tryPidLock(file, alive);
  if (!('heldBy' in got)) return got;
  throw failedPrecondition(`another ${what} (pid ${got.heldBy}) holds the lock ${file}`, {
    suggestions: [`stop it first (kill ${got.heldBy}), or use another --root`],
  });
}

/** the locks this process holds through waitForPidLock: a second caller here queues behind the first */
const heldHere = new Map<string, Promise<void>>();

export interface WaitOptions {
  /** told once, with the holder's pid, when the lock is busy */
  onWait?: (pid: number) => void;
  /** how often a busy lock is tried again: its holder may also die without releasing it */
  pollMs?: number;
  alive?: (pid: number) => boolean;
}

/** takes the lock, waiting while another process (or another caller in this one) holds it */
export async function waitForPidLock(file: string, options: WaitOptions = {}): Promise<PidLock> {
  while (heldHere.has(file)) await heldHere.get(file);
  let freed!: () => void;
  heldHere.set(file, new Promise<void>((resolve) => (freed = resolve)));
  const free = () => {
    heldHere.delete(file);
    freed();
  };
  try {
    let told = false;
    for (;;) {
      const got = await tryPidLock(file, options.alive ?? isProcessAlive);
      if (!('heldBy' in got)) return { ...got, release: () => got.release().finally(free) };
      if (!told) options.onWait?.(got.heldBy);
      told = true;
      await delay(options.pollMs ?? 500);
    }
  } catch (err) {
    free();
    throw err;
  }
}
