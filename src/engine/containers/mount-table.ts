// Reads the kernel's mount table (/proc/self/mountinfo) to find what is still mounted under a folder:
// recover() uses it to unmount what a crash left behind. Pure parser + a reader with an injectable path.
import { promises as fs } from 'node:fs';

/** mount points listed in mountinfo text (field 5, with \040-style escapes decoded) */
export function parseMountPoints(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p !== '')
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))));
}

/** mount points equal to or below dir, deepest first (the order to unmount them in) */
export function mountsUnder(mountinfo: string, dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return parseMountPoints(mountinfo)
    .filter((p) => p === dir || p.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

export async function readMountsUnder(dir: string, mountinfoPath = '/proc/self/mountinfo'): Promise<string[]> {
  return mountsUnder(await fs.readFile(mountinfoPath, 'utf8'), dir);
}
