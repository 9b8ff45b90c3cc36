// Pure checks on the names inside a layer tarball. A tar entry name is only a request: "../../etc/passwd"
// or "/etc/passwd" would write outside the layer folder (the "tar slip" attack), so every name is
// normalised lexically and refused when it leaves the root.

export type EntryPathResult = { ok: true; path: string } | { ok: false; reason: string };

/**
 * normalises an entry name to a root-relative path ('' is the root itself).
 * allowAbsolute: treat a leading "/" as the layer root (used for hard link targets, which name a file
 * already in the layer); for entry names it is refused.
 */
export function normalizeEntryPath(name: string, allowAbsolute = false): EntryPathResult {
  if (name.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  if (name.startsWith('/') && !allowAbsolute) return { ok: false, reason: 'has an absolute path' };
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return { ok: false, reason: 'uses ".." to escape the layer' };
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return { ok: true, path: parts.join('/') };
}
