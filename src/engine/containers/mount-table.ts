// What is mounted under a folder, from the kernel's mount table (/proc/self/mountinfo, parsed by the
// snapshots plane): recover() and docker cp use it to tell a mounted rootfs from a bare folder.
import { promises as fs } from 'node:fs';
import { mountsUnder, parseMountinfo } from '../snapshots/mountinfo.js';

/** mount points at or below dir, deepest first (the order to unmount them in) */
export async function readMountsUnder(dir: string, mountinfoPath = '/proc/self/mountinfo'): Promise<string[]> {
  return mountsUnder(parseMountinfo(await fs.readFile(mountinfoPath, 'utf8')), dir).map((m) => m.mountPoint);
}
