// The web page as a student uses it, in Debian's Chromium driven by playwright-core (never a downloaded
// browser): `boxlab serve` starts its own engine (provider local, temp root and socket), the page opens
// with the token, a lab is picked, `docker run --rm busybox echo hi` is typed into the real terminal,
// Check gives a result, the "under the hood" panel shows the container's mount and runc steps, and a
// reload comes back to the same shell. A screenshot is kept in test-artifacts/.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { requires } from '../../helpers/requires.js';
import { waitForLine } from './page-terminal.js';

const BIN = path.resolve('bin/run.js');
const ARTIFACTS = path.resolve('test-artifacts');

const LAB = `---
id: web-e2e
title: {en: "Web page end to end", zh: "网页端到端"}
description: {en: "Run a container from the page's terminal", zh: "在网页终端里运行一个容器"}
duration: 20m
level: beginner
tags: [web]
needs: {engine: true, images: [busybox]}
---

:::en
A lab for the web page's end-to-end test.
:::
:::zh
网页端到端测试用的实验。
:::

\`\`\`setup
mkdir -p "$LAB_DIR"
\`\`\`

\`\`\`teardown
rm -rf "$LAB_DIR"
\`\`\`

## step run

:::en Run a container
Run busybox through boxlabd:

\`\`\`sh run
docker run --rm busybox echo hi
\`\`\`
:::

:::zh 运行容器
通过 boxlabd 运行 busybox：

\`\`\`sh run
docker run --rm busybox echo hi
\`\`\`
:::

\`\`\`check engine-has-busybox timeout=20s
docker image inspect busybox >/dev/null 2>&1 || fail "busybox is not in the engine yet" "引擎里还没有 busybox"
say "busybox is in the engine at $DOCKER_HOST" "busybox 已经在 $DOCKER_HOST 的引擎里"
\`\`\`

\`\`\`hint lang=en
Which images does the engine have? docker images
\`\`\`

\`\`\`hint lang=en
Bake it: boxlab image bake busybox
\`\`\`

\`\`\`hint lang=zh
引擎里有哪些镜像？docker images
\`\`\`

\`\`\`hint lang=zh
先构建镜像：boxlab image bake busybox
\`\`\`

\`\`\`solution
docker run --rm busybox echo hi
\`\`\`
`;

// a unique id: the tutorial's folder is /tmp/boxlab-tutorial/<id> in the sandbox (this host here)
const TUTORIAL_ID = `web-e2e-tutorial-${process.pid}`;
const TUTORIAL = `---
id: ${TUTORIAL_ID}
title: Web tutorial end to end
lang: en
needs: {engine: true, images: [busybox]}
---

# Web tutorial end to end

Run a container and read what it says:

\`\`\`sh
docker run --rm busybox echo hello-from-the-tutorial
\`\`\`

\`\`\`output
hello-from-the-tutorial
\`\`\`

A step whose page is wrong, to see the difference:

\`\`\`sh
echo $((6*7))
\`\`\`

\`\`\`output
41
\`\`\`
`;

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function processesMentioning(text: string): string[] {
  const r = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.includes(text) && !l.includes('ps -eo'));
}

describe('web lab page (Chromium)', function () {
  let dir: string;
  let socket: string;
  let serve: ChildProcess | undefined;
  let serveLog = '';
  let url: string;
  let origin: string;
  let context: BrowserContext | undefined;

  before(async function () {
    requires(this, 'root', 'runc', 'docker-cli', 'busybox', 'chromium');
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-web-e2e-'));
    socket = path.join(dir, 'docker.sock');
    mkdirSync(path.join(dir, 'labs', 'web-e2e'), { recursive: true });
    writeFileSync(path.join(dir, 'labs', 'web-e2e', 'lab.md'), LAB);
    mkdirSync(path.join(dir, 'tutorials'));
    writeFileSync(path.join(dir, 'tutorials', `${TUTORIAL_ID}.md`), TUTORIAL);
    if (!existsSync('dist/web/app.js')) {
      const build = spawnSync('npm', ['run', 'build:web'], { encoding: 'utf8' });
      assert.equal(build.status, 0, build.stderr);
    }
    serve = spawn(
      'node',
      [BIN, 'serve', '--no-open', '--port', '0', '--provider', 'local', '--socket', socket, '--engine-root', path.join(dir, 'root'), '--labs', path.join(dir, 'labs'), '--lang', 'en'],
      { env: { ...process.env, BOXLAB_TUTORIALS: path.join(dir, 'tutorials'), BOXLAB_HOME: path.join(dir, 'home'), BOXLAB_LAB_DIR: path.join(dir, 'work'), HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    serve.stdout?.on('data', (d) => (serveLog += d));
    serve.stderr?.on('data', (d) => (serveLog += d));
    for (let i = 0; i < 200 && !/http:\/\/\S+token=\S+/.test(serveLog); i++) await new Promise((r) => setTimeout(r, 100));
    const printed = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/.exec(serveLog);
    assert.ok(printed, `boxlab serve printed no URL:\n${serveLog}`);
    url = printed[0];
    origin = printed[1];
    // serve starts boxlabd itself; wait for it, then bake busybox into that engine
    let state = '';
    for (let i = 0; i < 300 && state !== 'ready'; i++) {
      state = (JSON.parse((await get(`${origin}/api/engine?token=${printed[2]}`)).body) as { state: string }).state;
      if (state === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(state, 'ready', `the engine did not come up:\n${serveLog}`);
    const bake = spawnSync('node', [BIN, 'image', 'bake', 'busybox', '--socket', socket], { encoding: 'utf8' });
    assert.equal(bake.status, 0, bake.stderr);
  });

  after(async function () {
    this.timeout(60_000);
    await context?.close().catch(() => undefined);
    if (serve && serve.exitCode === null) {
      const exited = new Promise((r) => serve!.once('exit', r));
      serve.kill('SIGTERM');
      const timer = setTimeout(() => serve?.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    assert.equal(existsSync(`/tmp/boxlab-tutorial/${TUTORIAL_ID}`), false, 'serve cleaned up the tutorial folder');
    if (dir) {
      const left = processesMentioning(dir);
      rmSync(dir, { recursive: true, force: true });
      assert.deepEqual(left, [], 'nothing started by the test is still running');
    }
  });

  it('refuses the page, the API and the terminal without the token', async () => {
    assert.equal((await get(`${origin}/`)).status, 401);
    assert.equal((await get(`${origin}/api/labs`)).status, 401);
    assert.equal((await get(`${origin}/api/labs`, { cookie: 'boxlab_token=guess' })).status, 403);
    const upgrade = await new Promise<number>((resolve, reject) => {
      const req = http.get(`${origin}/ws/terminal?lab=web-e2e`, { headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('upgrade', () => resolve(101));
      req.on('error', reject);
    });
    assert.equal(upgrade, 401);
  });

  it('runs a lab in the browser: terminal, check, trace panel, reconnect to the same shell', async function () {
    this.timeout(180_000);
    context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      viewport: { width: 1400, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(url);
    assert.equal(new URL(page.url()).search, '', 'the token left the address bar');
    await page.waitForSelector('[data-state="ready"]', { timeout: 30_000 });
    const card = page.locator('.lab-card[data-lab="web-e2e"]');
    await card.waitFor();
    assert.match(await card.innerText(), /Web page end to end[\s\S]*20 min · beginner/);

    // the zh/en toggle
    await page.click('#lang-toggle');
    await page.locator('.lab-card[data-lab="web-e2e"] h3', { hasText: '网页端到端' }).waitFor();
    await page.click('#lang-toggle');
    await page.locator('.lab-card[data-lab="web-e2e"] h3', { hasText: 'Web page end to end' }).waitFor();

    await card.locator('a').click();
    await page.waitForSelector('.step-text button.run');
    // the background check speaks quietly, before any Check: busybox is already in the engine
    await page.waitForSelector('.auto-result[data-passed="true"]', { timeout: 30_000 });
    await page.waitForSelector('#terminal[data-session]', { timeout: 20_000 });
    const session = await page.getAttribute('#terminal', 'data-session');

    await page.click('#terminal');
    await page.keyboard.type('docker run --rm busybox echo hi\n');
    await waitForLine(page, /^hi$/);
    // the snippet's run button types the same command into the shell
    await page.click('.step-text button.run');
    await page.waitForFunction(() => {
      const b = (window as unknown as { boxlabTerminal: { term: { buffer: { active: { length: number; getLine(i: number): { translateToString(t: boolean): string } | undefined } } } } }).boxlabTerminal.term.buffer.active;
      let n = 0;
      for (let i = 0; i < b.length; i++) if (b.getLine(i)?.translateToString(true) === 'hi') n++;
      return n >= 2;
    }, undefined, { timeout: 30_000 });

    // progressive hints: a nudge first, the command on the second ask, then no more
    const hintButton = page.locator('.hints button.hint-button');
    assert.equal(await hintButton.innerText(), 'Hint');
    await hintButton.click();
    await page.locator('.hints li.hint', { hasText: 'hint 1 of 2 Which images does the engine have? docker images' }).waitFor();
    assert.equal(await hintButton.innerText(), 'Another hint');
    await hintButton.click();
    await page.locator('.hints li.hint', { hasText: 'hint 2 of 2 Bake it: boxlab image bake busybox' }).waitFor();
    assert.equal(await page.locator('.hints li.hint').count(), 2);
    assert.equal(await hintButton.isDisabled(), true);
    assert.equal(await hintButton.innerText(), 'that was the last hint');

    await page.click('button.check');
    await page.waitForSelector('.check-result li', { timeout: 30_000 });
    const result = await page.innerText('.check-result');
    assert.match(result, /passed engine-has-busybox — busybox is in the engine at unix:\/\//);

    await page.waitForSelector('.trace-item[data-step="mount.overlay"]', { timeout: 20_000 });
    // the container of docker run --rm is gone; its story stays, marked removed
    await page.waitForSelector('.trace-phase[data-removed]', { timeout: 20_000 });
    assert.match(await page.innerText('.trace-phase[data-removed]'), /· removed$/);
    await page.waitForSelector('.trace-item[data-step="runc.run"]', { timeout: 20_000 });
    const mount = await page.innerText('.trace-item[data-step="mount.overlay"]');
    assert.match(mount, /mounted overlayfs at/);
    assert.match(mount, /learn it by hand: 03-overlayfs \/ mount/);
    // grouped by phase, with a command to see the same thing on the sandbox
    await page.waitForSelector('.trace-phase[data-phase="storage"]');
    assert.match(await page.innerText('.trace-item[data-step="spec.write"] .see-it code'), /^cat \/.*\/config\.json$/);
    // this lab's story by default: the busybox bake before the page opened shows only on request
    assert.equal(await page.locator('.trace-item[data-step="image.load"]').count(), 0);
    await page.click('.trace-scope');
    await page.waitForSelector('.trace-item[data-step="image.load"]');
    await page.click('.trace-scope');

    // a port the student publishes opens in the browser through the lab server
    await page.click('#terminal');
    await page.keyboard.type(`docker run -d --name web-e2e-port -p 80 busybox sh -c 'mkdir -p /www && echo hello-through-the-lab-server > /www/index.html && exec httpd -f -p 80 -h /www'\n`);
    await page.waitForSelector('.ports li a', { timeout: 30_000 });
    const portPage = `${origin}${await page.getAttribute('.ports li a', 'href')}`;
    assert.match(await page.innerText('.ports li'), /^:\d+ → web-e2e-port:80$/);
    const served = await context!.newPage();
    const deadline = Date.now() + 20_000;
    // httpd listens a moment after the container starts: until then the lab server answers 502
    while ((await served.goto(portPage))?.status() !== 200) {
      assert.ok(Date.now() < deadline, `the published port never answered: ${await served.content()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(await served.innerText('body'), /hello-through-the-lab-server/);
    await served.close();
    await page.click('#terminal');
    await page.keyboard.type('docker rm -f web-e2e-port\n');
    await page.waitForSelector('.ports', { state: 'hidden', timeout: 30_000 });

    await page.click('#terminal');
    await page.keyboard.type('echo "pid=$$"\n');
    const before = (await waitForLine(page, /^pid=(\d+)$/))[1];

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-lab.png') });

    // a reload (or a dropped network) comes back to the same shell
    await page.reload();
    await page.waitForSelector('#terminal[data-session]', { timeout: 20_000 });
    assert.equal(await page.getAttribute('#terminal', 'data-session'), session);
    await page.click('#terminal');
    await page.keyboard.type('echo "again=$$"\n');
    const after = (await waitForLine(page, /^again=(\d+)$/))[1];
    assert.equal(after, before, 'the same shell process answers after the reconnect');
    assert.deepEqual(errors, []);
    assert.ok(readFileSync(path.join(ARTIFACTS, 'web-lab.png')).length > 10_000);
  });
  it('plays a tutorial: run its first step and see the output match, a wrong page shows the diff', async function () {
    this.timeout(120_000);
    context ??= await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      viewport: { width: 1400, height: 900 },
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    const card = page.locator(`.tutorial-card[data-tutorial="${TUTORIAL_ID}"]`);
    await card.waitFor({ timeout: 30_000 });
    assert.match(await card.innerText(), /Web tutorial end to end[\s\S]*2 steps/);
    await card.locator('a').click();
    await page.waitForSelector('.tutorial pre.script');
    assert.equal(await page.innerText('.tutorial pre.script'), 'docker run --rm busybox echo hello-from-the-tutorial');
    await page.waitForSelector('#terminal[data-session]', { timeout: 20_000 });

    // Run: the step goes through the Guest and the output matcher judges it
    await page.click('button.tutorial-run');
    await page.waitForSelector('.tutorial-result[data-status]', { timeout: 60_000 });
    assert.equal(await page.getAttribute('.tutorial-result', 'data-status'), 'passed', await page.innerText('.tutorial-result'));
    assert.equal((await page.innerText('.tutorial-result pre.expected')).trim(), 'hello-from-the-tutorial');
    assert.equal((await page.innerText('.tutorial-result pre.actual')).trim(), 'hello-from-the-tutorial');
    assert.match(await page.innerText('.tutorial-result'), /output matches/);
    await page.waitForSelector('.trace-item[data-step="runc.run"]', { timeout: 20_000 });

    // the same step typed into the terminal, which starts in the tutorial's folder
    await page.click('button.tutorial-type');
    await waitForLine(page, /^hello-from-the-tutorial$/);
    await page.click('#terminal');
    await page.keyboard.type('echo "cwd=$PWD"\n');
    await waitForLine(page, new RegExp(`^cwd=/tmp/boxlab-tutorial/${TUTORIAL_ID}$`));

    // next: the page is wrong on purpose, and the diff says where
    await page.click('button.next');
    await page.locator('.tutorial pre.script', { hasText: 'echo $((6*7))' }).waitFor();
    await page.click('button.tutorial-run');
    await page.waitForSelector('.tutorial-result[data-status="failed"]', { timeout: 30_000 });
    assert.match(await page.innerText('.tutorial-result pre.diff'), /- 41\n\+ 42/);
    assert.match(await page.innerText('.tutorial-nav'), /docker run --rm busybox/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-tutorial.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
