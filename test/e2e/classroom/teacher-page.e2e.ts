// The teacher's page of a class, in Chromium: `boxlab class serve` prints its address (with the teacher
// token); the page opened there shows the live grid. Two students in own-sandbox mode (each their own
// boxlab home and lab folder on this host) join and do real `lab start` and `lab check` of lab
// 03-overlayfs (no engine needed): the grid shows a student as they join, then their check's result,
// with no reload; a student who fails a step's check three times comes first, as stuck; the page
// switches to Chinese. Without the token, the page is refused, and the token appears in no log line. A
// seat whose boxlab stops beating turns red with since when; a message typed in the field is sent and
// listed; a reset asked from a row shows on it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { serveClass, type ServedClass } from '../../helpers/class-server.js';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';
import { requires } from '../../helpers/requires.js';
import { waitFor } from '../../helpers/wait-for.js';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { env, maxBuffer: 8 << 20 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}
const boxlab = (env: NodeJS.ProcessEnv, ...args: string[]) => run(process.execPath, [BOXLAB_BIN, ...args], env);

type Cells = Record<string, string>;

/** the grid as the teacher sees it: one object per row, column name to the cell's text */
const gridRows = (page: Page): Promise<Cells[]> =>
  page.$$eval('#grid tbody tr', (trs) => trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.col ?? '', td.textContent ?? '']))));

describe('classroom: the teacher page shows the class live (Chromium, real lab checks)', function () {
  this.timeout(300_000);
  let dir: string;
  let teacher: NodeJS.ProcessEnv;
  let server: ServedClass | undefined;
  let url = '';
  let teacherUrl = '';
  let code = '';
  let browser: Browser | undefined;
  let page: Page;
  const students: Record<string, NodeJS.ProcessEnv> = {};

  before(async function () {
    requires(this, 'root', 'overlayfs', 'chromium');
    if (!existsSync('dist/web/teacher.js')) assert.equal((await run('npm', ['run', 'build:web'], process.env)).code, 0);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-teacher-page-'));
    const base: NodeJS.ProcessEnv = { ...process.env, BOXLAB_LANG: 'en', BOXLAB_PROVIDER: 'local' };
    delete base.BOXLAB_LABS;
    delete base.BOXLAB_VM;
    teacher = { ...base, BOXLAB_HOME: path.join(dir, 'teacher') };
    for (const name of ['Ana', 'Bo']) {
      const key = name.toLowerCase();
      students[name] = { ...base, BOXLAB_HOME: path.join(dir, key, 'home'), BOXLAB_LAB_DIR: path.join(dir, key, 'work') };
    }
    const created = await boxlab(teacher, 'class', 'create', 'c-e2e', '--lab', '03-overlayfs', '--seats', '5');
    assert.equal(created.code, 0, created.stderr);
    server = await serveClass('c-e2e', teacher, '--listen', '127.0.0.1:0', '--dead-after', '3s');
    teacherUrl = server.teacherUrl;
    url = new URL(teacherUrl).origin;
    code = server.code;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 700 } });
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (!dir) return;
    for (const env of Object.values(students)) {
      await run('sh', ['-c', 'while mountpoint -q "$BOXLAB_LAB_DIR/merged" 2>/dev/null; do umount "$BOXLAB_LAB_DIR/merged"; done'], env);
    }
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('the teacher page needs the teacher token', async () => {
    const bare = await fetch(`${url}/teacher`);
    assert.equal(bare.status, 401);
    assert.equal((await fetch(`${url}/teacher?token=not-the-token`)).status, 401);
    const page200 = await fetch(teacherUrl);
    assert.equal(page200.status, 200);
    assert.equal(page200.headers.get('referrer-policy'), 'no-referrer');
    assert.match(page200.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  });

  it('opens on an empty class, live', async () => {
    await page.goto(teacherUrl);
    await page.waitForSelector('#live.live-live');
    assert.equal(await page.textContent('#class-title'), 'Class c-e2e');
    assert.match((await page.textContent('#class-info')) ?? '', new RegExp(`0/5 seats · join code: ${code}`));
    assert.match((await page.textContent('#grid tbody')) ?? '', /No student has joined yet/);
    // a mark in the page's own window: still there at the end means the page never reloaded
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  });

  it('a student who joins appears, then their real check\'s result, without a reload', async () => {
    const ana = students.Ana;
    const joined = await boxlab(ana, 'class', 'join', url, '--code', code, '--name', 'Ana', '--no-agent');
    assert.equal(joined.code, 0, joined.stderr);
    const row = await waitFor('Ana on the grid', async () => (await gridRows(page)).find((r) => r.name === 'Ana'));
    assert.deepEqual({ lab: row.lab, step: row.step, state: row.state, lastCheck: row.lastCheck }, { lab: '03-overlayfs', step: '1/4', state: 'not started', lastCheck: '–' });

    assert.equal((await boxlab(ana, 'lab', 'start', '03-overlayfs')).code, 0);
    const mounted = await run('sh', ['-c', 'cd "$BOXLAB_LAB_DIR" && mkdir -p upper work merged && mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged'], ana);
    assert.equal(mounted.code, 0, mounted.stderr);
    const checked = await boxlab(ana, 'lab', 'check');
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);
    const after = await waitFor("Ana's passed check on the grid", async () => (await gridRows(page)).find((r) => r.name === 'Ana' && /passed/.test(r.lastCheck)));
    assert.match(after.lastCheck, /^mount: passed (\d+)\/\1 \(\d\d:\d\d:\d\d UTC\)$/);
    assert.deepEqual({ step: after.step, state: after.state, failed: after.failed, hints: after.hints }, { step: '2/4', state: 'working', failed: '0', hints: '0' });
    assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true);
  });

  it('a student who fails a step three times comes first, as stuck', async () => {
    const bo = students.Bo;
    assert.equal((await boxlab(bo, 'class', 'join', url, '--code', code, '--name', 'Bo', '--no-agent')).code, 0);
    assert.equal((await boxlab(bo, 'lab', 'start', '03-overlayfs')).code, 0);
    for (let i = 1; i <= 3; i++) {
      const failed = await boxlab(bo, 'lab', 'check');
      assert.notEqual(failed.code, 0, failed.stdout);
      const seen = await waitFor(`Bo's failed check ${i} on the grid`, async () => (await gridRows(page)).find((r) => r.name === 'Bo' && r.failed === String(i)));
      assert.match(seen.lastCheck, /^mount: failed \d+\/\d+/);
    }
    const rows = await gridRows(page);
    assert.deepEqual(rows.map((r) => [r.name, r.state, r.failed]), [['Bo', 'stuck', '3'], ['Ana', 'working', '0']]);
    assert.equal(await page.getAttribute('#grid tbody tr:first-child', 'class'), 'state-stuck');
    assert.match((await page.textContent('#class-info')) ?? '', /^2\/5 seats/);
    assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true);
  });

  it('switches to Chinese and keeps the choice', async () => {
    await page.click('#lang-toggle');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.textContent('#grid thead th:first-child'), '学生');
    const rows = await gridRows(page);
    assert.deepEqual(rows.map((r) => [r.name, r.state]), [['Bo', '卡住了'], ['Ana', '进行中']]);
    assert.match(rows[0].lastCheck, /^mount: 未通过 /);
    await page.reload();
    await page.waitForSelector('#live.live-live');
    await waitFor('the grid after the reload', async () => (await gridRows(page)).length === 2);
    assert.equal(await page.textContent('#grid thead th:first-child'), '学生');
  });

  it('writes the teacher token in no log line but the teacher address', async () => {
    const token = decodeURIComponent(/token=(\S+)/.exec(teacherUrl)![1]);
    const lines = server!.out().split('\n').filter((l) => l.includes(token) || l.includes(encodeURIComponent(token)));
    assert.deepEqual(lines.map((l) => l.replace(/:.*/, '')), ['teacher page (the live grid; keep this address to yourself)']);
  });

  it('a seat whose boxlab went silent turns red with since when; a message and a reset go from the page', async () => {
    // Cy's boxlab joins and beats once (as `boxlab class agent` does), then says nothing: the class was served with --dead-after 3s
    const from = new Date().toISOString().slice(11, 19);
    const joined = (await (await fetch(`${url}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name: 'Cy' }) })).json()) as { token: string };
    const beat = await fetch(`${url}/api/seats/me/heartbeat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${joined.token}` }, body: JSON.stringify({ sandbox: 'up' }) });
    assert.equal(beat.status, 200);
    const to = new Date().toISOString().slice(11, 19);
    const dead = await waitFor('Cy dead on the grid', async () => (await gridRows(page)).find((r) => r.name === 'Cy' && r.state.startsWith('沙盒自')));
    // the page is in Chinese since the test before
    const since = /^沙盒自 (\d\d:\d\d:\d\d) UTC 起没有响应（\d+s）$/.exec(dead.state)?.[1];
    assert.ok(since !== undefined && since >= from && since <= to, `${dead.state}: since the heartbeat sent between ${from} and ${to}`);
    assert.equal(await page.getAttribute('#grid tbody tr:first-child', 'class'), 'state-dead', 'the dead seat comes first, red');

    await page.fill('#broadcast-text', 'five minutes left');
    await page.click('#broadcast-send');
    await waitFor('the message in the sent list', async () => /five minutes left/.test((await page.textContent('#sent-list')) ?? ''));
    assert.equal(await page.inputValue('#broadcast-text'), '', 'the field empties once sent');

    page.once('dialog', (d) => void d.accept('1'));
    await page.click('#grid tbody tr:first-child button.reset');
    await waitFor('the reset asked on Cy\'s row', async () => /已请求重置到第 1 步/.test((await page.textContent('#grid tbody tr:first-child .reset-state')) ?? ''));
  });

  it('a broadcast and a reset from the command line show on the open page, the step column at the reset step', async () => {
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const sent = await boxlab(teacher, 'class', 'broadcast', 'c-e2e', 'sent from the terminal');
    assert.equal(sent.code, 0, sent.stderr);
    await waitFor('the CLI message in the sent list', async () => /sent from the terminal/.test((await page.textContent('#sent-list')) ?? ''));
    const reset = await boxlab(teacher, 'class', 'reset', 'c-e2e', 'Ana', '--step', '1');
    assert.equal(reset.code, 0, reset.stderr);
    await waitFor("Ana's step back at 1", async () => (await gridRows(page)).find((r) => r.name === 'Ana')?.step === '1/4');
    assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true);
  });
});
