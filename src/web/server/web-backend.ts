// The ports the web server is built on: labs (catalog, steps, checks), the sandbox's engine (its state
// and its live trace) and terminals. The server never reaches into labs/, vm/ or engine/ itself; `boxlab
// serve` wires real implementations in, the unit tests fakes.
import type { Lang } from '../../engine/trace/trace-event.js';

export interface CatalogItem {
  id: string;
  title: string;
  description: string;
  durationMinutes?: number;
  level?: string;
  steps: number;
  currentStep: number;
  finished: boolean;
}

export interface StepPage {
  index: number;
  count: number;
  id: string;
  title: string;
  /** the step's text as safe HTML (runnable snippets are buttons) */
  html: string;
  /** the step's hints that do not depend on a check's output */
  hints: string[];
  /** checks of this step that have passed before */
  passed: string[];
}

export interface LabPage {
  id: string;
  title: string;
  introHtml: string;
  steps: { id: string; title: string }[];
  currentStep: number;
  finished: boolean;
  workDir: string;
}

export interface CheckItem {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  message: string;
  hint?: string;
}

export interface CheckReport {
  stepIndex: number;
  passed: boolean;
  checks: CheckItem[];
  hint?: string;
  currentStep: number;
  finished: boolean;
}

export interface LabBackend {
  catalog(lang: Lang): Promise<CatalogItem[]>;
  /** starts the lab in the sandbox (its setup runs the first time) and makes it the active one */
  open(labId: string, lang: Lang): Promise<LabPage>;
  step(labId: string, index: number, lang: Lang): Promise<StepPage>;
  check(labId: string, index: number, lang: Lang): Promise<CheckReport>;
  /** checks again every few seconds until the step passes or the signal aborts */
  watch(labId: string, index: number, lang: Lang, signal: AbortSignal, onChange: (r: CheckReport) => void): Promise<void>;
  /** what a terminal opened for this lab gets in its environment (LAB_ID, LAB_DIR, DOCKER_HOST) */
  terminalEnv(labId: string): Promise<Record<string, string>>;
}

export const ENGINE_STATES = ['checking', 'starting', 'ready', 'failed', 'external-down'] as const;
export type EngineState = (typeof ENGINE_STATES)[number];

export interface EngineStatus {
  state: EngineState;
  socket: string;
  message: string;
  /** the last lines the engine printed while starting (for the page's progress box) */
  log: string[];
}

export interface EngineControl {
  status(): EngineStatus;
  retry(): void;
  onChange(listener: (s: EngineStatus) => void): () => void;
}
