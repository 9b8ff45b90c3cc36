// A canary on the host for escape tests: a folder outside the engine's root, filled with a few files (one
// "secret" to be read, a directory to be written into), whose whole tree is recorded before a hostile input
// is sent. Afterwards `changes()` lists every entry that appeared, vanished or changed (content, mode,
// owner, type, link target): an escape that wrote on the host shows up there, and `secret` is the text an
// escape that READ a host file would leak into an image or a copy.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface EntryState {
  kind: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  /** sha256 of a file's bytes, a symlink's target */
  content: string;
}

export class HostCanary {
  private before = new Map<string, EntryState>();

  private constructor(
    /** the canary folder: an absolute host path outside every engine root */
    readonly dir: string,
    /** a unique text in `${dir}/secret`; finding it in an image or a copy means a host file was read */
    readonly secret: string,
  ) {}

  static async create(): Promise<HostCanary> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-canary-'));
    const secret = `boxlab-canary-secret-${randomBytes(8).toString('hex')}`;
    await fs.writeFile(path.join(dir, 'secret'), `${secret}\n`, { mode: 0o600 });
    await fs.mkdir(path.join(dir, 'writable'));
    await fs.writeFile(path.join(dir, 'writable', 'victim'), 'original\n');
    const canary = new HostCanary(dir, secret);
    canary.before = await snapshotTree(dir);
    return canary;
  }

  /** every difference from the recorded tree, e.g. `added writable/pwned`, `changed writable/victim` */
  async changes(): Promise<string[]> {
    const now = await snapshotTree(this.dir);
    const out: string[] = [];
    for (const [rel, state] of now) {
      const old = this.before.get(rel);
      if (!old) out.push(`added ${rel}`);
      else if (JSON.stringify(old) !== JSON.stringify(state)) out.push(`changed ${rel}`);
    }
    for (const rel of this.before.keys()) if (!now.has(rel)) out.push(`removed ${rel}`);
    return out.sort();
  }

  async remove(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

async function snapshotTree(root: string): Promise<Map<string, EntryState>> {
  const out = new Map<string, EntryState>();
  const walk = async (rel: string): Promise<void> => {
    const entries = await fs.readdir(path.join(root, rel)).catch(() => [] as string[]);
    for (const name of entries) {
      const childRel = rel ? `${rel}/${name}` : name;
      const full = path.join(root, childRel);
      const st = await fs.lstat(full);
      const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
      if (st.isSymbolicLink()) out.set(childRel, { kind: 'symlink', ...base, content: await fs.readlink(full) });
      else if (st.isDirectory()) {
        out.set(childRel, { kind: 'dir', ...base, content: '' });
        await walk(childRel);
      } else if (st.isFile()) out.set(childRel, { kind: 'file', ...base, content: createHash('sha256').update(await fs.readFile(full)).digest('hex') });
      else out.set(childRel, { kind: 'other', ...base, content: String(st.rdev) });
    }
  };
  await walk('');
  return out;
}
