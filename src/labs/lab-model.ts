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

/** a shell block in the text the web page can make clickable (```sh run) */
export interface Snippet {
  lang: Lang;
  code: string;
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

export interface Step {
  id: string;
  title: Bilingual;
  text: Bilingual;
  snippets: Snippet[];
  checks: Check[];
  hints: Hint[];
  solution?: Script;
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
