// Which images `docker images` lists and `docker image prune` removes, as dockerd 20.10 decides it
// (daemon/images/images.go and image_prune.go). Pure functions over image records:
//   - intermediate images (untagged parents of other images, made by build steps and docker commit) are
//     hidden unless -a; "dangling" means untagged AND nobody's parent;
//   - the reference filter works per name, not per image: `docker images lab/tools` shows the lab/tools
//     rows of an image and not its busybox:latest row; patterns are Go path.Match globs ('lab/*');
//   - rows are sorted newest first (Created desc).
import { invalidArgument } from '../../core/errors.js';
import { isoNanos, parseTimestamp } from '../../core/go-time.js';
import type { ImageRecord } from './image-record.js';
import { fullString, parseReference } from './reference.js';

export type Filters = Record<string, string[]>;

/** one row source of `docker images`: an image and the names of it that passed the reference filter */
export interface ListedImage {
  image: ImageRecord;
  repoTags: string[];
  repoDigests: string[];
}

export const LIST_FILTERS = ['dangling', 'label', 'before', 'since', 'reference'] as const;
export const PRUNE_FILTERS = ['dangling', 'label', 'label!', 'until'] as const;

/** dockerd refuses filters it does not know, in its words: "Invalid filter 'x'" (the CLI prints them as is) */
export function validateFilters(filters: Filters, accepted: readonly string[]): void {
  for (const key of Object.keys(filters)) {
    if (!accepted.includes(key)) {
      throw invalidArgument(`Invalid filter '${key}'`, { suggestions: [`the filters here are: ${accepted.join(', ')}`] });
    }
  }
}

// ---- time --------------------------------------------------------------------------------------------

/** an RFC 3339 time as nanoseconds since the epoch (image configs carry nanoseconds; Date keeps ms) */
export const createdNanos = isoNanos;

// ---- names -------------------------------------------------------------------------------------------

/**
 * Go's path.Match: '*' is any run of characters but '/', '?' one character but '/', '[...]' a class
 * ('[^...]' negated, ranges a-z), '\' escapes. Throws on a malformed pattern, as Go's ErrBadPattern.
 */
export function pathMatch(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= pattern.length) throw badPattern(pattern);
      re += escapeRegex(pattern[++i]!);
    } else if (c === '[') {
      let j = i + 1;
      let cls = '';
      if (pattern[j] === '^') {
        cls += '^';
        j++;
      }
      let first = true;
      while (j < pattern.length && (first || pattern[j] !== ']')) {
        let ch = pattern[j]!;
        if (ch === '\\') {
          if (j + 1 >= pattern.length) throw badPattern(pattern);
          ch = pattern[++j]!;
        }
        if (ch === '-' && first) throw badPattern(pattern);
        cls += ch === '-' ? '-' : escapeRegex(ch);
        first = false;
        j++;
      }
      if (j >= pattern.length || first) throw badPattern(pattern);
      re += `[${cls}]`;
      i = j;
    } else re += escapeRegex(c);
  }
  return new RegExp(`^${re}$`, 'u').test(name);
}

/** a literal character in a 'u'-flag regex: there `\-` outside a class is a syntax error, so '-' stays bare */
function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function badPattern(pattern: string) {
  return invalidArgument(`syntax error in pattern: "${pattern}"`, { suggestions: ["a reference filter is a name or a glob, e.g. busybox, 'lab/*', 'lab/tools:1.*'"] });
}

/** "lab/tools:1.0" -> "lab/tools"; "busybox@sha256:..." -> "busybox" (a registry port is not a tag) */
export function repositoryOf(familiar: string): string {
  return familiar.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
}

/** moby's reference.FamiliarMatch: the pattern against "name:tag" (or "name@digest"), then against "name" */
export function familiarMatch(pattern: string, familiar: string): boolean {
  return pathMatch(pattern, familiar) || pathMatch(pattern, repositoryOf(familiar));
}

// ---- labels ------------------------------------------------------------------------------------------

/** moby's MatchKVList: every "key" must be a label, every "key=value" a label with that value */
export function matchKVList(values: readonly string[] | undefined, labels: Record<string, string> | null | undefined): boolean {
  if (!values || values.length === 0) return true;
  if (!labels || Object.keys(labels).length === 0) return false;
  return values.every((value) => {
    const eq = value.indexOf('=');
    const key = eq < 0 ? value : value.slice(0, eq);
    if (!Object.hasOwn(labels, key)) return false;
    return eq < 0 || labels[key] === value.slice(eq + 1);
  });
}

/** label= must all match; label!= must not all match (moby's matchLabels of a prune) */
export function matchLabels(filters: Filters, labels: Record<string, string> | null | undefined): boolean {
  if (!matchKVList(filters.label, labels)) return false;
  if (filters['label!'] && filters['label!'].length > 0 && matchKVList(filters['label!'], labels)) return false;
  return true;
}

// ---- listing -----------------------------------------------------------------------------------------

/** ids of images that are the parent of another image */
export function parentIds(records: readonly ImageRecord[]): Set<string> {
  return new Set(records.map((r) => r.parent).filter((p): p is string => p !== undefined));
}

/** newest first; equal times by id so the order is stable */
export function byCreatedDesc(a: ImageRecord, b: ImageRecord): number {
  const d = createdNanos(b.created) - createdNanos(a.created);
  return d > 0n ? 1 : d < 0n ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function danglingOnlyOf(filters: Filters): boolean {
  const values = filters.dangling;
  if (!values || values.length === 0) return false;
  if (values.includes('true')) return true;
  if (values.includes('false')) return false;
  throw invalidArgument(`Invalid filter 'dangling=[${values.join(' ')}]'`, { suggestions: ['use dangling=true or dangling=false'] });
}

export interface ListOptions {
  /** -a: show intermediate images too */
  all: boolean;
  filters: Filters;
  /** the images named by the before= and since= filters (the route resolves them) */
  before?: ImageRecord;
  since?: ImageRecord;
}

/** the rows of GET /images/json, newest first (daemon/images/images.go) */
export function listImages(records: readonly ImageRecord[], options: ListOptions): ListedImage[] {
  const { filters } = options;
  validateFilters(filters, LIST_FILTERS);
  const danglingOnly = danglingOnlyOf(filters);
  const parents = parentIds(records);
  const references = filters.reference ?? [];
  const out: ListedImage[] = [];
  for (const image of records) {
    if (danglingOnly && parents.has(image.id)) continue; // dockerd lists only "heads" then
    const created = createdNanos(image.created);
    if (options.before && created >= createdNanos(options.before.created)) continue;
    if (options.since && created <= createdNanos(options.since.created)) continue;
    if (filters.label && !matchKVList(filters.label, image.config.Labels)) continue;
    const keep = (name: string) => references.length === 0 || references.some((pattern) => familiarMatch(pattern, name));
    const repoTags = lexical(image.repoTags.filter(keep));
    const repoDigests = lexical(image.repoDigests.filter(keep));
    if (repoTags.length === 0 && repoDigests.length === 0) {
      // an untagged image: shown when it is nobody's parent (or with -a), never when names were asked for
      if (!options.all && parents.has(image.id)) continue;
      if (filters.dangling && !danglingOnly) continue;
      if (references.length > 0) continue;
    } else if (danglingOnly && repoTags.length > 0) continue;
    out.push({ image, repoTags, repoDigests });
  }
  return out.sort((a, b) => byCreatedDesc(a.image, b.image));
}

/** an image's names in dockerd's order: sorted by the full reference ("docker.io/library/busybox:latest") */
function lexical(names: string[]): string[] {
  const full = (n: string) => {
    try {
      return fullString(parseReference(n));
    } catch {
      return n;
    }
  };
  return names.map((n) => [full(n), n] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, n]) => n);
}

// ---- prune -------------------------------------------------------------------------------------------

export interface PrunePlan {
  danglingOnly: boolean;
  /** what to delete, each by the references to remove (all of them) or by id when it has none */
  targets: Array<{ image: ImageRecord; refs: string[] }>;
}

/** what POST /images/prune deletes (daemon/images/image_prune.go); nowMs for until=<duration> */
export function planPrune(records: readonly ImageRecord[], filters: Filters, nowMs: number): PrunePlan {
  validateFilters(filters, PRUNE_FILTERS);
  let danglingOnly = true;
  if (filters.dangling && filters.dangling.length > 0) {
    const v = filters.dangling;
    if (v.includes('false') || v.includes('0')) danglingOnly = false;
    else if (!v.includes('true') && !v.includes('1')) throw invalidArgument(`Invalid filter 'dangling=[${v.join(' ')}]'`, { suggestions: ['use dangling=true or dangling=false'] });
  }
  if ((filters.until?.length ?? 0) > 1) throw invalidArgument('more than one until filter specified', { suggestions: ['give one until=<time or duration>'] });
  const until = filters.until?.[0] !== undefined ? parseTimestamp(filters.until[0], nowMs) : undefined;
  const parents = parentIds(records);
  const targets: PrunePlan['targets'] = [];
  for (const image of [...records].sort(byCreatedDesc)) {
    if (danglingOnly && parents.has(image.id)) continue;
    const refs = [...image.repoTags, ...image.repoDigests];
    // an intermediate image goes with its last child, not on its own
    if (refs.length === 0 && parents.has(image.id)) continue;
    if (until !== undefined && createdNanos(image.created) > until) continue;
    if (!matchLabels(filters, image.config.Labels)) continue;
    if (refs.length > 0) {
      // all its names go unless only untagged images are pruned and it has a tag (digest-only names go)
      if (danglingOnly && image.repoTags.length > 0) continue;
      targets.push({ image, refs });
    } else targets.push({ image, refs: [] });
  }
  return { danglingOnly, targets };
}
