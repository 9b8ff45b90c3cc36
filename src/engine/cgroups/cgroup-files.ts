// Parsers for the text files of the cgroup filesystem (Documentation/admin-guide/cgroup-v1/*.rst and
// cgroup-v2.rst). Pure, so they are tested on recorded file contents.

/** "cache 4096\nrss 53248\n" (memory.stat, cpu.stat, memory.events, memory.oom_control) -> numbers */
export function parseFlatKeyed(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^-?\d+$/.test(value)) out[key] = Number(value);
  }
  return out;
}

/** a single number, or "max" (v2's "no limit") as undefined */
export function parseLimit(text: string): number | undefined {
  const t = text.trim();
  if (t === 'max' || t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** "9334992 6629725 " (cpuacct.usage_percpu) -> [9334992, 6629725] */
export function parseSpaceSeparated(text: string): number[] {
  return text.trim().split(/\s+/).filter((x) => x !== '').map(Number);
}

export interface BlkioEntry {
  major: number;
  minor: number;
  /** Docker's op names: v1 "Read"/"Write"/..., v2 "read"/"write" */
  op: string;
  value: number;
}

/** v1 blkio.throttle.io_service_bytes_recursive: "8:0 Read 4096" lines and a "Total N" line */
export function parseBlkioV1(text: string): BlkioEntry[] {
  return text.split('\n').flatMap((line) => {
    const m = /^(\d+):(\d+)\s+(\S+)\s+(\d+)$/.exec(line.trim());
    return m ? [{ major: Number(m[1]), minor: Number(m[2]), op: m[3], value: Number(m[4]) }] : [];
  });
}

/** v2 io.stat: "8:0 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0" -> read/write byte entries */
export function parseIoStatV2(text: string): BlkioEntry[] {
  return text.split('\n').flatMap((line) => {
    const parts = line.trim().split(/\s+/);
    const dev = /^(\d+):(\d+)$/.exec(parts[0] ?? '');
    if (!dev) return [];
    const kv = Object.fromEntries(parts.slice(1).map((p) => p.split('=') as [string, string]));
    const entry = (op: string, v: string | undefined) => ({ major: Number(dev[1]), minor: Number(dev[2]), op, value: Number(v ?? 0) });
    return [entry('read', kv.rbytes), entry('write', kv.wbytes)];
  });
}

/** /proc/<pid>/cgroup: "4:memory:/process_api/x" -> { memory: '/process_api/x', ... }; v2's "0::/x" is '' */
export function parseProcCgroup(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const controllers = m[2] === '' ? [''] : m[2].split(',');
    for (const c of controllers) out[c] = m[3];
  }
  return out;
}

/** the first line of /proc/stat, "cpu  31103 0 3827 95521 432 0 62 20 0 0", in clock ticks */
export function parseProcStatCpuTicks(text: string): number {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('malformed /proc/stat: expected a "cpu " line');
  // user nice system idle iowait irq softirq steal (guest time is already inside user)
  return line.trim().split(/\s+/).slice(1, 9).reduce((sum, v) => sum + Number(v), 0);
}
