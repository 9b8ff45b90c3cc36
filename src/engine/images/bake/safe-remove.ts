// Removing a bake's work folder safely. A bake mounts things inside its folder (overlayfs, proc, a tmpfs
// /dev, bind mounts of the apt cache; debootstrap mounts proc and sys in its target). A recursive remove
// crosses mount points, so removing a folder with a mount left in it would delete through the mount:
// mounts are detached first (deepest first), and if one cannot be, the folder is kept and named.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../core/errors.js';
import { run } from '../../../core/exec.js';

/** mount points in mountinfo text at or below `dir` (pure; field 5, octal escapes such as \040 decoded) */
export function mountPointsUnder(mountinfo: string, dir: string): string[] {
  const root = path.resolve(dir);
  return mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4]?.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((m): m is string => m !== undefined && (m === root || m.startsWith(root + '/')));
}

export async function mountsUnder(dir: string): Promise<string[]> {
  return mountPointsUnder(await fs.readFile('/proc/self/mountinfo', 'utf8'), dir);
}

/** detaches what is still mounted under `dir` (deepest first), then removes it */
export async function removeWorkDir(dir: string): Promise<void> {
  for (const m of (await mountsUnder(dir)).sort((a, b) => b.length - a.length)) await run('umount', ['-l', m], { allowFailure: true });
  const left = await mountsUnder(dir);
  if (left.length > 0) {
    throw new AppError('INTERNAL', `mounts are left under ${dir}: ${left.join(', ')}; not removing it`, { suggestions: [`unmount them (umount -l <path>), then remove ${dir}`] });
  }
  await fs.rm(dir, { recursive: true, force: true });
}
