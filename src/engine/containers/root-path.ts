// Resolving a path inside a container's root filesystem from the host, the way the container would see
// it: symlinks are followed relative to the container's root, and ".." stops at that root. Without this,
// `docker cp` through a link like /evil -> /etc/shadow... would read or write the HOST's files.
// (Same idea as Go's securejoin, which Docker and runc use.)
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../core/errors.js';

const MAX_LINKS = 40;

/**
 * The host path of `inside` under `root`, every symlink resolved within root. With keepLast, the last
 * component is not followed (docker cp copies a link itself, not what it points to).
 */
export async function resolveInRoot(root: string, inside: string, keepLast = false): Promise<string> {
  const parts = inside.split('/').filter((p) => p !== '' && p !== '.');
  const resolved: string[] = [];
  let links = 0;
  while (parts.length) {
    const part = parts.shift() as string;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = path.join(root, ...resolved, part);
    if (keepLast && parts.length === 0) {
      resolved.push(part);
      break;
    }
    const st = await fs.lstat(candidate).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw invalidArgument(`too many levels of symbolic links in ${inside}`);
      const target = await fs.readlink(candidate);
      if (target.startsWith('/')) resolved.length = 0;
      parts.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
      continue;
    }
    resolved.push(part);
  }
  return path.join(root, ...resolved);
}

/** Go's os.FileMode bits for Docker's stat header: permission bits plus type bits in the high bits */
export function goFileMode(st: { mode: number; isDirectory(): boolean; isSymbolicLink(): boolean }): number {
  let mode = st.mode & 0o777;
  if (st.mode & 0o4000) mode += 2 ** 23; // setuid
  if (st.mode & 0o2000) mode += 2 ** 22; // setgid
  if (st.mode & 0o1000) mode += 2 ** 20; // sticky
  if (st.isDirectory()) mode += 2 ** 31;
  if (st.isSymbolicLink()) mode += 2 ** 27;
  return mode;
}
