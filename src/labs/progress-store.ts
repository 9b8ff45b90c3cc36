// Progress per learner and lab, in SQLite on the host (~/.local/share/boxlab/progress.db, or
// $BOXLAB_HOME/progress.db; ADR 0004): the current step, which checks passed and when. It survives
// restarts because every change is one committed SQLite transaction.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LabProgress {
  learner: string;
  labId: string;
  /** index into the lab's steps; equal to the step count when the lab is finished */
  currentStep: number;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** step id -> check name -> when it first passed */
  passed: Record<string, Record<string, string>>;
}

export function defaultBoxlabHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.BOXLAB_HOME ?? path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local/share'), 'boxlab');
}

export function defaultLearner(env: NodeJS.ProcessEnv = process.env): string {
  return env.BOXLAB_LEARNER ?? os.userInfo().username;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS lab_progress (
  learner TEXT NOT NULL, lab_id TEXT NOT NULL, current_step INTEGER NOT NULL,
  started_at TEXT NOT NULL, updated_at TEXT NOT NULL, finished_at TEXT,
  PRIMARY KEY (learner, lab_id));
CREATE TABLE IF NOT EXISTS check_passes (
  learner TEXT NOT NULL, lab_id TEXT NOT NULL, step_id TEXT NOT NULL, check_name TEXT NOT NULL,
  passed_at TEXT NOT NULL, PRIMARY KEY (learner, lab_id, step_id, check_name));
CREATE TABLE IF NOT EXISTS active_lab (learner TEXT PRIMARY KEY, lab_id TEXT NOT NULL, lab_dir TEXT);
CREATE TABLE IF NOT EXISTS lab_sandbox (
  learner TEXT NOT NULL, lab_id TEXT NOT NULL, run TEXT NOT NULL, sandbox TEXT NOT NULL, set_at TEXT NOT NULL,
  PRIMARY KEY (learner, lab_id));
CREATE TABLE IF NOT EXISTS hints_shown (
  learner TEXT NOT NULL, lab_id TEXT NOT NULL, step_id TEXT NOT NULL, shown INTEGER NOT NULL,
  PRIMARY KEY (learner, lab_id, step_id));
`;

/** which run of a lab's setup the learner's progress goes with, and the sandbox it ran in (lab-marker.ts) */
export interface LabSandboxRun {
  run: string;
  sandbox: string;
  setAt: string;
}

interface ProgressRow {
  learner: string;
  lab_id: string;
  current_step: number;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
}

export class ProgressStore {
  private readonly db: Database.Database;

  constructor(file: string = path.join(defaultBoxlabHome(), 'progress.db'), private readonly now: () => Date = () => new Date()) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    // WAL: the web page and the CLI may read while the other writes
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** starts a lab (or returns the progress already there) and makes it the learner's active lab */
  start(learner: string, labId: string, labDir?: string): LabProgress {
    const t = this.now().toISOString();
    this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO lab_progress VALUES (?, ?, 0, ?, ?, NULL)').run(learner, labId, t, t);
      this.db
        .prepare('INSERT INTO active_lab VALUES (?, ?, ?) ON CONFLICT(learner) DO UPDATE SET lab_id = excluded.lab_id, lab_dir = excluded.lab_dir')
        .run(learner, labId, labDir ?? null);
    })();
    return this.get(learner, labId)!;
  }

  activeLab(learner: string): string | undefined {
    return this.activeLabLocation(learner)?.labId;
  }

  /** the active lab and the folder it was started from (labs outside the catalog are found again) */
  activeLabLocation(learner: string): { labId: string; dir?: string } | undefined {
    const row = this.db.prepare('SELECT lab_id, lab_dir FROM active_lab WHERE learner = ?').get(learner) as { lab_id: string; lab_dir: string | null } | undefined;
    if (!row) return undefined;
    return row.lab_dir ? { labId: row.lab_id, dir: row.lab_dir } : { labId: row.lab_id };
  }

  get(learner: string, labId: string): LabProgress | undefined {
    const row = this.db.prepare('SELECT * FROM lab_progress WHERE learner = ? AND lab_id = ?').get(learner, labId) as ProgressRow | undefined;
    if (!row) return undefined;
    const passes = this.db
      .prepare('SELECT step_id, check_name, passed_at FROM check_passes WHERE learner = ? AND lab_id = ? ORDER BY passed_at')
      .all(learner, labId) as { step_id: string; check_name: string; passed_at: string }[];
    const passed: LabProgress['passed'] = {};
    for (const p of passes) (passed[p.step_id] ??= {})[p.check_name] = p.passed_at;
    const out: LabProgress = { learner, labId, currentStep: row.current_step, startedAt: row.started_at, updatedAt: row.updated_at, passed };
    if (row.finished_at) out.finishedAt = row.finished_at;
    return out;
  }

  list(learner: string): LabProgress[] {
    const ids = this.db.prepare('SELECT lab_id FROM lab_progress WHERE learner = ? ORDER BY lab_id').all(learner) as { lab_id: string }[];
    return ids.map((r) => this.get(learner, r.lab_id)!);
  }

  /** records passed checks (first pass time is kept); when the whole step passed, moves to the next */
  recordChecks(learner: string, labId: string, stepIndex: number, stepId: string, passedChecks: string[], stepPassed: boolean, stepCount: number): LabProgress {
    const t = this.now().toISOString();
    this.db.transaction(() => {
      const ins = this.db.prepare('INSERT OR IGNORE INTO check_passes VALUES (?, ?, ?, ?, ?)');
      for (const name of passedChecks) ins.run(learner, labId, stepId, name, t);
      const row = this.db.prepare('SELECT current_step FROM lab_progress WHERE learner = ? AND lab_id = ?').get(learner, labId) as { current_step: number } | undefined;
      if (!row) this.db.prepare('INSERT INTO lab_progress VALUES (?, ?, 0, ?, ?, NULL)').run(learner, labId, t, t);
      const current = row?.current_step ?? 0;
      const next = stepPassed && stepIndex === current ? current + 1 : current;
      const finished = next >= stepCount ? t : null;
      this.db
        .prepare('UPDATE lab_progress SET current_step = ?, updated_at = ?, finished_at = COALESCE(finished_at, ?) WHERE learner = ? AND lab_id = ?')
        .run(next, t, finished, learner, labId);
    })();
    return this.get(learner, labId)!;
  }

  /** the setup run whose marker the sandbox must hold for this progress to be resumed there */
  sandboxRun(learner: string, labId: string): LabSandboxRun | undefined {
    const row = this.db.prepare('SELECT run, sandbox, set_at FROM lab_sandbox WHERE learner = ? AND lab_id = ?').get(learner, labId) as { run: string; sandbox: string; set_at: string } | undefined;
    return row && { run: row.run, sandbox: row.sandbox, setAt: row.set_at };
  }

  setSandboxRun(learner: string, labId: string, run: string, sandbox: string): void {
    this.db
      .prepare('INSERT INTO lab_sandbox VALUES (?, ?, ?, ?, ?) ON CONFLICT(learner, lab_id) DO UPDATE SET run = excluded.run, sandbox = excluded.sandbox, set_at = excluded.set_at')
      .run(learner, labId, run, sandbox, this.now().toISOString());
  }

  /** the lab was torn down: no sandbox holds it any more */
  clearSandboxRun(learner: string, labId: string): void {
    this.db.prepare('DELETE FROM lab_sandbox WHERE learner = ? AND lab_id = ?').run(learner, labId);
  }

  /** how many of a step's progressive hints the learner has seen (hint-ladder.ts) */
  hintsShown(learner: string, labId: string, stepId: string): number {
    const row = this.db.prepare('SELECT shown FROM hints_shown WHERE learner = ? AND lab_id = ? AND step_id = ?').get(learner, labId, stepId) as { shown: number } | undefined;
    return row?.shown ?? 0;
  }

  recordHintsShown(learner: string, labId: string, stepId: string, shown: number): void {
    this.db
      .prepare('INSERT INTO hints_shown VALUES (?, ?, ?, ?) ON CONFLICT(learner, lab_id, step_id) DO UPDATE SET shown = excluded.shown')
      .run(learner, labId, stepId, shown);
  }

  /** back to a step (0-based): that step and every later one count as not done */
  reset(learner: string, labId: string, stepIndex: number, laterStepIds: string[]): LabProgress {
    const t = this.now().toISOString();
    this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO lab_progress VALUES (?, ?, 0, ?, ?, NULL)').run(learner, labId, t, t);
      const del = this.db.prepare('DELETE FROM check_passes WHERE learner = ? AND lab_id = ? AND step_id = ?');
      const delHints = this.db.prepare('DELETE FROM hints_shown WHERE learner = ? AND lab_id = ? AND step_id = ?');
      for (const id of laterStepIds) {
        del.run(learner, labId, id);
        delHints.run(learner, labId, id);
      }
      this.db.prepare('UPDATE lab_progress SET current_step = ?, updated_at = ?, finished_at = NULL WHERE learner = ? AND lab_id = ?').run(stepIndex, t, learner, labId);
    })();
    return this.get(learner, labId)!;
  }
}
