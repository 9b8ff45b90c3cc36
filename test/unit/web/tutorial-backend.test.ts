// FolderTutorialBackend over real tutorial pages in a temp folder and this host's shell (LocalGuest):
// the catalog in both languages, a step run and judged by the output matcher (the diff on a mismatch),
// the shell's folder, and "start over" / close() running the cleanup blocks and removing the folder.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalGuest } from '../../../src/vm/providers/local/local-guest.js';
import { FolderTutorialBackend, tutorialFileName, withoutOutputBlocks } from '../../../src/web/tutorial-backend.js';

const EN = (log: string) => `---
id: tiny
title: A tiny tutorial
lang: en
needs: {features: [files]}
---

# A tiny tutorial

Make a file:

\`\`\`sh
echo "made by step 1" > note.txt
cat note.txt
\`\`\`

\`\`\`output
made by step 1
\`\`\`

Count its words, which the page gets wrong on purpose:

\`\`\`sh
wc -w < note.txt
\`\`\`

\`\`\`output
<n>
words
\`\`\`

\`\`\`sh cleanup
echo cleaned >> '${log}'
\`\`\`

That is all.
`;

const ZH = `---
id: tiny
title: 一个小教程
lang: zh
---

做一个文件：

\`\`\`sh
echo hi
\`\`\`
`;

describe('FolderTutorialBackend', () => {
  let root: string;
  let work: string;
  let log: string;
  let backend: FolderTutorialBackend;

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'boxlab-web-tutorials-'));
    work = path.join(root, 'work');
    log = path.join(root, 'cleanup.log');
    writeFileSync(path.join(root, 'tiny.md'), EN(log));
    writeFileSync(path.join(root, 'tiny.zh.md'), ZH);
    writeFileSync(path.join(root, 'broken.md'), '---\nid: broken\n---\nno title, no steps\n');
    writeFileSync(path.join(root, 'README.md'), '# not a tutorial\n');
    backend = new FolderTutorialBackend({ guest: new LocalGuest({ warn: null }), root, workDir: (id) => path.join(work, id), env: { BOXLAB_TEST_ENV: 'from-serve' } });
  });

  afterEach(async () => {
    await backend.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('reads tutorial ids and languages from file names', () => {
    assert.deepEqual(tutorialFileName('build-a-private-registry.zh.md'), { id: 'build-a-private-registry', lang: 'zh' });
    assert.deepEqual(tutorialFileName('tiny.md'), { id: 'tiny', lang: 'en' });
    assert.equal(tutorialFileName('README.md'), undefined);
    assert.equal(tutorialFileName('notes.txt'), undefined);
  });

  it('leaves the output blocks out of the text (the page shows them as "expected")', () => {
    assert.equal(withoutOutputBlocks('before\n```output\nhi\n```\nafter\n````output\n```\n````\nend'), 'before\nafter\nend');
    assert.equal(withoutOutputBlocks('```sh\nls\n```'), '```sh\nls\n```');
  });

  it('lists the tutorials in the page language, leaving out pages with problems', async () => {
    assert.deepEqual(await backend.catalog('en'), [{ id: 'tiny', title: 'A tiny tutorial', lang: 'en', steps: 3, features: ['files'] }]);
    assert.deepEqual((await backend.catalog('zh')).map((t) => [t.title, t.lang]), [['一个小教程', 'zh']]);
  });

  it('opens a tutorial: each step with its text as HTML, command and expected output', async () => {
    const page = await backend.open('tiny', 'en');
    assert.equal(page.workDir, path.join(work, 'tiny'));
    assert.deepEqual(page.steps.map((s) => [s.number, s.script, s.expected, s.cleanup]), [
      [1, 'echo "made by step 1" > note.txt\ncat note.txt', 'made by step 1', false],
      [2, 'wc -w < note.txt', '<n>\nwords', false],
      [3, `echo cleaned >> '${log}'`, undefined, true],
    ]);
    assert.match(page.steps[0].html, /<p>Make a file:<\/p>/);
    assert.doesNotMatch(page.steps[1].html, /made by step 1/, "the previous step's output block is not in the text");
    assert.match(page.outroHtml, /That is all/);
    await assert.rejects(backend.open('nosuch', 'en'), /tutorial "nosuch" not found/);
    await assert.rejects(backend.open('../etc', 'en'), /is not a tutorial id/);
  });

  it('runs a step in the tutorial folder and judges it; a later step sees its files; a mismatch comes with a diff', async () => {
    const one = await backend.run('tiny', 1, 'en');
    assert.equal(one.status, 'passed');
    assert.equal(one.exitCode, 0);
    assert.equal(one.output, 'made by step 1\n');
    assert.equal(one.expected, 'made by step 1');
    assert.equal(readFileSync(path.join(work, 'tiny', 'note.txt'), 'utf8'), 'made by step 1\n');
    const two = await backend.run('tiny', 2, 'en');
    assert.equal(two.status, 'failed');
    assert.equal(two.output, '4\n');
    assert.match(two.problems.join('\n'), /- words\n {2}\(output ended after 1 line\(s\)\)/);
    await assert.rejects(backend.run('tiny', 9, 'en'), /step 9 does not exist in tutorial "tiny"/);
  });

  it('gives the terminal the same folder and environment', async () => {
    const place = await backend.terminalEnv('tiny');
    assert.equal(place.cwd, path.join(work, 'tiny'));
    assert.equal(place.env.TUTORIAL_DIR, path.join(work, 'tiny'));
    assert.equal(place.env.BOXLAB_TEST_ENV, 'from-serve');
    assert.ok(existsSync(place.cwd), 'the folder exists before a shell starts in it');
  });

  it('start over runs the cleanup blocks and removes the folder; close() does it for what is left', async () => {
    await backend.run('tiny', 1, 'en');
    await backend.reset('tiny', 'en');
    assert.equal(existsSync(path.join(work, 'tiny')), false);
    assert.equal(readFileSync(log, 'utf8'), 'cleaned\n');
    await backend.reset('tiny', 'en'); // nothing to clean twice
    assert.equal(readFileSync(log, 'utf8'), 'cleaned\n');
    await backend.run('tiny', 1, 'en');
    await backend.close();
    assert.equal(existsSync(path.join(work, 'tiny')), false);
    assert.equal(readFileSync(log, 'utf8'), 'cleaned\ncleaned\n');
  });
});
