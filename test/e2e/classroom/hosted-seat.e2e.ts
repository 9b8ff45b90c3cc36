// One hosted seat on a QEMU VM (ADR 0025), in Chromium: the teacher creates a class with `--hosted qemu
// --pool 1` and serves it; the pool's VM boots; a student with only a browser (a second browser context,
// its own cookies) opens /join, types the code and their name, and lands on the lab page of their own
// VM, whose terminal runs in it (its hostname is the seat's vm name); the teacher's page lists the
// student. `class close` destroys the VM. Boots one VM (TCG here: minutes).
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';
import { requires } from '../../helpers/requires.js';
import { waitFor } from '../../helpers/wait-for.js';
import { waitForLine } from '../web/page-terminal.js';

const run = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BOXLAB_BIN, ...args], { env, maxBuffer: 8 << 20 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });

describe('classroom: a hosted seat on a QEMU VM, joined from a browser (Chromium)', function () {
  this.timeout(1_800_000);
  let home: string;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;
  let out = '';
  let browser: Browser | undefined;

  before(async function () {
    requires(this, 'root', 'qemu', 'chromium');
    assert.ok(existsSync('dist/web/app.js'), 'the page is built (npm run build)');
    home = process.env.BOXLAB_E2E_HOME ?? (await fs.mkdtemp('/tmp/boxlab-hosted-e2e-'));
    env = { ...process.env, BOXLAB_HOME: home, BOXLAB_LANG: 'en' };
    delete env.BOXLAB_LABS;
  });
  after(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    if (env) await run(env, 'class', 'close', 'hosted-e2e');
  });

  it('the student joins from /join and works in their own VM; the teacher sees them', async () => {
    // one seat, a pool of one: the pool never refills past the class's seats, so one VM boots, no more
    const created = await run(env, 'class', 'create', 'hosted-e2e', '--lab', '03-overlayfs', '--seats', '1', '--hosted', 'qemu', '--pool', '1');
    assert.equal(created.code, 0, created.stderr);
    const code = /join code: (\w{5})/.exec(created.stdout)![1];
    server = spawn(process.execPath, [BOXLAB_BIN, 'class', 'serve', 'hosted-e2e', '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('the warm pool full', () => out.includes('the warm pool is full') && /sandbox (seat-\w+) is ready/.exec(out), { timeoutMs: 1_500_000, intervalMs: 1000 });
    const classUrl = /is served at (http\S+)/.exec(out)![1];
    const teacherUrl = /teacher page[^:]*: (http\S+)/.exec(out)![1];
    const vm = /sandbox (seat-\w+) is ready/.exec(out)![1];

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    const student = await (await browser.newContext()).newPage();
    await student.goto(`${classUrl}/join`);
    await student.fill('#code', code);
    await student.fill('#name', 'Student 1');
    await student.click('#go');
    await student.waitForURL((u) => u.port !== new URL(classUrl).port, { timeout: 600_000 });
    // the page of the seat's own sandbox: its terminal runs in the VM, whose hostname is the vm's name
    await student.goto(`${new URL(student.url()).origin}/#/lab/03-overlayfs`);
    await student.waitForSelector('#terminal[data-session]', { timeout: 600_000 });
    await student.click('#terminal .terminal-pane[data-tab="0"]');
    await student.keyboard.type('hostname\n');
    await waitForLine(student, new RegExp(`^${vm}$`), 300_000);

    const teacher = await (await browser.newContext()).newPage();
    await teacher.goto(teacherUrl);
    await waitFor('the student on the grid', async () => (await teacher.locator('#grid').textContent())?.includes('Student 1'), { timeoutMs: 30_000 });
  });
});
