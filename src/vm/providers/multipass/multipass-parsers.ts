// Parsers for `multipass list|info --format json`, tested on recorded outputs in
// test/fixtures/outputs/multipass/. Shapes from Multipass's json_formatter (shared/notes/multipass.md):
// memory values are integers but disk values are strings; `zone` is new and may be absent.
import { AppError } from '../../../core/errors.js';

export interface MultipassInstance {
  name: string;
  state: string;
  ipv4: string[];
  release: string;
}

export interface MultipassInfo extends MultipassInstance {
  cpus?: number;
  memoryUsed?: number;
  memoryTotal?: number;
  diskUsed?: number;
  diskTotal?: number;
  snapshotCount?: number;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('COMMAND_FAILED', `multipass ${what} printed something that is not json: ${text.slice(0, 80)}`);
  }
}

export function parseMultipassList(text: string): MultipassInstance[] {
  const doc = parseJson(text, 'list') as { list?: Array<Record<string, unknown>> };
  if (!Array.isArray(doc.list)) throw new AppError('COMMAND_FAILED', 'multipass list --format json: expected a "list" array');
  return doc.list.map((i) => ({
    name: String(i.name),
    state: String(i.state),
    ipv4: Array.isArray(i.ipv4) ? i.ipv4.map(String) : [],
    release: String(i.release ?? ''),
  }));
}

const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));

export function parseMultipassInfo(text: string): MultipassInfo[] {
  const doc = parseJson(text, 'info') as { errors?: unknown[]; info?: Record<string, Record<string, unknown>> };
  if (!doc.info || typeof doc.info !== 'object') throw new AppError('COMMAND_FAILED', 'multipass info --format json: expected an "info" object');
  return Object.entries(doc.info).map(([name, i]) => {
    const disks = Object.values((i.disks as Record<string, { used?: string; total?: string }>) ?? {});
    const mem = (i.memory as { used?: number; total?: number }) ?? {};
    return {
      name,
      state: String(i.state),
      ipv4: Array.isArray(i.ipv4) ? i.ipv4.map(String) : [],
      release: String(i.release ?? i.image_release ?? ''),
      cpus: num(i.cpu_count),
      memoryUsed: num(mem.used),
      memoryTotal: num(mem.total),
      diskUsed: disks.length ? num(disks[0]!.used) : undefined,
      diskTotal: disks.length ? num(disks[0]!.total) : undefined,
      snapshotCount: num(i.snapshot_count),
    };
  });
}

/** `list --snapshots --format json` -> snapshot names of one instance */
export function parseMultipassSnapshots(text: string, instance: string): string[] {
  const doc = parseJson(text, 'list --snapshots') as { info?: Record<string, Record<string, unknown>> };
  return Object.keys(doc.info?.[instance] ?? {}).sort();
}

/** Multipass states -> boxlab's three */
export function vmStateOf(state: string): 'running' | 'stopped' | 'missing' {
  const s = state.toLowerCase();
  if (s === 'running' || s === 'starting' || s === 'restarting') return 'running';
  if (s === 'deleted') return 'missing';
  return 'stopped';
}
