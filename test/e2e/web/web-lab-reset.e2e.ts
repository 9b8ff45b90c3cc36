// Starting over and "solve up to this step" from the page, in Chromium: the buttons call the server's
// routes (token cookie, the page's origin), the sandbox changes (the lab's files appear and go), the page
// moves to the step the learner is at; a sandbox that no longer holds the lab (its folder gone, as after a
// new VM) opens with the choice to replay the earlier steps or start over, in both languages (ADR 0014).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fileLabMarkdown } from '../../helpers/file-lab.js';
import { requires } from '../../helpers/requires.js';
import { serveWithoutEngine, type ServedPage } from './serve-without-engine.js';

const LAB = fileLabMarkdown('three-files', ['a', 'b', 'c'], { title: { en: 'Three files', zh: '三个文件' } });

describe('web page: start over and solve up to a step (Chromium)', function () {
  this.timeout(120_000);
  let dir: string;
  let served: ServedPage | undefined;
  let browser: Browser | undefined;
  let url = '';
  const work = () => path.join(dir, 'work');
  const has = (f: string) => existsSync(path.join(work(), f));

  before(async function () {
    requires(this, 'chromium');
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-web-reset-'));
    mkdirSync(path.join(dir, 'labs', 'three-files'), { recursive: true });
    writeFileSync(path.join(dir, 'labs', 'three-files', 'lab.md'), LAB);
    if (!existsSync('dist/web/app.js')) assert.equal(spawnSync('npm', ['run', 'build:web']).status, 0);
    served = await serveWithoutEngine(dir, { BOXLAB_LAB_DIR: work() });
    url = served.url;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const open = async (locale: string, hash = ''): Promise<Page> => {
    const page = await (await browser!.newContext({ locale, viewport: { width: 1200, height: 800 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('close', () => assert.deepEqual(errors, []));
    await page.goto(url);
    await page.waitForSelector('.lab-card[data-lab="three-files"]');
    if (hash) await page.evaluate((h) => (location.hash = h), hash);
    return page;
  };

  it('solves up to step 3, then starts over, through the page', async () => {
    const page = await open('en-US', '#/lab/three-files/c');
    await page.locator('h2', { hasText: '3/3 · Make c' }).waitFor();
    assert.equal(await page.getAttribute('button.solve', 'title'), 'Set the lab up again and run the solutions of steps 1 to 2, each checked, to start at this step');
    await page.click('button.solve');
    await page.locator('.lab-notice.done', { hasText: 'Steps 1 to 2 solved: their solutions ran and their checks passed.' }).waitFor({ timeout: 30_000 });
    assert.ok(has('a') && has('b') && !has('c'), 'the solutions of steps 1 and 2 ran in the sandbox');
    assert.deepEqual(await page.locator('.step-nav li').evaluateAll((lis) => lis.map((li) => li.className)), ['done', 'done', 'current']);

    // start over: asked first; a refusal changes nothing
    page.once('dialog', (d) => void d.dismiss());
    await page.click('button.lab-reset');
    assert.ok(has('a'), 'nothing happened after Cancel');
    page.once('dialog', (d) => {
      assert.match(d.message(), /^Start this lab over\?/);
      void d.accept();
    });
    await page.click('button.lab-reset');
    await page.locator('.lab-notice.done', { hasText: 'The lab was set up again: you are back at step 1.' }).waitFor({ timeout: 30_000 });
    await page.locator('h2', { hasText: '1/3 · Make a' }).waitFor();
    assert.ok(existsSync(work()) && !has('a') && !has('b'), 'teardown and setup ran again');
    assert.equal(await page.locator('button.solve').count(), 0, 'nothing to solve before step 1');
    await page.close();
  });

  it('a sandbox without the lab: the page offers to replay the earlier steps or start over (zh)', async () => {
    const setUp = await open('en-US', '#/lab/three-files/c');
    await setUp.click('button.solve');
    await setUp.locator('.lab-notice.done').waitFor({ timeout: 30_000 });
    await setUp.close();
    // a new VM, a restored snapshot: what the steps made is gone, the learner's progress is not
    rmSync(work(), { recursive: true });

    const page = await open('zh-CN', '#/lab/three-files');
    const lost = page.locator('.lab-notice.sandbox-lost');
    await lost.waitFor({ timeout: 30_000 });
    assert.match(await lost.innerText(), /你在这个实验的第 3 步，但沙箱（local）里已经没有前面各步创建的东西了/);
    assert.equal(existsSync(work()), false, 'opening the page ran nothing in the sandbox');
    assert.equal(await page.locator('.auto-result:not([hidden])').count(), 0, 'no background checks meanwhile');
    assert.equal(await page.innerText('.lab-notice button.restart'), '重新开始');
    await page.click('.lab-notice button.replay');
    await page.locator('.lab-notice.done', { hasText: '第 1 到第 2 步已完成' }).waitFor({ timeout: 30_000 });
    assert.ok(has('a') && has('b'));
    await page.locator('h2', { hasText: '3/3' }).waitFor();
    assert.equal(await page.innerText('button.solve'), '自动完成到这一步');
    await page.close();
  });
});
