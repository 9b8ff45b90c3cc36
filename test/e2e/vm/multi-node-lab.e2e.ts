// A multi-node lab end to end on real QEMU VMs (TCG here), through the CLI as a student types it:
// `lab start` boots one VM per node on the lab's network (the memory preflight passes, the image is the
// cached boxlabd one), `lab check` runs each check on its node and says which node it looked at,
// `lab test` replays the lab node by node (every check fails before its solution and passes after),
// `lab reset` sets it up again on both, `lab shell <node> -c` runs on that node, and a second `lab start`
// reuses the running nodes. Snapshots (ADR 0018): the first start saves nodes-fresh and the lab's start on
// both, `lab reset` restores both from it (files written since are gone, the checks fail again), `lab stop`
// stops both and says the memory freed, the next start resumes them from the snapshot, and after `lab
// stop` and `vm delete` nothing is left: no VM record, no disk, no qemu process. The page (Chromium): a
// terminal tab per node with its lab address, a shell on each node, the "under the hood" panel following
// the tab in front (that node's boxlabd traces its container). Two small boxlabd nodes
// keep it short (ADR 0008: a docker node boots in twice the time).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { requires } from '../../helpers/requires.js';
import { waitForLine } from '../web/page-terminal.js';
import { serveWithoutEngine } from '../web/serve-without-engine.js';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';

const run = promisify(execFile);

describe('multi-node lab on qemu vms (e2e, TCG)', function () {
  this.timeout(1_800_000);
  let home: string;
  let labs: string;
  const tag = `mn${process.pid}`;
  const [a, b] = [`${tag}a`, `${tag}b`];
  const env = () => ({ ...process.env, BOXLAB_HOME: home, BOXLAB_LABS: labs, BOXLAB_VM_PROVIDER: 'qemu', BOXLAB_QEMU_ACCEL: process.env.BOXLAB_QEMU_ACCEL ?? '', BOXLAB_VM_BOOT_TIMEOUT: '600' });
  const boxlab = async (...args: string[]) => run(process.execPath, [BOXLAB_BIN, ...args], { env: env(), maxBuffer: 1 << 24 });
  /** the command's stdout and exit code, also when it fails */
  const boxlabRc = (...args: string[]) => boxlab(...args).then((r) => ({ code: 0, out: r.stdout }), (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }));

  before(async function () {
    requires(this, 'root', 'qemu', 'chromium');
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-multi-node-'));
    labs = path.join(home, 'labs');
    await fs.mkdir(path.join(labs, '98-two-hosts'), { recursive: true });
    await fs.writeFile(path.join(labs, '98-two-hosts', 'lab.md'), twoHosts(a, b, `l98-${tag}`));
  });

  after(async () => {
    if (!home) return;
    await boxlab('vm', 'delete', a, b).catch(() => undefined);
    await fs.rm(home, { recursive: true, force: true });
    assert.deepEqual([...qemuOf(a), ...qemuOf(b)], [], 'no qemu process is left');
  });

  function qemuOf(vm: string): string[] {
    try {
      return execFileSync('pgrep', ['-a', '-f', `process=boxlab-${vm}`]).toString().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  it('boots a vm per node on one lab network, checks each node, opens a shell on a node, and replays the lab node by node', async () => {
    const started = await boxlab('lab', 'start', '98-two-hosts');
    // the nodes as they booted, then the lab's start after its setup, saved on both nodes at once
    assert.match(started.stderr, new RegExp(`${a}, ${b}: snapshot "nodes-fresh" saved[\\s\\S]*${a}, ${b}: snapshot "lab-98-two-hosts-start" saved`));
    const listed = JSON.parse((await boxlab('vm', 'list', '--json')).stdout) as Array<{ name: string; state: string; network?: string; memoryMiB: number }>;
    assert.deepEqual(listed.filter((v) => v.name === a || v.name === b).map((v) => [v.name, v.state, v.network, v.memoryMiB]).sort(), [[a, 'running', `l98-${tag}`, 768], [b, 'running', `l98-${tag}`, 768]]);

    const before = await boxlabRc('lab', 'check');
    assert.equal(before.code, 1);
    assert.match(before.out, new RegExp(`✘ mark \\(on ${a}\\): no mark on ${a}\\n {2}- peer \\(on ${b}\\): skipped`));

    // lab test replays it node by node: every check fails before the solutions and passes after; its teardown empties both nodes
    const [report] = JSON.parse((await boxlab('lab', 'test', path.join(labs, '98-two-hosts'), '--json')).stdout) as Array<{ ok: boolean; problems: string[]; steps: Array<{ problems: string[] }> }>;
    assert.deepEqual([report!.ok, report!.problems, report!.steps.map((s) => s.problems)], [true, [], [[]]]);
    // lab reset sets the lab up again on both nodes
    await boxlab('lab', 'reset');

    // the page: one terminal tab per node (its lab address in the tooltip), each a shell on its VM, and the
    // "under the hood" panel following the tab in front: that node's own boxlabd
    const served = await serveWithoutEngine(home, { BOXLAB_HOME: home, BOXLAB_VM_PROVIDER: 'qemu', BOXLAB_VM_BOOT_TIMEOUT: '600' });
    const context = await chromium.launchPersistentContext(path.join(home, 'chromium-profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      viewport: { width: 1400, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(served.url);
      await page.goto(`${new URL(served.url).origin}/#/lab/98-two-hosts`);
      await page.waitForSelector(`.terminal-tab[data-node="${b}"]`, { timeout: 120_000 });
      const tabs = await page.locator('.terminal-tab').evaluateAll((els) => els.map((t) => [t.textContent ?? '', (t as HTMLElement).title]));
      assert.deepEqual(tabs.map(([n]) => n), [a, b]);
      const addresses = tabs.map(([n, title]) => new RegExp(`^a shell on node ${n} \\((\\d+\\.\\d+\\.\\d+\\.\\d+)\\)$`).exec(title!)?.[1]);
      assert.ok(addresses[0] && addresses[1] && addresses[0] !== addresses[1], JSON.stringify(tabs));
      assert.equal(await page.getAttribute('#trace', 'data-node'), a, 'the panel follows the first node at first');
      await page.click(`.terminal-tab[data-node="${b}"]`);
      await page.waitForSelector(`#trace[data-node="${b}"]`);
      await page.waitForSelector(`.terminal-pane[data-node="${b}"][data-session]`, { timeout: 60_000 });
      await page.keyboard.type('echo "on $(hostname)"; docker run --rm busybox true\n');
      await waitForLine(page, new RegExp(`^on ${b}$`), 120_000);
      // b's container start, traced by b's boxlabd, shows while b's tab is in front; a's panel has none of it
      await page.waitForSelector(`#trace[data-node="${b}"] .trace-item[data-step="runc.run"]`, { timeout: 180_000 });
      await page.click(`.terminal-tab[data-node="${a}"]`);
      await page.waitForSelector(`#trace[data-node="${a}"]`);
      assert.equal(await page.locator('#trace .trace-item[data-step="runc.run"]').count(), 0, `${a}'s panel shows no container of ${b}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      await served.stop();
    }

    // each node's shell is that VM: its host name, and LAB_NODE
    assert.equal((await boxlab('lab', 'shell', b, '-c', 'echo "$(hostname) $LAB_NODE"; touch "$LAB_DIR/seen" /root/since-start')).stdout, `${b} ${b}\n`);
    assert.equal((await boxlab('lab', 'shell', '-c', 'hostname; touch "$LAB_DIR/mark" /root/since-start')).stdout, `${a}\n`);
    const after = await boxlabRc('lab', 'check', '--lang', 'zh');
    assert.equal(after.code, 0, after.out);
    assert.match(after.out, new RegExp(`✔ peer（在 ${b} 上）: ${b} 能连到 ${a}`));

    // reset from the snapshots: both nodes back to the lab's start, what was written on each since is gone, the checks fail again
    const reset = await boxlab('lab', 'reset');
    assert.match(reset.stderr, new RegExp(`${a}, ${b}: restored "lab-98-two-hosts-start"`));
    for (const node of [a, b]) assert.equal((await boxlab('lab', 'shell', node, '-c', 'ls "$LAB_DIR"; test -e /root/since-start && echo kept || echo gone')).stdout, 'gone\n', node);
    assert.match((await boxlabRc('lab', 'check')).out, new RegExp(`✘ mark \\(on ${a}\\): no mark on ${a}`));

    // a second start reuses the running nodes
    const again = await boxlab('lab', 'start', '98-two-hosts');
    assert.match(again.stderr, new RegExp(`${a}: running \\(reused`));

    // lab stop: both VMs stopped, the memory their qemu held given back, no qemu process left
    const stopped = JSON.parse((await boxlab('lab', 'stop', '--json')).stdout) as { freedMiB: number; nodes: Array<{ name: string; was: string; rssMiB?: number }> };
    assert.deepEqual(stopped.nodes.map((n) => [n.name, n.was]), [[a, 'running'], [b, 'running']]);
    assert.ok(stopped.freedMiB > 2 * 100 && stopped.freedMiB === stopped.nodes.reduce((sum, n) => sum + n.rssMiB!, 0), JSON.stringify(stopped));
    assert.deepEqual([...qemuOf(a), ...qemuOf(b)], []);
    // the next start resumes the stopped nodes from the lab's start instead of booting them
    const resumed = await boxlab('lab', 'start', '98-two-hosts');
    assert.match(resumed.stderr, new RegExp(`${a}: running \\(started from "lab-98-two-hosts-start"`));
    assert.equal((await boxlab('lab', 'shell', b, '-c', 'hostname')).stdout, `${b}\n`);

    // lab stop, then the VMs deleted: no VM record, no disk, no qemu process
    await boxlab('lab', 'stop');
    await boxlab('vm', 'delete', a, b);
    const left = JSON.parse((await boxlab('vm', 'list', '--json')).stdout) as Array<{ name: string }>;
    assert.deepEqual(left.filter((v) => v.name === a || v.name === b), []);
    assert.deepEqual(await fs.readdir(path.join(home, 'vms')), []);
    assert.deepEqual([...qemuOf(a), ...qemuOf(b)], []);
  });
});

function twoHosts(a: string, b: string, network: string): string {
  return `---
id: 98-two-hosts
title: {en: "Two hosts", zh: "两台主机"}
description: {en: "two nodes on one lab network", zh: "一个实验网络上的两个节点"}
nodes:
  - {name: ${a}, memory: 768M}
  - {name: ${b}, memory: 768M}
network: ${network}
---

:::en
Two hosts.
:::
:::zh
两台主机。
:::

\`\`\`setup
mkdir -p "$LAB_DIR"
\`\`\`

\`\`\`setup node=${b}
mkdir -p "$LAB_DIR"
\`\`\`

\`\`\`teardown
rm -rf "$LAB_DIR"
\`\`\`

\`\`\`teardown node=${b}
rm -rf "$LAB_DIR"
\`\`\`

## step reach
kind: challenge

:::en Reach
Leave a mark on each host.
:::
:::zh 到达
在每台主机上留下标记。
:::

\`\`\`check mark
test -f "$LAB_DIR/mark" || fail "no mark on $(hostname)" "$(hostname) 上没有标记"
say "mark on $(hostname)" "$(hostname) 上有标记"
\`\`\`

\`\`\`check peer node=${b} needs=mark
ping -c 1 -W 5 ${a} >/dev/null || fail "$(hostname) cannot reach ${a}" "$(hostname) 连不上 ${a}"
test -f "$LAB_DIR/seen" || fail "no seen on $(hostname)" "$(hostname) 上没有 seen"
say "$(hostname) reaches ${a}" "$(hostname) 能连到 ${a}"
\`\`\`

\`\`\`solution
touch "$LAB_DIR/mark"
\`\`\`

\`\`\`solution node=${b}
touch "$LAB_DIR/seen"
\`\`\`
`;
}
