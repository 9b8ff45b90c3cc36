// When the sandbox's engine cannot start, the page says so with the engine's own output and a Retry
// button, instead of a terminal that silently cannot reach docker.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { requires } from '../../helpers/requires.js';

const BIN = path.resolve('bin/run.js');

describe('web page when the engine fails to start (Chromium)', function () {
  let dir: string;
  let serve: ChildProcess | undefined;
  let log = '';
  let browser: Browser | undefined;

  before(async function () {
    requires(this, 'chromium');
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-web-e2e-fail-'));
    // a plain file where the engine wants a folder: `boxlab engine start` fails at once
    writeFileSync(path.join(dir, 'not-a-dir'), '');
    mkdirSync(path.join(dir, 'labs'));
    if (!existsSync('dist/web/app.js')) assert.equal(spawnSync('npm', ['run', 'build:web']).status, 0);
    serve = spawn('node', [BIN, 'serve', '--no-open', '--socket', path.join(dir, 'not-a-dir', 'docker.sock'), '--engine-root', path.join(dir, 'not-a-dir', 'root'), '--labs', path.join(dir, 'labs')], {
      env: { ...process.env, BOXLAB_HOME: path.join(dir, 'home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    serve.stdout?.on('data', (d) => (log += d));
    serve.stderr?.on('data', (d) => (log += d));
    for (let i = 0; i < 200 && !/token=\S+/.test(log); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(log, /token=/, log);
  });

  after(async function () {
    await browser?.close().catch(() => undefined);
    if (serve && serve.exitCode === null) {
      const exited = new Promise((r) => serve!.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the failure with the engine output and retries on request', async function () {
    this.timeout(120_000);
    // launch() gives Chromium a new, empty, temporary profile and removes it on close
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const page = await browser.newPage();
    await page.goto(/(http:\/\/\S+token=\S+)/.exec(log)![1]);
    await page.waitForSelector('#engine-badge[data-state="failed"]', { timeout: 60_000 });
    const box = await page.innerText('#engine-box');
    assert.match(box, /boxlabd could not be started: exited with code \d+; see the log below, fix it and press retry/);
    assert.match(box, /not-a-dir/, 'the engine output names the path it could not use');
    // Retry starts the engine again: the badge leaves "failed" (checking, starting) and fails again. The
    // start fails within milliseconds, so a DOM poll may miss the states between: the page records every
    // state the badge takes, and the test waits for the states themselves
    await page.evaluate(() => {
      const badge = document.getElementById('engine-badge')!;
      const states: string[] = [];
      (window as unknown as { badgeStates: string[] }).badgeStates = states;
      // each record's old value and then the current one: no state is lost when records come in a batch
      const add = (state: string | null | undefined) => state && state !== states.at(-1) && states.push(state);
      new MutationObserver((records) => {
        for (const r of records) add(r.oldValue);
        add(badge.dataset.state);
      }).observe(badge, { attributes: true, attributeFilter: ['data-state'], attributeOldValue: true });
    });
    const retried = page.waitForResponse((res) => res.url().endsWith('/api/engine/retry') && res.request().method() === 'POST');
    await page.click('#engine-box button');
    assert.equal((await retried).status(), 202, 'POST /api/engine/retry');
    await page.waitForFunction(() => (window as unknown as { badgeStates: string[] }).badgeStates.includes('starting'), undefined, { timeout: 10_000 });
    await page.waitForSelector('#engine-badge[data-state="failed"]', { timeout: 60_000 });
    const states = await page.evaluate(() => (window as unknown as { badgeStates: string[] }).badgeStates);
    assert.deepEqual(states.slice(states.indexOf('starting')), ['starting', 'failed'], `the badge went through ${states.join(' -> ')}`);
    assert.match(await page.innerText('#engine-box'), /boxlabd could not be started: exited with code \d+/);
  });
});
