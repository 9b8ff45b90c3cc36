// Looks at an image's files without mounting it: the unpacked layers are searched from the top one down,
// the way overlayfs resolves a path in its merged view (a whiteout in an upper layer hides the file, an
// opaque folder hides everything under it from lower layers). COPY uses it to tell whether a destination
// folder exists, and USER/--chown to read /etc/passwd and /etc/group.
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { resolveScoped } from '../../core/scoped-path.js';

export interface FoundPath {
  /** the host path in the layer that provides it */
  hostPath: string;
  stat: Stats;
}

const isWhiteout = (st: Stats) => st.isCharacterDevice() && st.rdev === 0;

/** layerDirs lowest first (as ImageStore.layerDirs gives them); rel is a root-relative path */
export async function lookupInLayers(layerDirs: readonly string[], rel: string): Promise<FoundPath | undefined> {
  const clean = path.posix.normalize('/' + rel).slice(1);
  for (let i = layerDirs.length - 1; i >= 0; i--) {
    const hostPath = clean === '' ? layerDirs[i]! : path.join(layerDirs[i]!, clean);
    const stat = await fs.lstat(hostPath).catch(() => undefined);
    if (stat) return isWhiteout(stat) ? undefined : { hostPath, stat };
    // a whiteout of an ancestor in this layer hides the path in every lower layer
    const parts = clean.split('/');
    for (let k = 1; k < parts.length; k++) {
      const anc = await fs.lstat(path.join(layerDirs[i]!, ...parts.slice(0, k))).catch(() => undefined);
      if (anc && (isWhiteout(anc) || !anc.isDirectory())) return undefined;
    }
  }
  return undefined;
}

/**
 * rel as the image's own processes would see it: symlinks in the image are followed, but an absolute target
 * or ".." never leads out of the image's root (Docker's FollowSymlinkInScope on the container's rootfs).
 * COPY/ADD destinations and WORKDIR go through it. Returns a root-relative path.
 */
export async function resolveInLayers(layerDirs: readonly string[], rel: string): Promise<string> {
  return resolveScoped(rel, async (p) => {
    const found = await lookupInLayers(layerDirs, p);
    return found?.stat.isSymbolicLink() ? fs.readlink(found.hostPath) : undefined;
  }, 'the image');
}

/** a text file of the image (e.g. etc/passwd), following no links; undefined when absent */
export async function readImageFile(layerDirs: readonly string[], rel: string): Promise<string | undefined> {
  const found = await lookupInLayers(layerDirs, rel);
  if (!found || !found.stat.isFile()) return undefined;
  return fs.readFile(found.hostPath, 'utf8');
}

/** "app", "app:staff", "1000:1000" -> numeric ids, looked up in the image's /etc/passwd and /etc/group */
export async function resolveChown(layerDirs: readonly string[], spec: string): Promise<{ uid: number; gid: number }> {
  const [user = '', group] = spec.split(':');
  const passwd = (await readImageFile(layerDirs, 'etc/passwd')) ?? '';
  const groups = (await readImageFile(layerDirs, 'etc/group')) ?? '';
  const lookup = (table: string, name: string, idField: number) => {
    if (/^\d+$/.test(name)) return Number(name);
    const line = table.split('\n').find((l) => l.split(':')[0] === name);
    if (!line) return undefined;
    return Number(line.split(':')[idField]);
  };
  const uid = lookup(passwd, user, 2);
  if (uid === undefined) throw new Error(`unable to find user ${user}: no matching entries in passwd file`);
  let gid: number | undefined;
  if (group !== undefined) {
    gid = lookup(groups, group, 2);
    if (gid === undefined) throw new Error(`unable to find group ${group}: no matching entries in group file`);
  } else {
    // Docker: --chown=user alone uses the user's uid as gid too
    gid = uid;
  }
  return { uid, gid };
}
