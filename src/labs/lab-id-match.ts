// Which lab a student means by what they typed after `boxlab lab start` (or `lab reset`): the full id
// (`04-container-lifecycle`), its number (`04`, `4`), its name without the number
// (`container-lifecycle`) or a unique part of it (`lifecycle`). Pure: the ids come from the catalog.
// What matches nothing, or more than one lab, gets the closest ids to suggest ("did you mean ...?"),
// as git and the docker CLI do for mistyped sub-commands.
import { editDistance } from '../core/closest.js';

export type LabIdMatch =
  | { kind: 'found'; id: string }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'unknown'; suggestions: string[] };

/** how many ids a "did you mean" offers */
const MAX_SUGGESTIONS = 3;

/** the id without its leading number: `04-container-lifecycle` -> `container-lifecycle` */
function nameOf(id: string): string {
  return id.replace(/^\d+-/, '');
}

function numberOf(id: string): number | undefined {
  const m = /^(\d+)-/.exec(id);
  return m ? Number(m[1]) : undefined;
}

export function matchLabId(query: string, ids: readonly string[]): LabIdMatch {
  const q = query.trim().toLowerCase();
  const exact = ids.find((id) => id.toLowerCase() === q);
  if (exact) return { kind: 'found', id: exact };
  const pick = (hits: readonly string[]): LabIdMatch | undefined =>
    hits.length === 1 ? { kind: 'found', id: hits[0] } : hits.length > 1 ? { kind: 'ambiguous', candidates: [...hits] } : undefined;
  const byNumber = /^\d+$/.test(q) ? ids.filter((id) => numberOf(id) === Number(q)) : [];
  const byName = ids.filter((id) => nameOf(id).toLowerCase() === q);
  // a part of the id: at least 3 characters, so "a" or "01-" do not pick a lab by accident
  const byPart = q.length >= 3 ? ids.filter((id) => id.toLowerCase().includes(q)) : [];
  const found = pick(byNumber) ?? pick(byName) ?? pick(byPart);
  if (found) return found;
  return { kind: 'unknown', suggestions: closestIds(q, ids) };
}

/** the ids nearest to the query by edit distance (to the id or to its name), near enough to be a typo */
export function closestIds(query: string, ids: readonly string[], max = MAX_SUGGESTIONS): string[] {
  const q = query.toLowerCase();
  const scored = ids.map((id) => ({ id, d: Math.min(editDistance(q, id.toLowerCase()), editDistance(q, nameOf(id).toLowerCase())) }));
  // a typo changes a few characters; more than a third of the word is another word
  const limit = Math.max(2, Math.floor(q.length / 3));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, max)
    .map((s) => s.id);
}
