// /proc/self/mountinfo lists every mount this process's mount namespace sees, one per line
// (proc(5)): "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue".
// Mounter reads it to answer "is this mounted?" and "what is still mounted under the engine's root?".

export interface MountInfo {
  id: number;
  parentId: number;
  /** major:minor of the filesystem */
  device: string;
  /** the folder of the filesystem that is mounted here */
  root: string;
  mountPoint: string;
  mountOptions: string[];
  /** shared:N, master:N, ... */
  optionalFields: string[];
  fsType: string;
  source: string;
  superOptions: string[];
}

/** mountinfo escapes space, tab, newline and backslash as octal (\040 ...) */
export function unescapeMountinfo(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

export function parseMountinfo(text: string): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split(' ');
    const sep = fields.indexOf('-', 6);
    if (sep < 0 || fields.length < sep + 3) throw new Error(`malformed mountinfo line: expected "... - fstype source options", found "${line}"`);
    out.push({
      id: Number(fields[0]),
      parentId: Number(fields[1]),
      device: fields[2],
      root: unescapeMountinfo(fields[3]),
      mountPoint: unescapeMountinfo(fields[4]),
      mountOptions: fields[5].split(','),
      optionalFields: fields.slice(6, sep),
      fsType: fields[sep + 1],
      source: unescapeMountinfo(fields[sep + 2]),
      superOptions: (fields[sep + 3] ?? '').split(',').filter((o) => o !== ''),
    });
  }
  return out;
}

/** mounts at or below prefix, deepest first (the order to unmount them in) */
export function mountsUnder(mounts: MountInfo[], prefix: string): MountInfo[] {
  const p = prefix.length > 1 ? prefix.replace(/\/+$/, '') : prefix;
  return mounts
    .filter((m) => m.mountPoint === p || m.mountPoint.startsWith(p === '/' ? '/' : `${p}/`))
    .sort((a, b) => b.mountPoint.split('/').length - a.mountPoint.split('/').length || b.id - a.id);
}
