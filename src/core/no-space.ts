// A full disk, said plainly. The kernel answers a write that needs a block it does not have with ENOSPC
// ("no space left on device"); Node reports it as `ENOSPC: no space left on device, write`, which names
// neither the file nor the way out. Docker's answer is the same bare errno. These helpers turn it into
// a message that says what was being written, on which disk, and how to make room.
import { AppError, messageOf } from './errors.js';

export const NO_SPACE_SUGGESTIONS = ['docker system prune', 'docker volume prune'];

/** is this the kernel's ENOSPC, from a Node call or in a tool's stderr (mkfifo, mount, tar)? */
export function isNoSpace(err: unknown): boolean {
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC') return true;
  return /no space left on device/i.test(messageOf(err)) && !(err instanceof AppError && err.message.startsWith('no space left on device writing'));
}

/** "no space left on device writing <what> under <root>: free space (docker system prune, ...) or grow the disk" */
export function noSpaceMessage(what: string, root?: string): string {
  const where = root ? ` under ${root}` : '';
  return `no space left on device writing ${what}${where}: free space (${NO_SPACE_SUGGESTIONS.join(', ')}) or grow the disk`;
}

export function noSpaceLeft(what: string, root: string | undefined, cause?: unknown): AppError {
  return new AppError('INTERNAL', noSpaceMessage(what, root), { suggestions: [...NO_SPACE_SUGGESTIONS, 'or grow the disk'], cause });
}

/** runs fn; a full disk comes back as the clear error, any other failure as it was */
export async function explainNoSpace<T>(what: string, root: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw isNoSpace(err) ? noSpaceLeft(what, root, err) : err;
  }
}
