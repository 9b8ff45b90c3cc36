// What a lab is once parsed from its markdown file (docs/lab-format.md, ADR 0003): front matter, an
// intro, lab-level setup/teardown scripts and steps. Each step has zh and en text, named checks (shell
// run in the sandbox; exit 0 passes; stdout is the message), hints, and a solution. A multi-node lab
// (ADR 0016) also declares its nodes (VMs on one lab network) and each block names the node it runs on.
import type { Lang } from '../core/lang.js';

export const LAB_LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type LabLevel = (typeof LAB_LEVELS)[number];

export interface SourcePos {
  file: string;
  line: number;
}

export type Bilingual = Partial<Record<Lang, string>>;

/**
 * how `lab test` replays a runnable snippet: `clean` (default: exit 0, no error on stderr), `fail` (```sh run
 * expect-fail: the snippet shows an error on purpose, it must exit non-zero or print one) or `skip` (```sh run
 * interactive: it needs a terminal and a person, e.g. docker attach; the solution stands in for it)
 */
export const SNIPPET_EXPECTS = ['clean', 'fail', 'skip'] as const;
export type SnippetExpect = (typeof SNIPPET_EXPECTS)[number];

/** a shell block in the text the web page can make clickable (```sh run) */
export interface Snippet {
  lang: Lang;
  code: string;
  pos: SourcePos;
  /** absent: clean */
  expect?: Exclude<SnippetExpect, 'clean'>;
  /** ```sh run after-solution: it shows the result of the student's own work; `lab test` runs it after the solution */
  after?: true;
  /** ```sh run node=worker1: the node of a multi-node lab it runs on (absent: the first node) */
  node?: string;
}

/** a predict step's question (```answer inside a language section): the student's answer goes to $LAB_DIR/answer-<step> */
export interface AnswerPrompt {
  question: Bilingual;
  pos: SourcePos;
}

export interface Script {
  script: string;
  pos: SourcePos;
  /** the node of a multi-node lab it runs on (`node=worker1` in its info string; absent: the first node) */
  node?: string;
}

export interface Check extends Script {
  name: string;
  timeoutMs: number;
  /** checks of the same step that must pass first; otherwise this one is skipped */
  needs: string[];
}

/** static when `check` is absent; dynamic when it names a check (and optionally a text its output must contain) */
export interface Hint {
  lang: Lang;
  text: string;
  check?: string;
  match?: string;
  pos: SourcePos;
}

/**
 * what a student does in a step beyond reading: absent = guided (clicking its runnable snippets does the
 * step, and `lab test` proves it); challenge (the text names the goal, not the whole command), predict
 * (the student answers first: ```answer), diagnose (something is broken and the student repairs it)
 */
export const STEP_KINDS = ['challenge', 'predict', 'diagnose'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export interface Step {
  id: string;
  /** absent: guided */
  kind?: StepKind;
  title: Bilingual;
  text: Bilingual;
  snippets: Snippet[];
  checks: Check[];
  hints: Hint[];
  solution?: Script;
  /**
   * a multi-node lab's step may have several solution blocks, run in order, each on its node (swarm init on
   * the manager, then join on a worker): all of them, the first being `solution`; absent when there is one
   */
  solutions?: Script[];
  /** a predict step: the question whose answer the checks read from $LAB_DIR/answer-<step id> */
  answer?: AnswerPrompt;
  /** the curriculum's proposed step ids this step's checks test (`covers: L06.03 004-5.2`) */
  covers: string[];
  pos: SourcePos;
}

export interface LabNeeds {
  /** the boxlab engine (docker CLI against boxlabd) must run in the sandbox */
  engine?: boolean;
  images?: string[];
  commands?: string[];
}

/** what a node of a multi-node lab runs: boxlabd alone, or Debian's dockerd next to it (ADR 0008: Swarm) */
export const NODE_ENGINES = ['boxlabd', 'docker'] as const;
export type NodeEngine = (typeof NODE_ENGINES)[number];

/** one VM of a multi-node lab (front matter `nodes:`) */
export interface LabNode {
  /** its host name on the lab network, and the VM's name */
  name: string;
  engine: NodeEngine;
  memoryMiB: number;
  /** the front matter line that declares it */
  line: number;
}

/** a node's memory when the lab does not say: dockerd and a Swarm task need more (ADR 0008) */
export const DEFAULT_NODE_MEMORY_MIB: Record<NodeEngine, number> = { boxlabd: 1024, docker: 1536 };

export interface Lab {
  file: string;
  id: string;
  title: Bilingual;
  description: Bilingual;
  durationMs?: number;
  level?: string;
  tags: string[];
  needs: LabNeeds;
  /** the catalog's track (an id of labs/tracks.yaml), the lab's place in it, and the labs to do first */
  track?: string;
  order?: number;
  requires: string[];
  intro: Bilingual;
  setup?: Script;
  teardown?: Script;
  /** a multi-node lab: its nodes, in order (the first is where blocks without node= run), and its lab network */
  nodes?: LabNode[];
  network?: string;
  /** a multi-node lab may have one setup (and one teardown) per node: all of them, in order; absent when there is one */
  setups?: Script[];
  teardowns?: Script[];
  steps: Step[];
}

/** the node a block runs on: the one it names, else the lab's first (undefined: a single-node lab) */
export function nodeOf(lab: Pick<Lab, 'nodes'>, block: { node?: string }): string | undefined {
  return block.node ?? lab.nodes?.[0]?.name;
}

/** every solution block of a step, in order */
export function stepSolutions(step: Pick<Step, 'solution' | 'solutions'>): Script[] {
  return step.solutions ?? (step.solution ? [step.solution] : []);
}

/** every setup (or teardown) block of a lab, in order */
export function labScripts(lab: Pick<Lab, 'setup' | 'teardown' | 'setups' | 'teardowns'>, which: 'setup' | 'teardown'): Script[] {
  const all = which === 'setup' ? lab.setups : lab.teardowns;
  const one = lab[which];
  return all ?? (one ? [one] : []);
}

export interface LabProblem extends SourcePos {
  message: string;
}

export function formatProblem(p: LabProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}
