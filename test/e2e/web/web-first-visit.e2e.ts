// A newcomer's first visit to the page, in Chromium with a Chinese browser: the page speaks the browser's
// language until the learner picks one (then keeps the choice), says that the local sandbox's terminal is
// a root shell on this computer, opens "About this lab" the first time, and shows every command whole,
// with a copy button (long lines wrap, the buttons sit beside the code, never over it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { requires } from '../../helpers/requires.js';
import { serveWithoutEngine, type ServedPage } from './serve-without-engine.js';
import { terminalLines, waitForLine } from './page-terminal.js';

const LONG = `docker run --rm --name first-visit-with-a-long-name --env GREETING=hello-from-a-long-line busybox sh -c 'echo "$GREETING" and more words to make this line wider than the column'`;

const LAB = `---
id: first-visit
title: {en: "First visit", zh: "第一次访问"}
description: {en: "The page on a first visit", zh: "第一次打开页面"}
duration: 5m
level: beginner
---

:::en
The lab's folder is $LAB_DIR.
:::
:::zh
实验目录是 $LAB_DIR。
:::

## step look

:::en Look
\`\`\`sh run
${LONG}
\`\`\`
:::

:::zh 看看
\`\`\`sh run
${LONG}
\`\`\`
:::

\`\`\`check looked
true
\`\`\`

\`\`\`solution
true
\`\`\`
`;

describe('web page on a first visit (Chromium, zh browser)', function () {
  this.timeout(120_000);
  let dir: string;
  let served: ServedPage | undefined;
  let browser: Browser | undefined;
  let url = '';

  before(async function () {
    requires(this, 'chromium');
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-web-first-'));
    mkdirSync(path.join(dir, 'labs', 'first-visit'), { recursive: true });
    writeFileSync(path.join(dir, 'labs', 'first-visit', 'lab.md'), LAB);
    if (!existsSync('dist/web/app.js')) assert.equal(spawnSync('npm', ['run', 'build:web']).status, 0);
    served = await serveWithoutEngine(dir, { BOXLAB_LAB_DIR: path.join(dir, 'work') });
    url = served.url;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const zhPage = async (): Promise<Page> => {
    const context = await browser!.newContext({ locale: 'zh-CN', viewport: { width: 1100, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    const page = await context.newPage();
    await page.goto(url);
    return page;
  };

  it("speaks the browser's language, then keeps the learner's choice", async () => {
    const page = await zhPage();
    await page.waitForSelector('.lab-card[data-lab="first-visit"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.match(await page.innerText('.lab-card[data-lab="first-visit"] .meta'), /5 分钟 · 入门 · 1 步/);
    assert.equal(await page.innerText('#lang-toggle'), 'English');
    await page.click('#lang-toggle');
    await page.waitForSelector('html[lang="en"]');
    await page.reload();
    await page.waitForSelector('.lab-card[data-lab="first-visit"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the choice made on the page outlives a reload');
    assert.match(await page.innerText('.lab-card[data-lab="first-visit"] .meta'), /5 min · beginner · 1 steps/);
    await page.context().close();
  });

  it('says the local terminal is a root shell on this computer', async () => {
    const page = await zhPage();
    await page.waitForSelector('#sandbox-notice:not([hidden])');
    assert.match(await page.innerText('#sandbox-notice'), /这台电脑上的 root shell/);
    await page.context().close();
  });

  it('opens "About this lab" on the first visit only, and shows commands whole with run and copy', async () => {
    const page = await zhPage();
    await page.goto(`${url.replace(/\/\?/, '/?')}#/lab/first-visit`);
    await page.waitForSelector('.snippet pre');
    assert.equal(await page.$eval('details.intro', (d) => (d as HTMLDetailsElement).open), true, 'open on a first visit');
    assert.match(await page.innerText('details.intro'), /实验目录是/);

    const layout = await page.$eval('.snippet', (s) => {
      const box = (e: Element | null) => e!.getBoundingClientRect();
      const pre = s.querySelector('pre')!;
      const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      return {
        wraps: pre.scrollWidth <= pre.clientWidth,
        runOverCode: overlaps(box(s.querySelector('button.run')), box(pre)),
        copyOverCode: overlaps(box(s.querySelector('button.copy')), box(pre)),
        run: s.querySelector('button.run')!.textContent,
      };
    });
    assert.deepEqual(layout, { wraps: true, runOverCode: false, copyOverCode: false, run: '▶ 运行' });

    await page.click('.snippet button.copy');
    await page.waitForSelector('.snippet button.copy:text("已复制")');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), LONG);

    mkdirSync(path.resolve('test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.resolve('test-artifacts/web-first-visit.png') });
    await page.click('details.intro summary');
    // the page keeps the choice when the details element says it toggled (an event after the click)
    await page.waitForFunction(() => localStorage.getItem('boxlab.intro-closed.first-visit') === '1');
    await page.reload();
    await page.waitForSelector('.snippet pre');
    assert.equal(await page.$eval('details.intro', (d) => (d as HTMLDetailsElement).open), false, 'closed by the learner, it stays closed');
    await page.context().close();
  });

  it('opens more terminals as tabs, each its own shell, all back after a reload', async () => {
    const page = await zhPage();
    await page.goto(`${url}#/lab/first-visit`);
    await page.waitForSelector('#terminal[data-session]');
    await page.click('#terminal .terminal-pane[data-tab="0"]');
    await page.keyboard.type('echo "one=$$"\n');
    const one = (await waitForLine(page, /^one=(\d+)$/))[1];

    await page.click('.terminal-tab-add');
    await page.waitForSelector('.terminal-pane[data-tab="1"] .xterm');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.terminal-pane[data-tab="1"]')?.dataset.session);
    await page.click('#terminal .terminal-pane[data-tab="1"]');
    await page.keyboard.type('echo "two=$$"\n');
    const two = (await waitForLine(page, /^two=(\d+)$/))[1];
    assert.notEqual(two, one, 'the second tab is another shell');
    assert.ok(!(await terminalLines(page)).some((l) => /^one=/.test(l)), "the first tab's output is not in the second");

    // a run button types into the tab in front
    await page.click('.snippet button.run');
    await waitForLine(page, /first-visit-with-a-long-name|docker/);

    await page.reload();
    await page.waitForSelector('.terminal-tab[data-tab="1"]');
    await page.click('.terminal-tab[data-tab="1"]');
    await page.click('#terminal .terminal-pane[data-tab="1"]');
    await page.keyboard.type('echo "again=$$"\n');
    assert.equal((await waitForLine(page, /^again=(\d+)$/))[1], two, 'the second tab came back to its own shell');
    await page.click('.terminal-tab[data-tab="0"]');
    await page.click('#terminal .terminal-pane[data-tab="0"]');
    await page.keyboard.type('echo "first=$$"\n');
    assert.equal((await waitForLine(page, /^first=(\d+)$/))[1], one);
    await page.context().close();
  });
});
