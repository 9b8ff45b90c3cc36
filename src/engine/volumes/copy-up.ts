// Docker's "copy-up": when a container mounts an empty volume over a folder that has files in the image
// (e.g. /var/lib/mysql), the image's files are copied into the volume first, so the program finds them.
// It happens once: a volume that already has content is left as it is.
import { promises as fs } from 'node:fs';
import { run } from '../../core/exec.js';
import { resolveInRoot } from '../../core/scoped-path.js';

/** copies fromDir's content (owners, modes, links) into volumeDataDir if that is empty; true if copied */
export async function copyUp(fromDir: string, volumeDataDir: string): Promise<boolean> {
  let st;
  try {
    st = await fs.lstat(fromDir);
  } catch {
    return false; // nothing at that path in the image
  }
  if (!st.isDirectory()) return false;
  const existing = await fs.readdir(volumeDataDir).catch(() => undefined);
  if (existing === undefined || existing.length > 0) return false;
  // "<dir>/." copies the folder's content and gives the volume's root the folder's owner and mode
  await run('cp', ['-a', '--', `${fromDir}/.`, volumeDataDir]);
  return true;
}

/** copy-up from a path inside a container's rootfs, resolved so image symlinks cannot point at the host */
export async function copyUpFromRootfs(rootfs: string, destination: string, volumeDataDir: string): Promise<boolean> {
  return copyUp(await resolveInRoot(rootfs, destination), volumeDataDir);
}
