// Tracks in the catalog: labs/tracks.yaml parsed with its problems, a lab's unknown track or
// prerequisite reported at its front matter line, the catalog grouped in the tracks' order, and the
// real labs/ all in known tracks with known prerequisites.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listLabs, loadLab } from '../../../src/labs/lab-loader.js';
import { formatProblem } from '../../../src/labs/lab-model.js';
import { groupByTrack, parseTracks } from '../../../src/labs/lab-tracks.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

const labText = (id: string, front: string[] = []) =>
  ['---', `id: ${id}`, 'title: {en: A, zh: 甲}', 'duration: 20m', ...front, '---', '## step s', ':::en S', 'x', ':::', ':::zh 乙', 'x', ':::', '```check c', 'test -f "$LAB_DIR/x"', '```', '```solution', 'touch "$LAB_DIR/x"', '```'].join('\n');

describe('lab tracks', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(os.tmpdir(), 'boxlab-labs-tracks-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const write = (id: string, front: string[]) => {
    mkdirSync(path.join(root, id));
    writeFileSync(path.join(root, id, 'lab.md'), labText(id, front));
  };

  it('parses tracks.yaml in order and names a track without a zh title or listed twice', () => {
    const text = ['- id: basics', '  title: {en: Basics, zh: 基础}', '- id: more', '  title: {en: More}', '- id: basics', '  title: {en: Again, zh: 再来}'].join('\n');
    const { tracks, problems } = parseTracks(text, 'labs/tracks.yaml');
    assert.deepEqual(tracks.map((t) => t.id), ['basics', 'more', 'basics']);
    assert.deepEqual(problems.map(formatProblem), ['labs/tracks.yaml:3: track "more" has no zh title; write title: {en: "...", zh: "..."}', 'labs/tracks.yaml:1: track "basics" is listed twice']);
  });

  it('reports an unknown track and an unknown prerequisite at their front matter lines', async () => {
    writeFileSync(path.join(root, 'tracks.yaml'), '- id: basics\n  title: {en: Basics, zh: 基础}\n');
    write('01-a', ['track: basics', 'order: 1']);
    write('02-b', ['track: basic', 'order: 2', 'requires: [01-a, 00-nope]']);
    const { problems } = await loadLab(path.join(root, '02-b'));
    assert.deepEqual(problems.map((p) => `${p.line}: ${p.message}`), [
      '5: unknown track "basic"; tracks.yaml defines: basics',
      '7: requires unknown lab "00-nope"; write the id of a lab in the catalog (boxlab lab list)',
    ]);
    assert.deepEqual((await loadLab(path.join(root, '01-a'))).problems, []);
  });

  it('knows a prerequisite whose front matter is longer than the first 4 KiB the catalog reads of each lab', async () => {
    writeFileSync(path.join(root, 'tracks.yaml'), '- id: basics\n  title: {en: Basics, zh: 基础}\n');
    // the id after a long front matter key: the catalog reads on until the front matter ends
    mkdirSync(path.join(root, '01-a'));
    writeFileSync(path.join(root, '01-a', 'lab.md'), labText('01-a', ['track: basics']).replace('id: 01-a\n', `description: "${'x'.repeat(5000)}"\nid: 01-a\n`));
    write('02-b', ['track: basics', 'order: 2', 'requires: [01-a]']);
    assert.deepEqual((await loadLab(path.join(root, '02-b'))).problems, []);
  });

  it('a lab with a track but no tracks.yaml beside it is told where tracks are defined', async () => {
    write('01-a', ['track: basics']);
    assert.match((await loadLab(path.join(root, '01-a'))).problems.map((p) => p.message).join('\n'), /track "basics" but no tracks\.yaml next to the lab folders/);
  });

  it('groups labs in the tracks order, each by order, labs in no track last', () => {
    const tracks = [{ id: 'b', title: { en: 'B' } }, { id: 'a', title: { en: 'A' } }];
    const labs = [{ id: 'x', track: 'a', order: 2 }, { id: 'y', track: 'a', order: 1 }, { id: 'z' }, { id: 'w', track: 'b' }];
    assert.deepEqual(groupByTrack(labs, tracks).map((g) => [g.track?.id, g.labs.map((l) => l.id)]), [['b', ['w']], ['a', ['y', 'x']], [undefined, ['z']]]);
  });

  it("labs/: every lab is in a track of tracks.yaml, and the issue's track ids are defined", async () => {
    const labs = await listLabs(path.join(repo, 'labs'));
    assert.ok(labs.length >= 8);
    for (const l of labs) {
      assert.deepEqual(l.problems.map(formatProblem), [], l.lab.id);
      assert.ok(l.lab.track, `${l.lab.id} has no track`);
    }
    const { readFileSync } = await import('node:fs');
    const { tracks, problems } = parseTracks(readFileSync(path.join(repo, 'labs/tracks.yaml'), 'utf8'), 'labs/tracks.yaml');
    assert.deepEqual(problems, []);
    for (const id of ['foundations', 'docker-basics', 'under-docker-run', 'dockerfile-and-images', 'engine-and-registries', 'networking', 'storage']) {
      assert.ok(tracks.some((t) => t.id === id), id);
    }
  });
});
