// One hosted seat on a real QEMU VM (ADR 0025), in Chromium, two browser contexts (two people, their
// own cookies): the teacher creates a class with `--hosted qemu --pool 1` (one seat, so the pool never
// boots a second VM) and serves it; the teacher's page is open while the pool's VM boots. A student with
// only a browser opens /join, types the code and their name, and lands on the class's lab on the page of
// their own VM: its terminal runs there (`hostname` answers the seat's vm name), the step's commands
// show their output, and Check passes. The teacher's grid shows the student, then the passed check,
// with no reload; a catalog opened and left before it loaded does not draw over the lab. `class close`
// destroys the VM: no qemu process is left. Boots one VM (TCG: ~1 min).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveClass, type ServedClass } from '../../helpers/class-server.js';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';
import { requires } from '../../helpers/requires.js';
import { waitFor } from '../../helpers/wait-for.js';
import { waitForLine } from '../web/page-terminal.js';

const run = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BOXLAB_BIN, ...args], { env, maxBuffer: 8 << 20 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });

/** the grid as the teacher sees it: one object per row, column name to the cell's text */
const gridRows = (page: Page): Promise<Record<string, string>[]> =>
  page.$$eval('#grid tbody tr', (trs) => trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.col ?? '', td.textContent ?? '']))));

/** the qemu processes of a vm (its -name carries process=boxlab-<vm>) */
function qemuOf(vm: string): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-f', `process=boxlab-${vm}`]).toString().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe('classroom: a hosted seat on a QEMU VM, joined from a second browser context (Chromium)', function () {
  this.timeout(900_000);
  let home: string;
  let env: NodeJS.ProcessEnv;
  let server: ServedClass | undefined;
  let browser: Browser | undefined;
  let vm = '';
  let closed = false;

  before(async function () {
    requires(this, 'root', 'qemu', 'chromium');
    assert.ok(existsSync('dist/web/app.js') && existsSync('dist/web/teacher.js'), 'the pages are built (npm run build)');
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-hosted-e2e-'));
    env = { ...process.env, BOXLAB_HOME: home, BOXLAB_LANG: 'en' };
    delete env.BOXLAB_LABS;
    delete env.BOXLAB_VM;
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (!home) return;
    if (!closed) await run(env, 'class', 'close', 'hosted-e2e');
    await fs.rm(home, { recursive: true, force: true });
  });

  it('the student joins from /join, works in the seat\'s VM and passes a check; the teacher\'s grid follows', async () => {
    // one seat, a pool of one, one cpu, 768 MiB (the uncompressed initramfs does not unpack in 512)
    const created = await run(env, 'class', 'create', 'hosted-e2e', '--lab', '03-overlayfs', '--seats', '1', '--hosted', 'qemu', '--pool', '1', '--memory', '768');
    assert.equal(created.code, 0, created.stderr);
    server = await serveClass('hosted-e2e', env, '--listen', '127.0.0.1:0');
    const s = server;

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    const teacher = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await teacher.goto(s.teacherUrl);
    await teacher.waitForSelector('#live.live-live');
    assert.match((await teacher.textContent('#grid tbody')) ?? '', /No student has joined yet/);

    vm = await waitFor('the pool\'s VM ready', () => /sandbox (seat-[0-9a-f]+) is ready/.exec(s.out())?.[1], { timeoutMs: 600_000, intervalMs: 500 });

    // the student: a browser context of their own (no cookie of the teacher's)
    const student = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await student.goto(`${s.url}/join`);
    await student.fill('#code', s.code);
    await student.fill('#name', 'Student 1');
    await student.click('#go');
    await student.waitForURL((u) => u.port !== new URL(s.url).port, { timeout: 120_000 });
    const labPage = new URL(student.url());
    assert.equal(labPage.hash, '#/lab/03-overlayfs', 'the join lands on the class\'s lab');
    assert.equal(labPage.search, '', 'the token is in the cookie now, not in the address');

    await waitFor('the student on the grid', async () => (await gridRows(teacher)).find((r) => r.name === 'Student 1'), { timeoutMs: 30_000 });

    // the page finds the seat's engine through ssh: it says ready (no "engine failed, start it" to a student)
    await student.waitForSelector('#engine-badge[data-state="ready"]', { timeout: 60_000 });
    // the terminal is a shell in the seat's VM: its hostname is the vm's name
    await student.waitForSelector('#terminal[data-session]', { timeout: 120_000 });
    await student.click('#terminal .terminal-pane[data-tab="0"]');
    await student.keyboard.type('hostname\n');
    await waitForLine(student, new RegExp(`^${vm}$`), 60_000);
    // step 1 of the lab, typed as the student would
    await student.keyboard.type('cd "$LAB_DIR" && mkdir -p upper work merged && mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged && ls merged\n');
    await waitForLine(student, /^a\.txt\s+b\.txt\s+big\.bin$/, 60_000);

    await student.click('button.check');
    await student.waitForSelector('.check-result li', { timeout: 120_000 });
    assert.doesNotMatch(await student.innerText('.check-result'), /failed/);

    // the teacher's grid, with no reload: the check the student's page ran
    const checked = await waitFor("the student's passed check on the grid", async () => (await gridRows(teacher)).find((r) => r.name === 'Student 1' && /passed/.test(r.lastCheck)), { timeoutMs: 30_000 });
    assert.match(checked.lastCheck, /^mount: passed (\d+)\/\1 \(\d\d:\d\d:\d\d UTC\)$/);
    assert.equal(checked.lab, '03-overlayfs');

    // the student looks at the catalog and comes back (Back) before it loaded (the seat's catalog asks
    // its VM: seconds under TCG): the catalog's late answer must not draw over the lab and its terminal
    const catalog = student.waitForResponse((r) => new URL(r.url()).pathname === '/api/labs');
    await student.evaluate(() => (location.hash = '#/'));
    await student.goBack();
    await (await catalog).finished();
    await student.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.equal(await student.locator('.catalog').count(), 0, 'the catalog drew over the lab');
    await student.waitForSelector('.lab #terminal[data-session]', { timeout: 60_000 });
    await student.click('#terminal .terminal-pane[data-tab="0"]');
    await student.keyboard.type('echo "back-$((6*7))"\n');
    await waitForLine(student, /^back-42$/, 60_000);
  });

  it('class close destroys the seat\'s VM: no qemu process is left', async function () {
    if (!vm) this.skip();
    await server?.stop();
    const closing = await run(env, 'class', 'close', 'hosted-e2e');
    assert.equal(closing.code, 0, closing.stderr);
    closed = true;
    assert.match(closing.stdout, /1 hosted sandbox destroyed/);
    assert.deepEqual(qemuOf(vm), []);
  });
});
