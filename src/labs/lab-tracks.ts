// The course's tracks: labs/tracks.yaml names each track once (id, title in both languages), in the
// order a student takes them; a lab's front matter says `track: <id>`, `order: <n>` (its place in the
// track) and `requires: [<lab id>, ...]` (prerequisites). Pure: parse the file, check the labs against
// it and each other (unknown track, unknown prerequisite, two labs at one place), and group a catalog.
import yaml from 'js-yaml';
import type { Bilingual, Lab, LabProblem } from './lab-model.js';

export const TRACKS_FILE = 'tracks.yaml';

export interface Track {
  id: string;
  title: Bilingual;
}

export interface ParsedTracks {
  tracks: Track[];
  problems: LabProblem[];
}

const ID = /^[a-z0-9][a-z0-9-]*$/;

/** tracks.yaml: a list of {id, title: {en, zh}}, in the course's order */
export function parseTracks(text: string, file: string): ParsedTracks {
  const problems: LabProblem[] = [];
  const at = (line: number, message: string) => problems.push({ file, line, message });
  let data: unknown;
  try {
    data = yaml.load(text);
  } catch (err) {
    at(1, `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    return { tracks: [], problems };
  }
  if (!Array.isArray(data)) {
    at(1, 'tracks.yaml must be a list of tracks: - {id: foundations, title: {en: "...", zh: "..."}}');
    return { tracks: [], problems };
  }
  const lines = text.split('\n');
  const lineOf = (id: string) => Math.max(1, lines.findIndex((l) => new RegExp(`\\bid:\\s*['"]?${id}\\b`).test(l)) + 1);
  const tracks: Track[] = [];
  for (const [i, item] of data.entries()) {
    const t = (item ?? {}) as Record<string, unknown>;
    const id = typeof t.id === 'string' ? t.id : '';
    const line = id ? lineOf(id) : 1;
    if (!ID.test(id)) {
      at(line, `track ${i + 1} has no valid id (lowercase letters, digits, dashes)`);
      continue;
    }
    if (tracks.some((x) => x.id === id)) at(line, `track "${id}" is listed twice`);
    const title = (t.title ?? {}) as Record<string, unknown>;
    const out: Track = { id, title: {} };
    for (const lang of ['en', 'zh'] as const) {
      if (typeof title[lang] === 'string' && title[lang]) out.title[lang] = title[lang] as string;
      else at(line, `track "${id}" has no ${lang} title; write title: {en: "...", zh: "..."}`);
    }
    tracks.push(out);
  }
  return { tracks, problems };
}

/** problems of one lab against the tracks and the other labs' ids, at the front matter line of the key */
export function catalogProblems(lab: Lab, source: string, tracks: readonly Track[] | undefined, labIds: readonly string[]): LabProblem[] {
  const problems: LabProblem[] = [];
  const lines = source.split('\n');
  const lineOf = (key: string) => Math.max(1, lines.findIndex((l) => l.startsWith(`${key}:`)) + 1);
  if (lab.track !== undefined) {
    if (!tracks) problems.push({ file: lab.file, line: lineOf('track'), message: `track "${lab.track}" but no ${TRACKS_FILE} next to the lab folders; tracks are defined there` });
    else if (!tracks.some((t) => t.id === lab.track)) {
      problems.push({ file: lab.file, line: lineOf('track'), message: `unknown track "${lab.track}"; ${TRACKS_FILE} defines: ${tracks.map((t) => t.id).join(', ')}` });
    }
  }
  for (const req of lab.requires) {
    if (req === lab.id) problems.push({ file: lab.file, line: lineOf('requires'), message: 'a lab cannot require itself' });
    else if (!labIds.includes(req)) problems.push({ file: lab.file, line: lineOf('requires'), message: `requires unknown lab "${req}"; write the id of a lab in the catalog (boxlab lab list)` });
  }
  return problems;
}

export interface TrackGroup<T> {
  /** undefined: labs in no track (listed last) */
  track?: Track;
  labs: T[];
}

/** labs grouped by track in tracks.yaml's order, each track's labs by `order` then id; labs in no (known) track last */
export function groupByTrack<T extends { id: string; track?: string; order?: number }>(labs: readonly T[], tracks: readonly Track[]): TrackGroup<T>[] {
  const byOrder = (a: T, b: T) => (a.order ?? Infinity) - (b.order ?? Infinity) || a.id.localeCompare(b.id);
  const groups: TrackGroup<T>[] = [];
  for (const track of tracks) {
    const mine = labs.filter((l) => l.track === track.id).sort(byOrder);
    if (mine.length > 0) groups.push({ track, labs: mine });
  }
  const rest = labs.filter((l) => !tracks.some((t) => t.id === l.track)).sort(byOrder);
  if (rest.length > 0) groups.push({ labs: rest });
  return groups;
}
