// Progressive hints: a step's static hints in a language are a ladder, written in order (a nudge
// first: what to look at, which idea; the command last). Each ask shows the next rung; asking past the
// last shows the last again; `all` shows every rung. How many were shown is kept per learner and step
// (progress-store.ts), so the CLI and the page climb the same ladder. Pure. A failed check's dynamic
// hint (check-engine.ts selectHint) is another thing and unchanged.
import type { Hint } from './lab-model.js';
import type { Lang } from '../core/lang.js';

/** the static hints of a step in one language, in the order the teacher wrote them */
export function staticHints(hints: readonly Hint[], lang: Lang): string[] {
  return hints.filter((h) => h.check === undefined && h.lang === lang).map((h) => h.text);
}

export interface HintAsk {
  /** the hints to show now: the next one, or every one with `all` (empty: the step has none) */
  hints: string[];
  /** 1-based number of the (last) hint shown, out of count */
  number: number;
  count: number;
  /** how many the learner has now seen (to record) */
  shown: number;
}

export function askHint(ladder: readonly string[], shownBefore: number, all = false): HintAsk {
  const count = ladder.length;
  if (count === 0) return { hints: [], number: 0, count, shown: 0 };
  if (all) return { hints: [...ladder], number: count, count, shown: count };
  const number = Math.min(Math.max(shownBefore, 0) + 1, count);
  return { hints: [ladder[number - 1]], number, count, shown: number };
}

/** the hints already seen, for a page that opens a step again (at least none) */
export function seenHints(ladder: readonly string[], shown: number): string[] {
  return ladder.slice(0, Math.min(Math.max(shown, 0), ladder.length));
}
