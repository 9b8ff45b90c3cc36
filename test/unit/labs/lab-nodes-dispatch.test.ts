// A multi-node lab's blocks run on their nodes (ADR 0016): setups, solutions, checks (in runs of one node,
// needs across nodes honoured) and teardowns each go to the guest of the node they name, or the first
// node's; `lab check` says which node a check looked at, in en and zh. The nodes here are this host
// (LocalGuest, real bash), one guest per node that tells its scripts which node it is (NODE_HOST), so a
// script that ran on the wrong guest writes the wrong name.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatCheck } from '../../../src/cli/lab-format.js';
import { checkRuns, placementSlowdown, runStepChecks } from '../../../src/labs/check-engine.js';
import { parseLab } from '../../../src/labs/lab-parser.js';
import { checkCurrentStep, labShellPlace, startLab, type LabSessionContext } from '../../../src/labs/lab-session.js';
import { testLab } from '../../../src/labs/lab-tester.js';
import { ProgressStore } from '../../../src/labs/progress-store.js';
import type { Guest } from '../../../src/vm/guest.js';
import { LocalGuest } from '../../../src/vm/providers/local/local-guest.js';
import { SessionLabBackend } from '../../../src/web/lab-backend.js';

const local = new LocalGuest({ warn: null });
/** node <n> of the lab: this host, its scripts told NODE_HOST=<n>; every exec is logged */
function nodeGuest(node: string, log: string[]): Guest {
  return { name: `test:${node}`, exec: (c, o) => (log.push(node), local.exec(c, { ...o, env: { ...o?.env, NODE_HOST: node } })) };
}

const LAB = `---
id: 99-nodes
title: {en: Nodes, zh: 节点}
description: {en: d, zh: d}
nodes: [{name: m1, engine: docker}, {name: w1, engine: docker}]
network: l99-nodes
---

:::en
x
:::
:::zh
x
:::

\`\`\`setup
mkdir -p "$LAB_DIR"; echo "$NODE_HOST $LAB_NODE" > "$LAB_DIR/setup-first"; echo "\${DOCKER_HOST:-none}" > "$LAB_DIR/docker-host"
\`\`\`

\`\`\`setup node=w1
echo "$NODE_HOST $LAB_NODE" > "$LAB_DIR/setup-w1"
\`\`\`

\`\`\`teardown node=w1
echo "$NODE_HOST" > "$LAB_DIR.torn-down"
\`\`\`

## step join
kind: challenge

:::en Join
\`\`\`sh run node=w1
echo "$NODE_HOST" > "$LAB_DIR/snippet"
\`\`\`
:::
:::zh 加入
\`\`\`sh run node=w1
echo "$NODE_HOST" > "$LAB_DIR/snippet"
\`\`\`
:::

\`\`\`check init
test "$(cat "$LAB_DIR/init" 2>/dev/null)" = m1 || fail "m1 has no swarm yet" "m1 还没有集群"
\`\`\`

\`\`\`check joined node=w1 needs=init
test "$(cat "$LAB_DIR/joined" 2>/dev/null)" = w1 || fail "w1 has not joined" "w1 还没有加入"
say "w1 joined ($NODE_HOST)" "w1 已加入（$NODE_HOST）"
\`\`\`

\`\`\`check listed needs=joined
say "$NODE_HOST lists both" "$NODE_HOST 列出了两个节点"
\`\`\`

\`\`\`solution
echo "$NODE_HOST" > "$LAB_DIR/init"
\`\`\`

\`\`\`solution node=w1
echo "$NODE_HOST" > "$LAB_DIR/joined"
\`\`\`
`;

describe('multi-node labs: each block runs on its node', function () {
  this.timeout(60_000);
  let dir: string;
  let store: ProgressStore;
  let ctx: LabSessionContext;
  let log: string[];
  const work = () => path.join(dir, 'work');
  const read = (f: string) => readFileSync(path.join(work(), f), 'utf8').trim();

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-lab-nodes-'));
    mkdirSync(path.join(dir, 'labs', '99-nodes'), { recursive: true });
    writeFileSync(path.join(dir, 'labs', '99-nodes', 'lab.md'), LAB);
    store = new ProgressStore(':memory:');
    log = [];
    ctx = { store, learner: 'ada', labsRoot: path.join(dir, 'labs'), lang: 'en', workDir: work, nodeGuest: (n) => nodeGuest(n, log) };
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('groups checks in runs of one node, in the order their needs ask for', () => {
    const { lab } = parseLab(LAB, 'lab.md');
    assert.deepEqual(checkRuns(lab, lab.steps[0].checks).map((r) => [r.node, r.checks.map((c) => c.name)]), [['m1', ['init']], ['w1', ['joined']], ['m1', ['listed']]]);
    // a check that needs a later one moves after it, and joins its node's run
    const moved = [{ ...lab.steps[0].checks[0], needs: ['joined'] }, { ...lab.steps[0].checks[1], needs: [] }];
    assert.deepEqual(checkRuns(lab, moved).map((r) => [r.node, r.checks.map((c) => c.name)]), [['w1', ['joined']], ['m1', ['init']]]);
  });

  it('runs setups, solutions and checks on their nodes, and lab check names the node of each check', async () => {
    const guest = local; // the single-node sandbox: a multi-node lab must not use it
    const start = await startLab(ctx, guest, '99-nodes');
    assert.equal(start.sandbox, 'test:m1');
    assert.equal(read('setup-first'), 'm1 m1');
    assert.equal(read('setup-w1'), 'w1 w1');

    const before = await checkCurrentStep(ctx, guest);
    assert.deepEqual(before.result.checks.map((c) => [c.name, c.node, c.status]), [['init', 'm1', 'failed'], ['joined', 'w1', 'skipped'], ['listed', 'm1', 'skipped']]);

    writeFileSync(path.join(work(), 'init'), 'm1');
    writeFileSync(path.join(work(), 'joined'), 'w1');
    const after = await checkCurrentStep(ctx, guest);
    assert.deepEqual(after.result.checks.map((c) => [c.name, c.node, c.status, c.message]), [
      ['init', 'm1', 'passed', ''],
      ['joined', 'w1', 'passed', 'w1 joined (w1)'],
      ['listed', 'm1', 'passed', 'm1 lists both'],
    ]);
    assert.match(formatCheck(after, 'en'), /✔ joined \(on w1\): w1 joined \(w1\)\n {2}✔ listed \(on m1\): m1 lists both/);
    ctx.lang = 'zh';
    assert.match(formatCheck(after, 'zh'), /✔ joined（在 w1 上）/);
  });

  it('lab shell opens on the node asked for (default the first), and names the nodes when it has none such', async () => {
    await startLab(ctx, local, '99-nodes');
    assert.deepEqual([(await labShellPlace(ctx)).node, (await labShellPlace(ctx, 'w1')).env.LAB_NODE], ['m1', 'w1']);
    await assert.rejects(labShellPlace(ctx, 'w2'), /lab "99-nodes" has no node "w2"; its nodes: m1, w1/);
  });

  it("the web page: the lab lists its nodes with their addresses, checks run on their nodes and say which, a tab of a node gets LAB_NODE and never the sandbox's DOCKER_HOST", async () => {
    const addresses: Record<string, string> = { m1: '10.10.0.2' };
    // `boxlab serve` on this host passes its own engine's socket: the nodes' shells and scripts must not get it
    const backend = new SessionLabBackend({ ctx, guest: local, nodeAddress: async (n) => addresses[n], env: { DOCKER_HOST: 'unix:///tmp/served.sock' } });
    const page = await backend.open('99-nodes', 'en');
    assert.deepEqual(page.nodes, [{ name: 'm1', engine: 'docker', address: '10.10.0.2' }, { name: 'w1', engine: 'docker' }]);
    assert.equal(read('setup-w1'), 'w1 w1');
    assert.equal(read('docker-host'), 'none');
    assert.equal((await backend.terminalEnv('99-nodes', 'w1')).DOCKER_HOST, undefined);
    const before = await backend.check('99-nodes', 0, 'en');
    assert.deepEqual(before.checks.map((c) => [c.name, c.node, c.status]), [['init', 'm1', 'failed'], ['joined', 'w1', 'skipped'], ['listed', 'm1', 'skipped']]);
    writeFileSync(path.join(work(), 'init'), 'm1');
    writeFileSync(path.join(work(), 'joined'), 'w1');
    const after = await backend.check('99-nodes', 0, 'zh');
    assert.deepEqual(after.checks.map((c) => [c.name, c.node, c.status, c.message]), [['init', 'm1', 'passed', ''], ['joined', 'w1', 'passed', 'w1 已加入（w1）'], ['listed', 'm1', 'passed', 'm1 列出了两个节点']]);
    assert.equal(after.passed, true);
    assert.deepEqual([(await backend.terminalEnv('99-nodes')).LAB_NODE, (await backend.terminalEnv('99-nodes', 'w1')).LAB_NODE], ['m1', 'w1']);
    await assert.rejects(backend.terminalEnv('99-nodes', 'w2'), /lab "99-nodes" has no node "w2"; its nodes: m1, w1/);
  });

  it('a multi-node lab without node guests (a single sandbox) is refused with the way out', async () => {
    delete ctx.nodeGuest;
    await assert.rejects(startLab(ctx, local, '99-nodes'), /lab "99-nodes" runs on several nodes \(m1, w1\): it needs one VM per node/);
    ctx.lang = 'zh';
    await assert.rejects(startLab(ctx, local, '99-nodes'), /实验 "99-nodes" 要在多个节点上运行/);
  });

  it('lab test replays it node by node: checks fail before, the solutions on their nodes, pass after, teardown on w1', async () => {
    const { lab } = parseLab(LAB, 'lab.md');
    const report = await testLab(local, lab, { env: { LAB_ID: lab.id, LAB_DIR: work() }, nodes: { lab, guest: (n) => nodeGuest(n, log) } });
    assert.deepEqual([report.ok, report.problems, report.steps.map((s) => s.problems)], [true, [], [[]]]);
    assert.equal(read('snippet'), 'w1');
    assert.equal(read('init'), 'm1');
    assert.equal(read('joined'), 'w1');
    assert.equal(readFileSync(`${work()}.torn-down`, 'utf8').trim(), 'w1');
    assert.ok(log.includes('m1') && log.includes('w1'));
  });

  it('lab test gives a multi-node lab the budgets of its nodes\' slowdown (TCG nodes), not of the unused sandbox guest', async () => {
    const { lab } = parseLab(LAB, 'lab.md');
    const budgets: Array<number | undefined> = [];
    const slowNode = (n: string): Guest => ({ ...nodeGuest(n, log), slowdown: () => Promise.resolve(10), exec: (c, o) => (budgets.push(o?.timeoutMs), nodeGuest(n, log).exec(c, o)) });
    const report = await testLab(local, lab, { env: { LAB_ID: lab.id, LAB_DIR: work() }, scriptTimeoutMs: 1000, snippetTimeoutMs: 500, nodes: { lab, guest: slowNode } });
    assert.equal(report.ok, true, JSON.stringify(report));
    // setups and solutions get 1 s times 10, the snippet 0.5 s times 10 (checks have their own, also scaled)
    assert.ok(budgets.includes(10_000) && budgets.includes(5_000), JSON.stringify(budgets));
    assert.ok(!budgets.includes(1000) && !budgets.includes(500), JSON.stringify(budgets));
  });

  it("lab test's budgets follow the nodes' slowdown, not the sandbox guest's (the host, while the nodes are TCG VMs)", async () => {
    const { lab } = parseLab(LAB, 'lab.md');
    const slow = (n: string, by: number): Guest => ({ ...nodeGuest(n, log), slowdown: async () => by });
    assert.equal(await placementSlowdown(local, { lab, guest: (n) => slow(n, n === 'w1' ? 10 : 3) }), 10);
    assert.equal(await placementSlowdown(slow('sandbox', 4), undefined), 4);
    assert.equal(await placementSlowdown(local, { lab, guest: (n) => nodeGuest(n, log) }), 1);
  });

  it('a single-node lab still runs every check in the one sandbox, with no node in its results', async () => {
    const { lab } = parseLab(LAB.replace(/^nodes:.*\n^network:.*\n/m, '').replace(/ node=w1/g, ''), 'lab.md');
    const r = await runStepChecks(nodeGuest('only', log), lab.steps[0], { lang: 'en', env: { LAB_DIR: work() } });
    assert.deepEqual(r.checks.map((c) => [c.name, c.node]), [['init', undefined], ['joined', undefined], ['listed', undefined]]);
    assert.deepEqual([...new Set(log)], ['only']);
  });
});
