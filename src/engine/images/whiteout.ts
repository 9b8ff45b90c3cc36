// Whiteouts: how a layer says "this file from a lower layer is deleted". Image tarballs use the AUFS form
// (OCI image spec layer.md): an empty file ".wh.<name>" hides <name>; ".wh..wh..opq" makes its directory
// opaque (nothing below shows through). overlayfs wants a 0/0 character device <name> and the xattr
// trusted.overlay.opaque=y instead; the unpacker converts one into the other.
import path from 'node:path';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

export type WhiteoutKind =
  | { kind: 'none' }
  /** hide `target` (a path relative to the layer root) */
  | { kind: 'whiteout'; target: string }
  /** make `dir` opaque ('' for the layer root) */
  | { kind: 'opaque'; dir: string }
  /** other AUFS metadata (.wh..wh.plnk, .wh..wh.aufs): not part of the image, skipped */
  | { kind: 'aufs-meta' };

/** classifies a normalised entry path (no leading "./" or "/") */
export function classifyWhiteout(entryPath: string): WhiteoutKind {
  const base = path.posix.basename(entryPath);
  if (!base.startsWith(WHITEOUT_PREFIX)) return { kind: 'none' };
  const dir = path.posix.dirname(entryPath);
  const parent = dir === '.' ? '' : dir;
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir: parent };
  if (base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) return { kind: 'aufs-meta' };
  const name = base.slice(WHITEOUT_PREFIX.length);
  if (name === '' || name === '.' || name === '..') return { kind: 'aufs-meta' };
  return { kind: 'whiteout', target: parent === '' ? name : `${parent}/${name}` };
}
