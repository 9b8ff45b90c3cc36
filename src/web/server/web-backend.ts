// The ports the web server is built on: labs (catalog, steps, checks), the sandbox's engine (its state
// and its live trace) and terminals. The server never reaches into labs/, vm/ or engine/ itself; `boxlab
// serve` wires real implementations in, the unit tests fakes.
import type { Lang } from '../../core/lang.js';

export interface CatalogItem {
  id: string;
  title: string;
  description: string;
  durationMinutes?: number;
  level?: string;
  /** the track (labs/tracks.yaml) and its title in the page's language; the catalog comes in track order */
  track?: string;
  trackTitle?: string;
  /** lab ids to do first */
  requires?: string[];
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
  /** the step's progressive hints the learner has seen so far (a nudge first, the command last) */
  hints: string[];
  /** how many progressive hints the step has in all */
  hintCount?: number;
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
  /**
   * the learner is at a later step but the sandbox no longer holds the lab (a new VM, a restore, another
   * sandbox; ADR 0014): nothing ran, the page offers to replay the earlier steps or to start over
   */
  sandboxLost?: { now: string; startedIn?: string; atStep: number };
  /** the lab active before, torn down when this one opened */
  stopped?: { id: string; title: string; problem?: string };
  /** a multi-node lab's nodes (ADR 0016), in the lab's order: the page gives each its terminal tab */
  nodes?: LabNodeView[];
}

/** one node of a multi-node lab as the page shows it: its name, its engine, its address on the lab network */
export interface LabNodeView {
  name: string;
  engine: 'boxlabd' | 'docker';
  address?: string;
}

/** what "solve up to this step" did: the solutions of the steps before it, each checked */
export interface SolveReport {
  steps: { index: number; id: string; passed: boolean; problem?: string }[];
  ok: boolean;
  currentStep: number;
}

export interface CheckItem {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  message: string;
  hint?: string;
  /** the node the check looked at (multi-node labs) */
  node?: string;
}

export interface CheckReport {
  stepIndex: number;
  passed: boolean;
  checks: CheckItem[];
  hint?: string;
  currentStep: number;
  finished: boolean;
}

export interface HintReply {
  hints: string[];
  count: number;
}

export interface LabBackend {
  catalog(lang: Lang): Promise<CatalogItem[]>;
  /** starts the lab in the sandbox (its setup runs the first time) and makes it the active one */
  open(labId: string, lang: Lang): Promise<LabPage>;
  step(labId: string, index: number, lang: Lang): Promise<StepPage>;
  check(labId: string, index: number, lang: Lang): Promise<CheckReport>;
  /** starts the lab over: its teardown and setup run again, the learner is back at step 1 */
  reset(labId: string, lang: Lang): Promise<LabPage>;
  /** "solve up to this step": the lab set up again, the solutions of the steps before `index` replayed and checked */
  solve(labId: string, index: number, lang: Lang): Promise<SolveReport>;
  /** the step's next progressive hint: every hint seen so far, and how many there are (hint-ladder.ts) */
  hint?(labId: string, index: number, lang: Lang): Promise<HintReply>;
  /** a predict step's answer, written for its checks at $LAB_DIR/answer-<step> */
  answer?(labId: string, index: number, text: string, lang: Lang): Promise<{ file: string }>;
  /** checks again every few seconds until the step passes or the signal aborts */
  watch(labId: string, index: number, lang: Lang, signal: AbortSignal, onChange: (r: CheckReport) => void): Promise<void>;
  /**
   * what a terminal opened for this lab gets in its environment (LAB_ID, LAB_DIR, DOCKER_HOST); for a
   * multi-node lab, the node it opens on (default the first) and LAB_NODE. An unknown node is an error.
   */
  terminalEnv(labId: string, node?: string): Promise<Record<string, string>>;
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

/** a tutorial in the catalog (tutorials/<id>.md, <id>.zh.md): the version in the page's language, else en */
export interface TutorialItem {
  id: string;
  title: string;
  lang: Lang;
  steps: number;
  /** engine features it depends on (build, push, ...) */
  features: string[];
}

export interface TutorialStepView {
  number: number;
  /** the text before the command, as safe HTML */
  html: string;
  script: string;
  /** the ```output block, with its placeholders (<id>, <n>, ..., a `...` line) */
  expected?: string;
  exit: number;
  /** shown, never run (interactive commands) */
  skip: boolean;
  /** removes what the tutorial made; run by "start over" and when the server stops */
  cleanup: boolean;
}

export interface TutorialPage {
  id: string;
  title: string;
  lang: Lang;
  steps: TutorialStepView[];
  outroHtml: string;
  /** the tutorial's folder in the sandbox ($TUTORIAL_DIR): every run and the terminal start there */
  workDir: string;
}

/** one step run through the Guest and judged by the output matcher */
export interface TutorialRunResult {
  number: number;
  status: 'passed' | 'failed' | 'skipped';
  exitCode?: number;
  output?: string;
  expected?: string;
  /** the exit code that differs, or the matcher's diff around the first line that differs */
  problems: string[];
  durationMs: number;
}

export interface TutorialBackend {
  catalog(lang: Lang): Promise<TutorialItem[]>;
  open(id: string, lang: Lang): Promise<TutorialPage>;
  /** runs step `number` (1-based) in the tutorial's folder and compares its output with the page */
  run(id: string, number: number, lang: Lang): Promise<TutorialRunResult>;
  /** runs the cleanup steps and removes the tutorial's folder, to start over */
  reset(id: string, lang: Lang): Promise<void>;
  /** what a terminal opened for this tutorial gets (TUTORIAL_DIR, DOCKER_HOST) and where it starts */
  terminalEnv(id: string): Promise<{ env: Record<string, string>; cwd: string }>;
  /** resets every tutorial the page touched (the server is stopping) */
  close(): Promise<void>;
}
