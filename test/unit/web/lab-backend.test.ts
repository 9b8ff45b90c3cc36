// SessionLabBackend on a real lab (the format's example lab), a real progress store and the local guest
// (bash on this host, in a temp work folder).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProgressStore } from '../../../src/labs/progress-store.js';
import { LocalGuest } from '../../../src/vm/providers/local/local-guest.js';
import { SessionLabBackend } from '../../../src/web/lab-backend.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('SessionLabBackend', () => {
  let work: string;
  let store: ProgressStore;
  let backend: SessionLabBackend;
  let options: ConstructorParameters<typeof SessionLabBackend>[0];

  beforeEach(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'boxlab-web-labs-'));
    store = new ProgressStore(':memory:');
    options = {
      ctx: { store, learner: 'ada', labsRoot: path.resolve('test/fixtures/labs/valid'), lang: 'en', workDir: () => path.join(work, 'lab') },
      guest: new LocalGuest({ warn: null }),
      env: { DOCKER_HOST: 'unix:///tmp/served.sock' },
    };
    backend = new SessionLabBackend(options);
  });
  afterEach(() => {
    store.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('lists the catalog with description, duration, level and progress, in both languages', async () => {
    const [en] = await backend.catalog('en');
    assert.deepEqual(en, { id: 'hello-files', title: 'Hello, files', description: 'A tiny lab for the parser tests', steps: 1, currentStep: 0, finished: false, durationMinutes: 20, level: 'beginner', requires: [] });
    assert.equal((await backend.catalog('zh'))[0].title, '你好，文件');
  });

  it('opens a lab, renders its step with a run button, checks it (failing, then passing) and records progress', async () => {
    const page = await backend.open('hello-files', 'en');
    assert.deepEqual(page.steps, [{ id: 'make-file', title: 'Make a file' }]);
    assert.equal(page.workDir, path.join(work, 'lab'));
    const step = await backend.step('hello-files', 0, 'en');
    assert.match(step.html, /<button type="button" class="run" data-code="echo hello &gt; &quot;\$LAB_DIR\/hello.txt&quot;">/);
    // no hint seen yet: the page shows a Hint button for the one there is
    assert.deepEqual([step.hints, step.hintCount], [[], 1]);

    const failing = await backend.check('hello-files', 0, 'en');
    assert.equal(failing.passed, false);
    assert.deepEqual(failing.checks.map((c) => [c.name, c.status, c.message]), [['exists', 'failed', 'no hello.txt yet'], ['says-hello', 'skipped', 'skipped: needs exists to pass first']]);
    assert.equal(failing.hint, 'Did you write into "$LAB_DIR"?');

    const env = await backend.terminalEnv('hello-files');
    assert.equal(env.DOCKER_HOST, 'unix:///tmp/served.sock');
    const guest = new LocalGuest({ warn: null });
    assert.equal((await guest.exec({ script: 'echo hello > "$LAB_DIR/hello.txt"' }, { env })).exitCode, 0);

    const passing = await backend.check('hello-files', 0, 'en');
    assert.equal(passing.passed, true);
    assert.equal(passing.finished, true);
    assert.deepEqual((await backend.catalog('en'))[0].finished, true);
    assert.deepEqual((await backend.step('hello-files', 0, 'en')).passed.sort(), ['exists', 'says-hello']);
  });

  it('watches a step until it passes', async () => {
    await backend.open('hello-files', 'en');
    backend = new SessionLabBackend({ ...options, watchIntervalMs: 50 });
    const seen: boolean[] = [];
    const abort = new AbortController();
    const done = backend.watch('hello-files', 0, 'en', abort.signal, (r) => seen.push(r.passed));
    await waitFor('the first (failing) check result', () => seen.length > 0);
    await new LocalGuest({ warn: null }).exec({ script: 'echo hello > "$LAB_DIR/hello.txt"' }, { env: await backend.terminalEnv('hello-files') });
    await done;
    assert.deepEqual(seen, [false, true]);
  });

  it('names a step that does not exist', async () => {
    await assert.rejects(backend.step('hello-files', 5, 'en'), /step 6 does not exist in lab "hello-files"/);
    await assert.rejects(backend.open('nosuch', 'en'), /lab "nosuch" not found/);
  });

  it('gives the progressive hints one at a time, remembered per step, as the CLI does', async () => {
    await backend.open('snippets', 'en');
    assert.deepEqual((await backend.step('snippets', 0, 'en')).hintCount, 2);
    assert.deepEqual(await backend.hint('snippets', 0, 'en'), { hints: ['Which folder are you in?'], count: 2 });
    // a reload shows what was seen
    assert.deepEqual((await backend.step('snippets', 0, 'en')).hints, ['Which folder are you in?']);
    assert.deepEqual(await backend.hint('snippets', 0, 'zh'), { hints: ['你现在在哪个目录？', '运行：cd "$LAB_DIR" 然后 echo hi > greeting.txt'], count: 2 });
    assert.deepEqual((await backend.hint('snippets', 0, 'en')).hints.length, 2);
    assert.equal(store.hintsShown('ada', 'snippets', 'remember'), 2);
  });

  it("writes a predict step's answer where its checks read it, and refuses one for a step that asks nothing", async () => {
    await backend.open('snippets', 'en');
    const step = await backend.step('snippets', 2, 'en');
    assert.match(step.html, /<div class="answer-box"><p class="question">How many lines does greeting.copy have\?<\/p><\/div>/);
    const { file } = await backend.answer('snippets', 2, '  1 \n', 'en');
    assert.equal(file, path.join(work, 'lab', 'answer-guess'));
    assert.equal(readFileSync(file, 'utf8'), '1\n');
    await assert.rejects(backend.answer('snippets', 0, '3', 'zh'), /第 "remember" 步不需要填写答案/);
    await assert.rejects(backend.answer('snippets', 2, '  ', 'en'), /the answer is empty/);
  });
});
