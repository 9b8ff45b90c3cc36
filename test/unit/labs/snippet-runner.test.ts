// What the student clicks, replayed by `lab test` (local guest, no root): the runnable snippets run in
// one shell per lab (variables and the folder carry over, exported or not as typed), an error on
// stderr behind a last command that exits 0 fails the lab with the snippet's file:line and output, a
// guided step whose snippets run clean but do not do the step fails, expect-fail / interactive /
// after-solution marks do what they say, and the two languages must give the same commands.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labEnv, loadValidLab } from '../../../src/labs/lab-loader.js';
import type { Snippet, Step } from '../../../src/labs/lab-model.js';
import { parseLab } from '../../../src/labs/lab-parser.js';
import { testLab } from '../../../src/labs/lab-tester.js';
import { errorLines, judgeSnippet, snippetLanguageDiffs } from '../../../src/labs/snippet-runner.js';
import { LocalGuest } from '../../../src/vm/providers/local/local-guest.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/labs');
const pos = { file: 'x.md', line: 3 };
const snippet = (more: Partial<Snippet> = {}): Snippet => ({ lang: 'en', code: 'true', pos, ...more });
const run = (exitCode: number, stderr = '') => ({ exitCode, stdout: '', stderr, timedOut: false });

describe('snippet runner (pure)', () => {
  it('judges a snippet by its exit code and the error lines of its stderr', () => {
    assert.equal(judgeSnippet(snippet(), run(0, '1+0 records in\n1+0 records out\n')), undefined);
    assert.equal(judgeSnippet(snippet(), run(0, 'grep: /proc/8405: Is a directory\n')), 'printed an error: grep: /proc/8405: Is a directory');
    assert.equal(judgeSnippet(snippet(), run(2)), 'exited 2');
    assert.equal(judgeSnippet(snippet({ expect: 'fail' }), run(1)), undefined);
    assert.equal(judgeSnippet(snippet({ expect: 'fail' }), run(0, "cat: can't open '/VERSION': No such file or directory")), undefined);
    assert.equal(judgeSnippet(snippet({ expect: 'fail' }), run(0)), 'is marked expect-fail but exited 0 without an error');
    assert.match(judgeSnippet(snippet(), { ...run(124), timedOut: true })!, /interactive/);
    assert.deepEqual(errorLines("Unable to find image 'busybox:latest' locally\nsh: can't create /x: Permission denied"), ['sh: can\'t create /x: Permission denied']);
  });

  it('reads the marks; an unknown mark is a problem with its line', () => {
    const src = ['---', 'id: x', 'title: {en: a, zh: b}', '---', '## step s', ':::en T', '```sh run expect-fail', 'false', '```', '```sh run interactive', 'docker attach x', '```', '```sh run after-solution', 'cat y', '```', '```sh run maybe', 'true', '```', ':::'].join('\n');
    const { lab, problems } = parseLab(src, 'x.md');
    assert.deepEqual(lab.steps[0].snippets.map((s) => [s.expect ?? 'clean', s.after ?? false]), [['fail', false], ['skip', false], ['clean', true], ['clean', false]]);
    assert.deepEqual(problems.map((p) => p.line), [16]);
    assert.match(problems[0].message, /unknown snippet mark "maybe"/);
  });

  it('the two languages must give the same commands; comments may differ', () => {
    const step = (zh: string): Step => ({
      id: 's', title: {}, text: {}, checks: [], hints: [], covers: [], pos,
      snippets: [snippet({ code: '# look\nls /proc' }), snippet({ lang: 'zh', code: zh, pos: { file: 'x.md', line: 9 } })],
    });
    assert.deepEqual(snippetLanguageDiffs(step('# 看一看\nls /proc\n'), 'en'), []);
    assert.deepEqual(snippetLanguageDiffs(step('ls /sys'), 'en'), ['x.md:9: the zh snippet differs from the en one at line 3; the two languages must give the same commands (comments may differ)']);
  });
});

describe('lab test runs the snippets a student clicks (local guest)', function () {
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'boxlab-labs-snippets-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));
  const guest = new LocalGuest({ warn: null });

  it('passes a lab whose snippets run clean: state carries over, marks respected, the solution stands in where needed', async () => {
    const lab = await loadValidLab(path.join(fixtures, 'valid/snippets'));
    const report = await testLab(guest, lab, { env: labEnv(lab, path.join(tmp, 'w')), snippetTimeoutMs: 10_000 });
    assert.deepEqual(report.steps.flatMap((s) => s.problems).concat(report.problems), []);
    assert.equal(report.ok, true);
    // step 1: two snippets ran (the interactive one did not), and they did the step: no solution needed
    assert.deepEqual(report.steps[0].snippets.map((s) => s.ok), [true, true]);
    assert.deepEqual(report.steps[0].solution, { skipped: true });
    // step 2 (a challenge): the solution ran, then the after-solution snippet, which saw NAME and the folder of step 1
    assert.equal((report.steps[1].solution as { exitCode: number }).exitCode, 0);
    assert.deepEqual(report.steps[1].snippets.map((s) => s.ok), [true]);
    assert.equal(existsSync(path.join(tmp, 'w')), false);
  });

  it("fails on a snippet's stderr error behind an exit 0, with its file:line and output", async () => {
    const lab = await loadValidLab(path.join(fixtures, 'broken/snippet-error'));
    const report = await testLab(guest, lab, { env: labEnv(lab, path.join(tmp, 'w')) });
    assert.equal(report.ok, false);
    const [problem] = report.steps[0].problems;
    assert.match(problem, /^the snippet at test\/fixtures\/labs\/broken\/snippet-error\/lab\.md:20 printed an error: grep: \/proc\/\d+: Is a directory; a student who clicks it sees:\n/);
    assert.match(problem, /\n {2}\| grep: \/status: No such file or directory/);
    // the same lab replays clean with --no-snippets (solutions only)
    assert.equal((await testLab(guest, lab, { env: labEnv(lab, path.join(tmp, 'w2')), snippets: false })).ok, true);
  });

  it('fails a guided step whose snippets run clean but do not do it (a variable not exported to a child shell)', async () => {
    const lab = await loadValidLab(path.join(fixtures, 'broken/unexported'));
    const report = await testLab(guest, lab, { env: labEnv(lab, path.join(tmp, 'w')) });
    assert.equal(report.ok, false);
    assert.deepEqual(report.steps[0].problems, [
      'the snippets of step "write" ran clean but do not do the step (written: no greeting.txt: is NAME exported?); fix them, or if the student must do more than click them, say so with a kind: challenge, predict or diagnose line after "## step write"',
    ]);
  });
});
