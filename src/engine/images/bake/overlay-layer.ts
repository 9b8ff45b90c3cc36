// From an overlayfs upper directory to an OCI layer. After `apt-get install` ran on an overlay mount, the
// upper directory holds exactly what changed: new and modified files, plus overlayfs' own marks for what
// was deleted (a 0:0 character device) and for folders replaced as a whole (the trusted.overlay.opaque
// xattr). OCI layers say the same thing with names: `.wh.<name>` and `.wh..wh..opq` (image-spec
// layer.md, "Whiteouts"). This is the conversion containerd's and Docker's overlay differs do.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../../core/exec.js';

export const OPAQUE_MARKER = '.wh..wh..opq';

/** the OCI whiteout file for a deleted entry (pure) */
export function whiteoutFor(entry: string): string {
  return path.join(path.dirname(entry), `.wh.${path.basename(entry)}`);
}

/** folders marked opaque in `getfattr --absolute-names -R -d -m trusted.overlay.opaque` output (pure) */
export function parseOpaqueDirs(getfattrOutput: string): string[] {
  const dirs: string[] = [];
  let file: string | undefined;
  for (const line of getfattrOutput.split('\n')) {
    const m = /^# file: (.*)$/.exec(line);
    if (m) file = m[1];
    else if (file !== undefined && /^trusted\.overlay\.opaque="?y"?$/.test(line.trim())) dirs.push(file);
  }
  return dirs;
}

async function walk(dir: string, found: (p: string, st: import('node:fs').Stats) => void): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    const p = path.join(dir, name);
    const st = await fs.lstat(p);
    found(p, st);
    if (st.isDirectory()) await walk(p, found);
  }
}

/**
 * Rewrites overlayfs marks in an (unmounted) upper directory into OCI whiteouts, in place. The kernel
 * also marks folders opaque that mkdir created where the lower layers have nothing; given `lower`, those
 * get no marker (it would hide nothing), as Docker's differ does.
 */
export async function upperToOciLayer(upper: string, lower?: string): Promise<{ whiteouts: string[]; opaque: string[] }> {
  const deleted: string[] = [];
  await walk(upper, (p, st) => {
    if (st.isCharacterDevice() && st.rdev === 0) deleted.push(p);
  });
  for (const p of deleted) {
    await fs.rm(p);
    await fs.writeFile(whiteoutFor(p), '');
  }
  const attrs = await run('getfattr', ['--absolute-names', '-R', '-P', '-d', '-m', '^trusted\\.overlay\\.opaque$', upper], { allowFailure: true });
  const opaque: string[] = [];
  for (const dir of parseOpaqueDirs(attrs.stdout)) {
    const below = lower === undefined ? undefined : await fs.lstat(path.join(lower, path.relative(upper, dir))).catch(() => undefined);
    if (lower === undefined || below?.isDirectory()) opaque.push(dir);
  }
  for (const dir of opaque) await fs.writeFile(path.join(dir, OPAQUE_MARKER), '');
  return { whiteouts: deleted.map((p) => path.relative(upper, p)), opaque: opaque.map((p) => path.relative(upper, p)) };
}
