// The tutorial parser (golden: steps, outputs, attributes, problems with file:line) and the runner on
// small tutorials run by the LocalGuest in a temp folder (no root needed).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem } from '../../../../src/labs/lab-model.js';
import { loadTutorial } from '../../../../src/labs/tutorial/tutorial-loader.js';
import { formatTutorialReport } from '../../../../src/labs/tutorial/tutorial-format.js';
import { parseTutorial } from '../../../../src/labs/tutorial/tutorial-parser.js';
import { judgeStep, runTutorial } from '../../../../src/labs/tutorial/tutorial-runner.js';
import { LocalGuest } from '../../../../src/vm/providers/local/local-guest.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../test/fixtures/labs/tutorials');

describe('tutorial parser', () => {
  it('reads shell blocks as steps and the output block after each as its expected output', () => {
    const { tutorial, problems } = parseTutorial(readFileSync(path.join(fixtures, 'hello.md'), 'utf8'), 'hello.md');
    assert.deepEqual(problems, []);
    assert.equal(tutorial.title, 'Hello, tutorial');
    assert.deepEqual(
      tutorial.steps.map((s) => [s.number, s.line, s.script, s.expected, s.exit, s.skip, s.cleanup]),
      [
        [1, 11, 'echo hello > greeting.txt\nls', 'greeting.txt', 0, false, false],
        [2, 22, 'ls -i greeting.txt; echo done', '<n> greeting.txt\n...', 0, false, false],
        [3, 33, 'cat missing.txt', 'cat: missing.txt: <any>', 1, false, false],
        [4, 43, 'read -r line', undefined, 0, true, false],
        [5, 47, 'rm -f greeting.txt', undefined, 0, false, true],
      ],
    );
    assert.equal(tutorial.steps[0].prose, '# Hello\n\nMake a file in the tutorial\'s folder:');
    assert.equal(tutorial.outro, "That's all.");
  });

  it('reports every problem with file:line', () => {
    const text = ['---', 'id: Bad Id', 'colour: red', '---', '```output', 'x', '```', '```sh exit=300 timeout=soon', 'true', '```', 'text', '```output', 'y', '```', '```sh', '', '```'].join('\n');
    const { problems } = parseTutorial(text, 't.md');
    assert.deepEqual(problems.map(formatProblem), [
      't.md:1: unknown front matter key "colour"; known keys: id, title, lang, needs',
      't.md:1: front matter needs an id of lowercase letters, digits and dashes',
      't.md:1: front matter needs a title',
      't.md:5: output block does not follow a shell block; put it right after the command it shows',
      't.md:8: exit=300 is not an exit code; expected 0-255',
      't.md:8: timeout "soon" is not a duration; expected e.g. 10s, 2m',
      't.md:12: output block does not follow a shell block; put it right after the command it shows',
      't.md:15: empty shell block; write the command or remove the block',
    ]);
  });
});

describe('tutorial runner', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'boxlab-labs-tutorial-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));
  const guest = new LocalGuest({ warn: null });

  it('replays a tutorial whose outputs match (placeholders, ..., expected exit codes), skips shown-only steps, cleans up', async () => {
    const tutorial = await loadTutorial(path.join(fixtures, 'hello.md'));
    const work = path.join(tmp, 'work');
    const report = await runTutorial(guest, tutorial, { workDir: work });
    assert.deepEqual(report.steps.map((s) => [s.number, s.status, s.problems]), [
      [1, 'passed', []],
      [2, 'passed', []],
      [3, 'passed', []],
      [4, 'skipped', []],
      [5, 'passed', []],
    ]);
    assert.equal(report.ok, true);
    assert.equal(existsSync(work), false, 'the work folder was not removed');
  });

  it('fails on a mismatch with a readable diff, stops there, still runs cleanup, in the tutorial language', async () => {
    const tutorial = await loadTutorial(path.join(fixtures, 'mismatch.md'));
    const work = path.join(tmp, 'work');
    const report = await runTutorial(guest, tutorial, { workDir: work });
    assert.equal(report.ok, false);
    assert.deepEqual(report.steps.map((s) => [s.number, s.status]), [[1, 'failed'], [3, 'passed']]);
    assert.deepEqual(report.steps[0].problems, ['输出与教程不一致：\n  line 2:\n- three\n+ two']);
    assert.equal(report.stoppedAfter, 1);
    assert.match(formatTutorialReport(report, 'zh'), /在第 1 步后停止/);
    assert.equal(existsSync(work), false);
  });

  it('an interactive run can skip a step or quit', async () => {
    const tutorial = await loadTutorial(path.join(fixtures, 'hello.md'));
    const answers = ['skip', 'quit'] as const;
    let n = 0;
    const report = await runTutorial(guest, tutorial, { workDir: path.join(tmp, 'w'), before: () => answers[n++] });
    assert.deepEqual(report.steps.map((s) => [s.number, s.status]), [[1, 'skipped'], [5, 'passed']]);
    assert.equal(report.ok, false, 'a run the reader quit is not ok');
  });

  it('judges the exit code as well as the output', () => {
    const step = { number: 1, prose: '', script: 'x', expected: 'hi', exit: 0, timeoutMs: 1000, skip: false, cleanup: false, line: 3 };
    assert.deepEqual(judgeStep(step, 2, 'hi\n').problems, ['exit code 2, the tutorial expects 0']);
    assert.equal(judgeStep(step, 0, 'hi\n').status, 'passed');
  });
});
