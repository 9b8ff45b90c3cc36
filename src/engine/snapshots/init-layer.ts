// The init layer: Docker's `<id>-init` layer (moby daemon/initlayer), a read-only layer between an image's
// layers and a container's writable layer that holds real folders and files where runc and the engine
// mount things: /dev, /dev/pts, /dev/shm, /proc, /sys, /etc/hosts, /etc/hostname, /etc/resolv.conf, plus
// /etc/mtab (a symlink to /proc/mounts) and /.dockerenv.
//
// Why: runc mounts proc on /proc and a tmpfs on /dev, and writes /dev/fd, /dev/ptmx, ... into it. If the
// image made /dev a symlink to a host-looking path (`/dev -> /tmp/x`), runc would follow it on the host;
// if /proc is a symlink, the kernel refuses to mount proc there. In overlayfs a folder in an upper layer
// hides whatever a lower layer has at the same path (a symlink, a file), so with these entries above the
// image, runc only ever sees real folders, and the image's symlinks are gone from the container's view.
//
// Docker fills its init layer by unlinking each path's non-folder parts in the merged view, then creating
// what is missing: the merged result is always a real folder (or file) at each path, whatever the image
// holds. Creating every entry in an empty folder gives the same view without looking at the image, so one
// init layer serves every container (see OverlaySnapshotter.initLayer).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const INIT_ENTRY_KINDS = ['dir', 'file', 'symlink'] as const;
export type InitEntryKind = (typeof INIT_ENTRY_KINDS)[number];

export interface InitEntry {
  /** absolute path inside the container */
  path: string;
  kind: InitEntryKind;
  /** a symlink's target */
  target?: string;
  /** why the container needs it there (shown by tests and readers, not at run time) */
  why: string;
}

/** what Docker's init layer holds (moby daemon/initlayer/setup_unix.go), each with its reason */
export const INIT_ENTRIES: readonly InitEntry[] = [
  { path: '/dev/pts', kind: 'dir', why: 'runc mounts devpts here (its parent /dev gets a tmpfs)' },
  { path: '/dev/shm', kind: 'dir', why: 'runc mounts the shm tmpfs here' },
  { path: '/dev/console', kind: 'file', why: 'runc binds the terminal here with -t' },
  { path: '/proc', kind: 'dir', why: 'proc may only be mounted on a real folder' },
  { path: '/sys', kind: 'dir', why: 'runc mounts sysfs here' },
  { path: '/etc/hosts', kind: 'file', why: 'the engine binds the container\'s hosts file here' },
  { path: '/etc/hostname', kind: 'file', why: 'the engine binds the container\'s hostname file here' },
  { path: '/etc/resolv.conf', kind: 'file', why: 'the engine binds the container\'s resolv.conf here' },
  { path: '/etc/mtab', kind: 'symlink', target: '/proc/mounts', why: 'programs read the mount table from /etc/mtab' },
  { path: '/.dockerenv', kind: 'file', why: 'programs look for it to know they run in a Docker container' },
];

/** every folder the entries need, parents first (pure): /dev before /dev/pts */
export function initLayerDirs(entries: readonly InitEntry[] = INIT_ENTRIES): string[] {
  const dirs = new Set<string>();
  for (const e of entries) {
    const parts = e.path.split('/').filter(Boolean);
    const upTo = e.kind === 'dir' ? parts.length : parts.length - 1;
    for (let i = 1; i <= upTo; i++) dirs.add(`/${parts.slice(0, i).join('/')}`);
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/**
 * Makes the init layer at dir unless it is already there. It is written in a temporary folder next to dir
 * and renamed, so a crash leaves either no init layer or a whole one. Returns whether it wrote it.
 */
export async function ensureInitLayer(dir: string, entries: readonly InitEntry[] = INIT_ENTRIES): Promise<boolean> {
  if (await fs.stat(dir).then((s) => s.isDirectory(), () => false)) return false;
  const parent = path.dirname(dir);
  await fs.mkdir(parent, { recursive: true });
  // a crash while writing leaves <dir>.tmp-<hex>: nothing uses it, so it goes now
  for (const name of await fs.readdir(parent)) {
    if (name.startsWith(`${path.basename(dir)}.tmp-`)) await fs.rm(path.join(parent, name), { recursive: true, force: true });
  }
  const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await fs.mkdir(tmp, { mode: 0o755 });
    for (const d of initLayerDirs(entries)) await fs.mkdir(path.join(tmp, d), { mode: 0o755 });
    for (const e of entries) {
      const at = path.join(tmp, e.path);
      if (e.kind === 'file') await fs.writeFile(at, '').then(() => fs.chmod(at, 0o755));
      else if (e.kind === 'symlink') await fs.symlink(e.target ?? '', at);
    }
    // mkdir's mode goes through the umask: set it as Docker has it
    await fs.chmod(tmp, 0o755);
    for (const d of initLayerDirs(entries)) await fs.chmod(path.join(tmp, d), 0o755);
    await fs.rename(tmp, dir);
    return true;
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    // another create won the race: its init layer is as good as ours
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await fs.stat(dir).then((s) => s.isDirectory(), () => false))) return false;
    throw err;
  }
}
