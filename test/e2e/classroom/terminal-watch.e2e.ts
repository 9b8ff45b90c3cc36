// Terminal watch and help with consent, in Chromium with two browser contexts (the teacher's and Ana's):
// a real `boxlab class serve`, and Ana's own `boxlab serve` (her home joined the class) with a real shell
// on her lab page. The teacher clicks Ana on the grid: "no terminal to watch" until she opens her lab,
// then her terminal live, what she types included. The teacher asks to help; Ana's page asks her, she
// allows, and what the teacher types runs in her shell (a marker line says so); she stops it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, promises as fs, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { boxlab } from '../../integration/classroom/class-cli.js';
import { serveClass, type ServedClass } from '../../helpers/class-server.js';
import { requires } from '../../helpers/requires.js';
import { waitFor } from '../../helpers/wait-for.js';
import { serveWithoutEngine, type ServedPage } from '../web/serve-without-engine.js';
import { waitForLine } from '../web/page-terminal.js';
import { spawnSync } from 'node:child_process';

const LAB = `---
id: watch-me
title: {en: "Watch me", zh: "看我"}
description: {en: "A shell to watch", zh: "一个可以看的终端"}
duration: 5m
level: beginner
---

:::en
A terminal your teacher can watch.
:::
:::zh
老师可以看的终端。
:::

## step look

:::en Look
Type something.
:::

:::zh 看看
输入点什么。
:::

\`\`\`check looked
true
\`\`\`

\`\`\`solution
true
\`\`\`
`;

const watchedLines = (page: Page) => page.evaluate(() => (window as unknown as { boxlabWatch?: { lines(): string[] } }).boxlabWatch?.lines() ?? []);

describe('classroom: the teacher watches a student\'s terminal and helps with consent (Chromium, two contexts)', function () {
  this.timeout(300_000);
  let dir: string;
  let cls: ServedClass | undefined;
  let ana: ServedPage | undefined;
  let browser: Browser | undefined;
  let teacherPage: Page;
  let anaPage: Page;

  before(async function () {
    requires(this, 'chromium');
    if (!existsSync('dist/web/teacher.js') || !existsSync('dist/web/app.js')) assert.equal(spawnSync('npm', ['run', 'build:web']).status, 0);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-watch-e2e-'));
    const base: NodeJS.ProcessEnv = { ...process.env, BOXLAB_LANG: 'en', BOXLAB_PROVIDER: 'local' };
    delete base.BOXLAB_LABS;
    delete base.BOXLAB_VM;
    const teacher = { ...base, BOXLAB_HOME: path.join(dir, 'teacher') };
    assert.equal((await boxlab(teacher, 'class', 'create', 'c-watch-e2e', '--lab', '03-overlayfs', '--seats', '3')).code, 0);
    cls = await serveClass('c-watch-e2e', teacher, '--listen', '127.0.0.1:0', '--record');
    const own = path.join(dir, 'ana');
    mkdirSync(path.join(own, 'labs', 'watch-me'), { recursive: true });
    writeFileSync(path.join(own, 'labs', 'watch-me', 'lab.md'), LAB);
    const joined = await boxlab({ ...base, BOXLAB_HOME: path.join(own, 'home') }, 'class', 'join', cls.url, '--code', cls.code, '--name', 'Ana', '--no-agent');
    assert.equal(joined.code, 0, joined.stderr);
    ana = await serveWithoutEngine(own, { BOXLAB_LANG: 'en', BOXLAB_LAB_DIR: path.join(own, 'work') });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    teacherPage = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 900 } })).newPage();
    anaPage = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 800 } })).newPage();
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await ana?.stop();
    await cls?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('the teacher sees "no terminal to watch", then what Ana types in her terminal', async () => {
    await teacherPage.goto(cls!.teacherUrl);
    await teacherPage.waitForSelector('#grid tbody tr[data-seat]');
    await teacherPage.click('#grid tbody tr[data-seat] td[data-col="name"]');
    await teacherPage.waitForSelector('#watch:not([hidden])');
    assert.equal(await teacherPage.textContent('#watch-title'), "Ana's terminal (live, read-only)");
    await waitFor('"no terminal to watch"', async () => /No terminal to watch/.test((await teacherPage.textContent('#watch-status')) ?? ''));

    await anaPage.goto(`${ana!.url.replace(/\/\?token=.*/, '')}/?token=${new URL(ana!.url).searchParams.get('token')}#/lab/watch-me`);
    await anaPage.waitForSelector('#terminal[data-session]');
    await anaPage.click('#terminal .terminal-pane[data-tab="0"]');
    await anaPage.keyboard.type('echo "typed-$((6*7))"\n');
    await waitForLine(anaPage, /^typed-42$/);
    await waitFor("Ana's command on the teacher's page", async () => (await watchedLines(teacherPage)).some((l) => l === 'typed-42'));
    assert.match((await teacherPage.textContent('#watch-status')) ?? '', /^watching$/);
    await waitFor("Ana's page to say the class records her terminal", async () => /This class records your terminal for your teacher to replay/.test((await anaPage.textContent('#help-bar')) ?? ''));
  });

  it('the teacher types in her shell only after she allows it, until she stops it', async () => {
    await teacherPage.click('#watch-help');
    await anaPage.waitForSelector('#help-allow');
    assert.match((await anaPage.textContent('#help-bar')) ?? '', /Your teacher asks to type in your terminal\./);
    // typing while only asked goes nowhere: the teacher's terminal takes no input yet
    await teacherPage.click('#watch-terminal');
    await teacherPage.keyboard.type('echo "early-$((6*7))"\n');
    await anaPage.click('#help-allow');
    await waitFor('the teacher told', async () => /Ana allowed you to type/.test((await teacherPage.textContent('#watch-status')) ?? ''));
    await waitForLine(anaPage, /your teacher is helping/);
    await teacherPage.click('#watch-terminal');
    await teacherPage.keyboard.type('echo "teacher-$((6*7))"\n');
    await waitForLine(anaPage, /^teacher-42$/);
    await waitFor('...seen by the teacher too', async () => (await watchedLines(teacherPage)).some((l) => l === 'teacher-42'));
    await anaPage.click('#help-stop');
    await waitFor('the teacher told she stopped', async () => /help stopped/.test((await teacherPage.textContent('#watch-status')) ?? ''));
    await waitForLine(anaPage, /your teacher stopped helping/);
    const lines = await watchedLines(teacherPage);
    assert.ok(!lines.some((l) => l === 'early-42'), 'what the teacher typed before she allowed never ran');
  });

  it('the teacher replays her session: her commands, the help, seekable', async () => {
    await teacherPage.click('#grid tbody tr[data-seat] button.replay');
    await teacherPage.waitForSelector('#replay:not([hidden])');
    assert.equal(await teacherPage.textContent('#replay-title'), "Ana's session (replay)");
    await teacherPage.waitForSelector('#replay-events li[data-index]');
    const events = await teacherPage.$$eval('#replay-events li', (lis) => lis.map((l) => l.textContent ?? ''));
    assert.ok(events.some((e) => /terminal opened/.test(e)), events.join('\n'));
    assert.ok(events.some((e) => /help allowed/.test(e)) && events.some((e) => /help stopped/.test(e)), events.join('\n'));
    const replayed = () => teacherPage.evaluate(() => (window as unknown as { boxlabReplay: { lines(): string[] } }).boxlabReplay.lines());
    assert.ok(!(await replayed()).some((l) => l === 'typed-42'), 'at the start, nothing is shown yet');
    await teacherPage.$eval('#replay-seek', (el) => {
      const input = el as HTMLInputElement;
      input.value = input.max;
      input.dispatchEvent(new Event('input'));
    });
    const lines = await replayed();
    assert.ok(lines.includes('typed-42') && lines.includes('teacher-42'), lines.join('\n'));
    await teacherPage.click('#replay-play');
    await waitFor('the replay played to its end', async () => (await teacherPage.textContent('#replay-play')) === 'Play' && (await replayed()).includes('teacher-42'), { timeoutMs: 120_000 });
  });
});
