// Golden tests for the lab parser and validator: each fixture's parsed lab (valid) or full problem
// list with file:line (invalid) must equal the recorded file next to it. UPDATE_GOLDEN=1 rewrites them.
import assert from 'node:assert/strict';
import { promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem } from '../../../src/labs/lab-model.js';
import { parseLab } from '../../../src/labs/lab-parser.js';
import { checkLabSource } from '../../../src/labs/lab-validator.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixtures = path.join(repo, 'test/fixtures/labs');

async function golden(file: string, actual: string): Promise<void> {
  if (process.env.UPDATE_GOLDEN === '1') await fs.writeFile(file, actual);
  assert.equal(actual, await fs.readFile(file, 'utf8'), `differs from ${path.relative(repo, file)} (UPDATE_GOLDEN=1 to accept)`);
}

describe('lab parser and validator (golden)', () => {
  for (const name of readdirSync(path.join(fixtures, 'valid'))) {
    it(`parses the valid lab "${name}" with no problems`, async () => {
      const file = path.join(fixtures, 'valid', name, 'lab.md');
      const rel = path.relative(repo, file);
      const { lab, problems } = checkLabSource(await fs.readFile(file, 'utf8'), rel);
      assert.deepEqual(problems.map(formatProblem), []);
      await golden(path.join(fixtures, 'valid', name, 'lab.golden.json'), JSON.stringify(lab, null, 2) + '\n');
    });
  }
  for (const name of readdirSync(path.join(fixtures, 'invalid')).filter((n) => n.endsWith('.md'))) {
    it(`reports every problem of "${name}" with file:line`, async () => {
      const file = path.join(fixtures, 'invalid', name);
      const rel = path.relative(repo, file);
      const { problems } = checkLabSource(await fs.readFile(file, 'utf8'), rel);
      await golden(file.replace(/\.md$/, '.problems.txt'), problems.map(formatProblem).join('\n') + '\n');
    });
  }

  it('reads the curriculum ids a step covers and names a malformed one', () => {
    const text = [
      '---', 'id: c', 'title: {en: C, zh: C}', 'description: {en: d, zh: d}', '---',
      '## step one', 'covers: L06.03 004-5.2, 000-3.1a', ':::en One', 'x', ':::', ':::zh 一', 'x', ':::',
      '## step two', 'covers: L6.3', ':::en Two', 'y', ':::', ':::zh 二', 'y', ':::',
    ].join('\n');
    const { lab, problems } = parseLab(text, 'c.md');
    assert.deepEqual(lab.steps.map((s) => s.covers), [['L06.03', '004-5.2', '000-3.1a'], []]);
    assert.deepEqual(problems.map((p) => [p.line, p.message]), [[15, 'covers: "L6.3" is not a curriculum step id; write ids like L06.03 or 004-5.2']]);
  });

  it('keeps ::: and check fences that are inside a code block as text', () => {
    const src = ['---', 'id: x', 'title: {en: a, zh: b}', '---', '## step s', ':::en T', '````md', ':::', '```check fake', '```', '````', ':::'].join('\n');
    const { lab, problems } = parseLab(src, 'x.md');
    assert.deepEqual(problems, []);
    assert.equal(lab.steps[0].checks.length, 0);
    assert.match(lab.steps[0].text.en ?? '', /```check fake/);
  });

  it('reads a check info string with quoted values, several needs and a timeout', () => {
    const src = ['---', 'id: x', 'title: {en: a, zh: b}', '---', '## step s', '```check c3 needs="c1, c2" timeout=1m30s', 'true', '```'].join('\n');
    const check = parseLab(src, 'x.md').lab.steps[0].checks[0];
    assert.deepEqual({ name: check.name, needs: check.needs, timeoutMs: check.timeoutMs }, { name: 'c3', needs: ['c1', 'c2'], timeoutMs: 90_000 });
  });
});
