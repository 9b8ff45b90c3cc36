// A lock file holding the owner's pid, for "one daemon per state folder". Created with O_EXCL so two
// starting processes cannot both win; a lock left by a dead process (kill -9, power loss) is taken over.
import { promises as fs } from 'node:fs';
import path from 'node:path';
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

export async function acquirePidLock(file: string, what = 'process', alive: (pid: number) => boolean = isProcessAlive): Promise<PidLock> {
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
    if (owner !== process.pid && alive(owner)) {
      throw failedPrecondition(`another ${what} (pid ${owner}) holds the lock ${file}`, {
        suggestions: [`stop it first (kill ${owner}), or use another --root`],
      });
    }
    tookOverFrom = owner || undefined;
    await fs.rm(file, { force: true });
  }
  throw failedPrecondition(`could not take the lock ${file}: it keeps being re-created`, { suggestions: ['is another process starting at the same time?'] });
}
