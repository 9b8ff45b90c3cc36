// "The notes say X; today Y": docs/notes-corrections.md lists every statement the curriculum maps
// (../shared/curriculum/*.md, their "Outdated / wrong / confusing" lists) make about the study notes,
// with the lab step that corrects it. This file reads that document and the maps, and checks that the
// document is honest: each linked lab and step exists, and the step's text holds a correction
// paragraph in both languages (the marker below) that names the row's key.
//
// The marker: in the step's en text, a paragraph (lines between blank lines) that says "the notes" or
// "notes say" and contains the key; in its zh text, a paragraph that says 笔记 and contains the key (a
// row may give the zh key apart, when the words differ). A link without #step-<id> cites the lab's intro.
import { parseLab } from './lab-parser.js';
import type { Lab } from './lab-model.js';

/** a statement id: the map's chapter (L07, or seed-section 000-4, 004-4.2b) and the item's number in its list */
export const STATEMENT_ID = /^(L\d\d|\d{3}-\d+(?:\.\d+)?[a-z]?)\/\d+$/;

export const CORRECTION_SECTIONS = {
  corrected: 'Corrected in a lab',
  pending: 'Not corrected yet',
  multiNode: 'Taught by the multi-node course, not yet',
  notTaught: 'Not a topic of a lab',
} as const;
export type CorrectionSection = keyof typeof CORRECTION_SECTIONS;

export interface CorrectionLink {
  lab: string;
  /** absent: the lab's intro */
  step?: string;
}

export interface CorrectionRow {
  id: string;
  section: CorrectionSection;
  links: CorrectionLink[];
  keys: { en: string; zh: string } | undefined;
  line: number;
}

export interface Statement {
  id: string;
  text: string;
  /** the map file's base name and line */
  file: string;
  line: number;
}

export const EN_MARKER = /\bthe notes\b|\bnotes says?\b/i;
/** a key as written in the document, matched against a paragraph on one line */
const oneLine = (key: string) => key.replace(/\s+/g, ' ');
export const ZH_MARKER = /笔记/;

const LINK = /\]\(\.\.\/labs\/([^/)#]+)\/lab\.md(?:#step-([a-z0-9-]+))?\)/g;
const CODE = /`([^`]+)`/g;

/** rows of the document's tables, each with the section (## heading) it sits under; problems for rows that break the format */
export function parseCorrections(text: string): { rows: CorrectionRow[]; problems: string[] } {
  const rows: CorrectionRow[] = [];
  const problems: string[] = [];
  let section: CorrectionSection | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const heading = /^## (.+?)\s*$/.exec(raw);
    if (heading) {
      section = (Object.keys(CORRECTION_SECTIONS) as CorrectionSection[]).find((k) => heading[1].startsWith(CORRECTION_SECTIONS[k]));
      return;
    }
    if (!raw.startsWith('|')) return;
    const cells = raw.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    const id = cells[0]?.replace(/`/g, '');
    if (!id || !STATEMENT_ID.test(id)) return;
    if (!section) return void problems.push(`line ${line}: ${id} is not under a known ## section (${Object.values(CORRECTION_SECTIONS).join(', ')})`);
    if (section === 'corrected' && cells.length < 5) return void problems.push(`line ${line}: ${id} needs five cells: id | map, chapter | statement | corrected in | key`);
    if (cells.length < 4) return void problems.push(`line ${line}: ${id} needs four cells: id | map, chapter | statement | note`);
    const links = [...cells[3].matchAll(LINK)].map((m) => (m[2] ? { lab: m[1], step: m[2] } : { lab: m[1] }));
    const codes = section === 'corrected' ? [...cells[4].matchAll(CODE)].map((m) => m[1]) : [];
    const keys = codes.length === 0 ? undefined : { en: codes[0], zh: codes[1] ?? codes[0] };
    if (section === 'corrected') {
      if (links.length === 0) problems.push(`line ${line}: ${id} is under "${CORRECTION_SECTIONS.corrected}" but links no lab (../labs/<id>/lab.md#step-<step>)`);
      if (!keys) problems.push(`line ${line}: ${id} has no key: the last cell names, in backticks, a word the correction contains`);
    } else if (links.length > 0) {
      problems.push(`line ${line}: ${id} is under "${CORRECTION_SECTIONS[section]}" but links a lab: move it to "${CORRECTION_SECTIONS.corrected}"`);
    }
    if (rows.some((r) => r.id === id)) problems.push(`line ${line}: ${id} is listed twice`);
    rows.push({ id, section, links, keys, line });
  });
  return { rows, problems };
}

/** the paragraphs of one language's text, each on one line (a key may be wrapped across lines) */
function paragraphs(text: string | undefined): string[] {
  return (text ?? '').split(/\n[ \t]*\n/).map((p) => p.replace(/\s+/g, ' '));
}

/** problems of one link: the lab or step is missing, or its text has no correction paragraph naming the key */
export function checkLink(row: CorrectionRow, link: CorrectionLink, lab: Lab | undefined): string[] {
  const where = link.step ? `${link.lab} step ${link.step}` : `${link.lab} (intro)`;
  const at = `line ${row.line}: ${row.id}: ${where}`;
  if (!lab) return [`${at}: no lab labs/${link.lab}/lab.md`];
  const text = link.step ? lab.steps.find((s) => s.id === link.step)?.text : lab.intro;
  if (!text) return [`${at}: the lab has no step "${link.step}" (steps: ${lab.steps.map((s) => s.id).join(', ')})`];
  if (!row.keys) return [];
  const problems: string[] = [];
  const { en, zh } = row.keys;
  if (!paragraphs(text.en).some((p) => EN_MARKER.test(p) && p.includes(oneLine(en)))) {
    problems.push(`${at}: no en paragraph says "the notes" (or "notes say") and contains \`${en}\``);
  }
  if (!paragraphs(text.zh).some((p) => ZH_MARKER.test(p) && p.includes(oneLine(zh)))) {
    problems.push(`${at}: no zh paragraph says 笔记 and contains \`${zh}\``);
  }
  return problems;
}

/** every problem of the document against the labs (by folder name) */
export function checkCorrections(doc: string, labs: Map<string, Lab>): { rows: CorrectionRow[]; problems: string[] } {
  const { rows, problems } = parseCorrections(doc);
  for (const row of rows) for (const link of row.links) problems.push(...checkLink(row, link, labs.get(link.lab)));
  return { rows, problems };
}

/** a lab's text parsed for the check (format problems are the validator's business) */
export function labForCheck(source: string, file: string): Lab {
  return parseLab(source, file).lab;
}

/**
 * the statements of one curriculum map: the items of each "Outdated / wrong / confusing" list (a
 * `### Outdated ...` heading in the seed-002 map, a `**Outdated ...**` line in the other), numbered from
 * 1 within their chapter (`## Chapter 7` is L07, `## 004_....txt §4.2b` is 004-4.2b)
 */
export function extractStatements(mapText: string, file: string): Statement[] {
  const out: Statement[] = [];
  let chapter: string | undefined;
  let inList = false;
  let n = 0;
  let current: Statement | undefined;
  mapText.split('\n').forEach((raw, i) => {
    if (raw.startsWith('#')) {
      inList = false;
      current = undefined;
      if (/^#{1,2} /.test(raw)) chapter = undefined;
      const ch = /^## Chapter (\d+)/.exec(raw);
      const sec = /^## (\d{3})_\w+\.txt §(\d+(?:\.\d+)?[a-z]?)/.exec(raw);
      if (ch) chapter = `L${ch[1].padStart(2, '0')}`;
      if (sec) chapter = `${sec[1]}-${sec[2]}`;
      if (ch || sec) n = 0;
      if (/^###\s*Outdated/.test(raw)) inList = chapter !== undefined;
    } else if (/^\*\*Outdated/.test(raw)) {
      inList = chapter !== undefined;
      current = undefined;
    } else if (raw.startsWith('**')) {
      inList = false;
      current = undefined;
    } else if (inList && raw.startsWith('- ')) {
      n += 1;
      current = { id: `${chapter}/${n}`, text: raw.slice(2), file, line: i + 1 };
      out.push(current);
    } else if (inList && current && raw.startsWith(' ') && raw.trim()) {
      current.text += ` ${raw.trim()}`;
    } else if (!raw.trim()) {
      current = undefined;
    }
  });
  return out;
}
