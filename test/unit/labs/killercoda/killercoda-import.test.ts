// Killercoda import on small scenarios written for these tests (test/fixtures/labs/killercoda/):
// the result passes the validator, {{exec}} commands become runnable snippets and the solution, and
// everything boxlab cannot reproduce is listed with its file.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAppError } from '../../../../src/core/errors.js';
import { convertKillercodaMarkdown } from '../../../../src/labs/killercoda/killercoda-markdown.js';
import { importKillercoda } from '../../../../src/labs/killercoda/killercoda-import.js';
import { labEnv, loadValidLab } from '../../../../src/labs/lab-loader.js';
import { testLab } from '../../../../src/labs/lab-tester.js';
import { LocalGuest } from '../../../../src/vm/providers/local/local-guest.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../test/fixtures/labs/killercoda');

describe('killercoda markdown', () => {
  it('turns an inline {{exec}} line into a runnable block and keeps {{copy}} as plain code', () => {
    const r = convertKillercodaMarkdown('Run:\n\n`ls /`{{exec}}\n\nRead `cat x`{{copy}} later.', 'step.md');
    assert.equal(r.text, 'Run:\n\n```sh run\nls /\n```\n\nRead `cat x` later.');
    assert.deepEqual(r.execs, ['ls /']);
    assert.deepEqual(r.notes, []);
  });

  it('keeps a sentence with an inline exec and adds the block after it', () => {
    const r = convertKillercodaMarkdown('First `id`{{execute}} then relax.', 'a.md');
    assert.equal(r.text, 'First `id` then relax.\n\n```sh run\nid\n```');
  });

  it('turns a fenced {{exec}} block (marker after the closing fence) into sh run', () => {
    const r = convertKillercodaMarkdown('```\necho a\necho b\n```{{exec}}', 'a.md');
    assert.equal(r.text, '```sh run\necho a\necho b\n```');
    assert.deepEqual(r.execs, ['echo a\necho b']);
  });

  it('reports exec options and placeholders it cannot honour, with file:line', () => {
    const r = convertKillercodaMarkdown('x\n`top`{{exec interrupt}}\nsee {{TRAFFIC_HOST1_80}}', 's.md');
    assert.deepEqual(r.notes.map((n) => `${n.file}:${n.line} ${n.kind}`), ['s.md:2 unsupported', 's.md:3 unsupported']);
    assert.match(r.notes[0].message, /"interrupt"/);
    assert.match(r.notes[1].message, /TRAFFIC_HOST1_80/);
  });
});

describe('boxlab lab import (killercoda)', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'boxlab-labs-kc-'))));
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
    rmSync('/tmp/kc-greeting', { recursive: true, force: true });
  });

  it('imports a scenario into a lab that passes the validator and whose lab test passes', async () => {
    const out = path.join(tmp, 'greeting');
    const r = await importKillercoda(path.join(fixtures, 'greeting'), { out });
    assert.deepEqual(r.problems, []);
    assert.equal(r.id, 'greeting');
    assert.deepEqual(r.notes.filter((n) => n.kind === 'unsupported'), []);
    assert.deepEqual(r.notes.map((n) => n.message), ['the scenario has English text only: each zh section carries it under a note; translate them']);
    const lab = await loadValidLab(out);
    assert.equal(lab.title.en, 'Greeting files');
    assert.equal(lab.durationMs, 15 * 60_000);
    assert.equal(lab.level, 'beginner');
    assert.deepEqual(lab.steps.map((s) => s.id), ['write-a-greeting', 'count-the-words']);
    assert.deepEqual(lab.steps[0].snippets.map((s) => [s.lang, s.code]), [['en', 'echo hello world > /tmp/kc-greeting/hello.txt'], ['zh', 'echo hello world > /tmp/kc-greeting/hello.txt']]);
    assert.equal(lab.steps[0].solution?.script, 'echo hello world > /tmp/kc-greeting/hello.txt');
    assert.equal(lab.steps[0].checks[0].timeoutMs, 30_000);
    assert.match(lab.steps[1].text.en!, /Well done: two words\.$/);
    assert.match(lab.steps[1].text.zh!, /^（本实验从 Killercoda 导入/);
    assert.equal(lab.setup?.script, 'mkdir -p /tmp/kc-greeting');

    const report = await testLab(new LocalGuest({ warn: null }), lab, { env: labEnv(lab, path.join(tmp, 'work')) });
    assert.deepEqual(report.steps.flatMap((s) => s.problems), []);
    assert.equal(report.ok, true);
  });

  it('lists everything it could not import, with the file, and still writes a valid lab', async () => {
    const out = path.join(tmp, 'sink');
    const r = await importKillercoda(path.join(fixtures, 'kitchen-sink'), { out });
    assert.deepEqual(r.problems, []);
    const lines = r.notes.filter((n) => n.kind === 'unsupported').map((n) => `${n.file}${n.line ? `:${n.line}` : ''}: ${n.message.split(/[;(]/)[0].trim()}`);
    assert.deepEqual(lines.sort(), [
      'index.json: backend.imageid "kubernetes-kubeadm-1node" needs a Kubernetes sandbox',
      'index.json: details.assets',
      'index.json: details.intro.foreground',
      'index.json: details.steps[0].background',
      'index.json: details.steps[0].foreground',
      'index.json: details.steps[1].text names "missing.md", which is not in the scenario folder',
      'index.json: interface',
      'index.json: legacy Katacoda field "icon" is not imported',
      'index.json: legacy details.intro.code is not imported',
      'index.json: legacy field details.steps[0].answer is not imported',
      'index.json: unknown field "flavour" is not imported',
      'intro.md: image ./diagram.png is not copied',
      'step1.md:14: Katacoda quiz',
      'step1.md:5: {{exec interrupt}}: "interrupt"',
      'step1.md:7: placeholder {{TRAFFIC_HOST1_8080}}',
    ].sort());
    const warnings = r.notes.filter((n) => n.kind === 'warning').map((n) => n.message.split(/[;:]/)[0]);
    assert.ok(warnings.includes('time "a while" is not in minutes'));
    assert.ok(warnings.includes('details.steps[0] has no verify script'));
    const text = readFileSync(path.join(out, 'lab.md'), 'utf8');
    // a ```check fence in scenario text stays text, and the second "Serve" step gets its own id
    assert.match(text, /```text check\nnot a boxlab check/);
    assert.match(text, /## step serve-2/);
    const lab = await loadValidLab(out);
    assert.equal(lab.steps[0].solution?.script, 'python3 -m http.server 8080 &');
  });

  it('refuses a folder without index.json, and an existing lab without --force', async () => {
    await assert.rejects(importKillercoda(tmp), (e) => isAppError(e, 'NOT_FOUND') && /no index\.json/.test(e.message));
    const out = path.join(tmp, 'again');
    await importKillercoda(path.join(fixtures, 'greeting'), { out });
    await assert.rejects(importKillercoda(path.join(fixtures, 'greeting'), { out }), (e) => isAppError(e, 'ALREADY_EXISTS'));
    await importKillercoda(path.join(fixtures, 'greeting'), { out, force: true });
    assert.ok(existsSync(path.join(out, 'lab.md')));
  });
});
