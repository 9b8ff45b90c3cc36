// "The notes say X; today Y": docs/notes-corrections.md links each statement the curriculum maps make
// about the study notes to the lab step that corrects it. These tests keep that page honest: every
// linked lab and step exists and holds a correction paragraph with the row's key in en and zh, the
// checker catches each way a row can lie, and (when the maps are next to the repository) every
// statement of the maps has exactly one row.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../../src/labs/lab-model.js';
import { checkCorrections, extractStatements, labForCheck, parseCorrections } from '../../../src/labs/notes-corrections.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

function realLabs(): Map<string, Lab> {
  const labs = new Map<string, Lab>();
  for (const name of readdirSync(path.join(repo, 'labs'))) {
    const file = path.join(repo, 'labs', name, 'lab.md');
    if (existsSync(file)) labs.set(name, labForCheck(readFileSync(file, 'utf8'), file));
  }
  return labs;
}

/** the curriculum maps: BOXLAB_CURRICULUM_DIR, or shared/curriculum next to the repository or its parent (worktrees) */
function curriculumDir(): string | undefined {
  const candidates = [process.env.BOXLAB_CURRICULUM_DIR, path.resolve(repo, '../shared/curriculum'), path.resolve(repo, '../../shared/curriculum')];
  return candidates.find((d): d is string => !!d && existsSync(path.join(d, 'seed-002-docker-deep-dive.md')));
}

const tinyLab = [
  '---', 'id: 90-tiny', 'title: {en: Tiny, zh: 小}', 'duration: 20m', '---',
  ':::en', 'The notes say `docker -d`; today it is `dockerd`.', ':::', ':::zh', '笔记里写的是 `docker -d`；如今是 `dockerd`。', ':::',
  '## step a', ':::en A', 'Run it.', '', '**The notes say X; today Y.** `--link` is legacy.', ':::',
  ':::zh 甲', '运行它。', '', '**笔记里这么说，而今天是这样。** `--link` 已经过时。', ':::',
  '```check c', 'true', '```', '```solution', 'true', '```',
  '## step b', ':::en B', 'No correction here, only `--link`.', ':::', ':::zh 乙', '笔记里说 `--link`。', ':::',
  '```check c', 'true', '```', '```solution', 'true', '```',
].join('\n');

const doc = (rows: string[], section = 'Corrected in a lab (n)') => ['# t', '', `## ${section}`, '', '| id | map, chapter | statement | corrected in | key |', '|---|---|---|---|---|', ...rows].join('\n');
const link = (step?: string) => `[90 › ${step ?? 'intro'}](../labs/90-tiny/lab.md${step ? `#step-${step}` : ''})`;

describe('notes corrections (docs/notes-corrections.md)', () => {
  const labs = new Map([['90-tiny', labForCheck(tinyLab, 'labs/90-tiny/lab.md')]]);

  it('accepts a row whose step has the marker and the key in both languages, and one citing the intro', () => {
    const { rows, problems } = checkCorrections(doc([`| L13/1 | c | s | ${link('a')} | \`--link\` |`, `| 004-9/1 | c | s | ${link()} | \`dockerd\` |`]), labs);
    assert.deepEqual(problems, []);
    assert.deepEqual(rows.map((r) => [r.id, r.section, r.links]), [
      ['L13/1', 'corrected', [{ lab: '90-tiny', step: 'a' }]],
      ['004-9/1', 'corrected', [{ lab: '90-tiny' }]],
    ]);
  });

  it('names a missing lab, a missing step, a step without an en correction, a zh key that is not there', () => {
    const { problems } = checkCorrections(
      doc([
        '| L13/1 | c | s | [x](../labs/91-gone/lab.md#step-a) | `--link` |',
        `| L13/2 | c | s | ${link('zz')} | \`--link\` |`,
        `| L13/3 | c | s | ${link('b')} | \`--link\` |`,
        `| L13/4 | c | s | ${link('a')} | \`--link\` \`--network\` |`,
      ]),
      labs,
    );
    assert.deepEqual(problems, [
      'line 7: L13/1: 91-gone step a: no lab labs/91-gone/lab.md',
      'line 8: L13/2: 90-tiny step zz: the lab has no step "zz" (steps: a, b)',
      'line 9: L13/3: 90-tiny step b: no en paragraph says "the notes" (or "notes say") and contains `--link`',
      'line 10: L13/4: 90-tiny step a: no zh paragraph says 笔记 and contains `--network`',
    ]);
  });

  it('rejects a corrected row without a link or a key, a link outside that section, and an id listed twice', () => {
    const { problems } = parseCorrections(
      [doc([`| L13/1 | c | s | lab 90 | \`--link\` |`, `| L13/2 | c | s | ${link('a')} | no key |`, `| L13/2 | c | s | ${link('a')} | \`--link\` |`]), '', '## Not a topic of a lab', '', `| L13/3 | c | s | see ${link('a')} |`].join('\n'),
    );
    assert.deepEqual(problems, [
      'line 7: L13/1 is under "Corrected in a lab" but links no lab (../labs/<id>/lab.md#step-<step>)',
      'line 8: L13/2 has no key: the last cell names, in backticks, a word the correction contains',
      'line 9: L13/2 is listed twice',
      'line 13: L13/3 is under "Not a topic of a lab" but links a lab: move it to "Corrected in a lab"',
    ]);
  });

  it('reads the statements of both map formats, numbered per chapter, with wrapped lines joined', () => {
    const seed002 = ['## Chapter 7 — Working with containers — lines 1–2', '### Proposed labs', '- **L07.01** not a statement', '### Outdated / wrong / confusing', '- "`docker stop` takes 10 s" is wrong:', '  it sends SIGTERM first.', '- Second.', '## Chapter 8 — Next — lines 3–4', '### Outdated / wrong / confusing', '- Third.'].join('\n');
    assert.deepEqual(extractStatements(seed002, 'm.md').map((s) => [s.id, s.text, s.line]), [
      ['L07/1', '"`docker stop` takes 10 s" is wrong: it sends SIGTERM first.', 5],
      ['L07/2', 'Second.', 7],
      ['L08/1', 'Third.', 10],
    ]);
    const seeds = ['## 004_c0a22835affb7622.txt §4.2b — A site (L1–2)', '**Lab steps**', '- **004-4.2b.1** a step', '**Outdated / wrong / confusing**', '- `-p 80880:80` is not a port.', '', '## 000_992f7acd9e1b0586.txt §11 — Nets (L3–4)', '**Outdated / wrong / confusing**', '- Screenshots.'].join('\n');
    assert.deepEqual(extractStatements(seeds, 'n.md').map((s) => s.id), ['004-4.2b/1', '000-11/1']);
  });

  it('the real page: every linked lab and step exists and says what the row claims, in en and zh', () => {
    const text = readFileSync(path.join(repo, 'docs/notes-corrections.md'), 'utf8');
    const { rows, problems } = checkCorrections(text, realLabs());
    assert.deepEqual(problems, []);
    assert.ok(rows.filter((r) => r.section === 'corrected').length >= 190, `only ${rows.filter((r) => r.section === 'corrected').length} corrected rows`);
  });

  it('the real page has one row for each statement of the curriculum maps, when they are next to the repository', function () {
    const dir = curriculumDir();
    if (!dir) return this.skip();
    const statements = ['seed-002-docker-deep-dive.md', 'seeds-000-001-003-004.md'].flatMap((f) => extractStatements(readFileSync(path.join(dir, f), 'utf8'), f));
    const { rows } = parseCorrections(readFileSync(path.join(repo, 'docs/notes-corrections.md'), 'utf8'));
    const ids = new Set(rows.map((r) => r.id));
    assert.deepEqual(statements.filter((s) => !ids.has(s.id)).map((s) => `${s.id} (${s.file}:${s.line}) has no row`), []);
    const known = new Set(statements.map((s) => s.id));
    assert.deepEqual(rows.filter((r) => !known.has(r.id)).map((r) => `${r.id} is not a statement of the maps`), []);
  });
});
