// What a tutorial is once parsed (docs/lab-format.md, "Tutorials"): a markdown page whose shell blocks
// are the steps, each optionally followed by an ```output block with the output the reader should see
// (placeholders: see output-matcher.ts). Unlike a lab there are no checks: the output is the check.
import type { Lang } from '../../core/lang.js';

export interface TutorialStep {
  /** 1-based, in page order */
  number: number;
  /** the text since the previous step, for `tutorial run` to show before the command */
  prose: string;
  script: string;
  /** stdout and stderr together, as a terminal shows them; absent: not compared */
  expected?: string;
  /** exit code the step must end with (default 0) */
  exit: number;
  timeoutMs: number;
  /** shown but never run (e.g. an interactive `docker run -it`) */
  skip: boolean;
  /** run at the end even when a step failed (remove what the tutorial made) */
  cleanup: boolean;
  line: number;
}

export interface TutorialNeeds {
  engine?: boolean;
  images?: string[];
  /** engine features the tutorial depends on, e.g. build, push (for skip lists in CI) */
  features?: string[];
}

export interface Tutorial {
  file: string;
  id: string;
  title: string;
  lang: Lang;
  needs: TutorialNeeds;
  steps: TutorialStep[];
  /** text after the last step */
  outro: string;
}
