// The one-time move of the unpacked layers out of the snapshotter's folder. Engine roots made before the
// layer store owned its folder keep their layers in <root>/snapshots/layers/<chainid-hex>/; now they live
// in <root>/images/layers/ (layer-store.ts). At start the old folder is renamed to the new place (one
// rename on the same filesystem: layers of running containers stay mounted, a rename does not move their
// inodes) and a symlink is left where it was, because the snapshot.json of existing containers and the
// short links in snapshots/l/ name the old paths: the kernel follows the link when they are mounted again.
//
// Each step can be cut by a crash and is finished at the next start: a marker file goes with the folder
// and is removed last, so "the folder moved but the link is not there yet" can be told from a root that
// never had the old folder.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** in the layers folder while a move is not finished: the link at the old place is still owed */
export const MOVE_MARKER = '.moving-from-snapshots';

/** <root>/snapshots/layers: where the unpacked layers were before */
export function legacyLayersDir(snapshotsDir: string): string {
  return path.join(snapshotsDir, 'layers');
}

/** what the move did (for tests and the start-up log) */
export type LegacyMove = 'none' | 'moved' | 'finished';

export async function moveLegacyLayerFolder(legacy: string, target: string): Promise<LegacyMove> {
  const marker = path.join(target, MOVE_MARKER);
  const link = path.relative(path.dirname(legacy), target);
  const old = await fs.lstat(legacy).catch(() => undefined);
  if (old === undefined || old.isSymbolicLink()) {
    // nothing to move; or a move cut short by a crash: the folder went, the link may still be owed
    if (!(await exists(marker))) return 'none';
    if (old === undefined) await fs.symlink(link, legacy);
    await fs.rm(marker, { force: true });
    return 'finished';
  }
  if (!old.isDirectory()) return 'none';
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(path.join(legacy, MOVE_MARKER), '');
  try {
    // rename(2) replaces an empty folder: a root where the new folder was already made
    await fs.rename(legacy, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    await mergeInto(legacy, target);
  }
  await fs.symlink(link, legacy);
  await fs.rm(marker, { force: true });
  return 'moved';
}

/** both folders hold layers: each layer moves unless the target has it already (same chain id, same files) */
async function mergeInto(legacy: string, target: string): Promise<void> {
  for (const name of await fs.readdir(legacy)) {
    if (name === MOVE_MARKER) continue;
    const from = path.join(legacy, name);
    if (await exists(path.join(target, name))) await fs.rm(from, { recursive: true, force: true });
    else await fs.rename(from, path.join(target, name));
  }
  // the marker goes over last: until the old folder is gone, the next start merges again
  await fs.writeFile(path.join(target, MOVE_MARKER), '');
  await fs.rm(legacy, { recursive: true, force: true });
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}
