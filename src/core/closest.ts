// "Did you mean ...?": the candidates nearest to a word a person typed, by edit distance (Levenshtein:
// one insertion, deletion or substitution costs 1), so a typo names what the user most likely meant.

/** the edit distance between a and b */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidates within a third of the word's length (at least 1, at most 3 edits), nearest first, then
 * in the order given; a candidate that contains the word, or that the word contains, counts as near too.
 */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  const scored: Array<{ name: string; distance: number }> = [];
  for (const name of new Set(candidates)) {
    const contains = word.length >= 3 && (name.includes(word) || word.includes(name));
    const distance = editDistance(word, name);
    if (distance <= limit || contains) scored.push({ name, distance });
  }
  return scored.sort((x, y) => x.distance - y.distance).slice(0, max).map((s) => s.name);
}
