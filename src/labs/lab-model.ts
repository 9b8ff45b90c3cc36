// What a lab is once parsed from its markdown file (docs/lab-format.md, ADR 0003): front matter, an
// intro, lab-level setup/teardown scripts and steps. Each step has zh and en text, named checks (shell
// run in the sandbox; exit 0 passes; stdout is the message), hints, and a solution.
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
}

/** a predict step's question (```answer inside a language section): the student's answer goes to $LAB_DIR/answer-<step> */
export interface AnswerPrompt {
  question: Bilingual;
  pos: SourcePos;
}

export interface Script {
  script: string;
  pos: SourcePos;
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
  steps: Step[];
}

export interface LabProblem extends SourcePos {
  message: string;
}

export function formatProblem(p: LabProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}
