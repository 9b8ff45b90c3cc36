// The lab's marker in the sandbox: progress belongs to the learner (SQLite on the host), but the lab's
// state (its files, containers, processes) belongs to the sandbox. When a lab's setup has run, a small
// file $LAB_DIR/.boxlab-lab.json records which run of the setup this was (a random id, also kept with the
// progress) and in which sandbox. A lab is resumed only when the sandbox still holds that marker: a new
// VM, a VM restored to an older snapshot, or a switch between this host and a VM has none (or another
// run's), and the learner is offered to replay the earlier steps' solutions or to start over.
import { randomUUID } from 'node:crypto';
import type { Guest } from '../vm/guest.js';

export const LAB_MARKER_FILE = '.boxlab-lab.json';

export interface LabMarker {
  labId: string;
  /** the setup run this marker belongs to (ProgressStore.sandboxRun) */
  run: string;
  /** the Guest's name ("local", "qemu:boxlab") where the setup ran */
  sandbox: string;
  setAt: string;
}

export function newLabMarker(labId: string, sandbox: string, now: Date = new Date()): LabMarker {
  return { labId, run: randomUUID(), sandbox, setAt: now.toISOString() };
}

/** the marker's text, or undefined for a missing or unreadable one. Pure. */
export function parseLabMarker(text: string): LabMarker | undefined {
  try {
    const m = JSON.parse(text) as Partial<LabMarker>;
    if (typeof m.labId !== 'string' || typeof m.run !== 'string' || typeof m.sandbox !== 'string') return undefined;
    return { labId: m.labId, run: m.run, sandbox: m.sandbox, setAt: typeof m.setAt === 'string' ? m.setAt : '' };
  } catch {
    return undefined;
  }
}

// the marker travels in the environment, never inside the script's text
const WRITE = `mkdir -p "$LAB_DIR" && printf '%s\\n' "$BOXLAB_LAB_MARKER" > "$LAB_DIR/${LAB_MARKER_FILE}"`;
const READ = `cat "$LAB_DIR/${LAB_MARKER_FILE}" 2>/dev/null || true`;
const REMOVE = `rm -f "$LAB_DIR/${LAB_MARKER_FILE}"`;

/** env: the lab's environment (LAB_DIR at least) */
export async function writeLabMarker(guest: Guest, env: Record<string, string>, marker: LabMarker): Promise<void> {
  const r = await guest.exec({ script: WRITE }, { env: { ...env, BOXLAB_LAB_MARKER: JSON.stringify(marker) }, timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new Error(`could not write the lab's marker in ${env.LAB_DIR}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
}

export async function readLabMarker(guest: Guest, env: Record<string, string>): Promise<LabMarker | undefined> {
  const r = await guest.exec({ script: READ }, { env, timeoutMs: 30_000 });
  return r.exitCode === 0 ? parseLabMarker(r.stdout.trim()) : undefined;
}

export async function removeLabMarker(guest: Guest, env: Record<string, string>): Promise<void> {
  await guest.exec({ script: REMOVE }, { env, timeoutMs: 30_000 }).catch(() => undefined);
}
