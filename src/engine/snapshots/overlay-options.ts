// The option string of an overlayfs mount (Documentation/filesystems/overlayfs.rst):
//   lowerdir=<top>:<...>:<bottom>,upperdir=<rw layer>,workdir=<scratch on the same fs as upperdir>
// The kernel copies mount options into one page, so the whole string must stay under the page size
// (4096 bytes on x86_64 and arm64); a long image would not fit with full layer paths. Docker's overlay2
// answers that with short symlinks (its "l/" folder) and so does OverlaySnapshotter (see shortLinkName).
import { createHash } from 'node:crypto';

/** the page size the kernel copies mount data into; the string plus its NUL must fit */
export const MOUNT_DATA_LIMIT = 4096;

export interface OverlayDirs {
  /** top-most first, as overlayfs wants them */
  lowerdirs: string[];
  upperdir?: string;
  workdir?: string;
}

/** overlayfs treats ':' and ',' as separators and '\' as escape, so such paths need escaping */
function escapeOverlayPath(p: string): string {
  return p.replace(/([\\:,])/g, '\\$1');
}

/** the options, one per element, as a MountDescriptor carries them */
export function overlayMountOptions(dirs: OverlayDirs): string[] {
  if (dirs.lowerdirs.length === 0) throw new Error('overlayfs needs at least one lower dir');
  const out = [`lowerdir=${dirs.lowerdirs.map(escapeOverlayPath).join(':')}`];
  if (dirs.upperdir !== undefined) {
    if (dirs.workdir === undefined) throw new Error('overlayfs needs a workdir with an upperdir');
    out.push(`upperdir=${escapeOverlayPath(dirs.upperdir)}`, `workdir=${escapeOverlayPath(dirs.workdir)}`);
  }
  return out;
}

/** would `mount -o <options>` fit in the kernel's one page of mount data? */
export function fitsMountData(options: string[], limit: number = MOUNT_DATA_LIMIT): boolean {
  return Buffer.byteLength(options.join(',')) + 1 <= limit;
}

/** a short, stable name for a layer folder's symlink: the same folder always gets the same name */
export function shortLinkName(layerDir: string): string {
  return createHash('sha256').update(layerDir).digest('base64url').slice(0, 10).replace(/[-_]/g, 'x');
}
