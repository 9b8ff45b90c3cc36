// Every Swarm lab of labs/ replayed on one node set of real QEMU VMs (TCG here), as CI runs the
// multi-node course within its time (issue 17, ADR 0018 decision 5): `lab start` of the first lab once
// (three docker nodes, manager1, worker1, worker2, booted and saved as `nodes-fresh`, the lab set up and
// its start saved), a second `lab start` of the next lab reusing the running nodes (same shape, same lab
// network), then `lab test labs/<id> --fresh` for each lab of SWARM_LABS: the nodes restored to how they
// booted, the lab's setup, every check failing before its step and passing after, the snippets run as a
// student clicks them. At the end `lab stop` and `vm delete` leave nothing: no qemu process of this
// home, no VM folder (the lab network is a qemu multicast socket: no tap or bridge on the host to leave).
// Its own BOXLAB_HOME, so the node names cannot meet another home's VMs; the lab network's multicast
// group includes the home for the same reason.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { listLabs } from '../../../src/labs/lab-loader.js';
import { requires } from '../../helpers/requires.js';
import { BOXLAB_BIN, REPO_ROOT } from '../../helpers/repo-paths.js';

const run = promisify(execFile);

/** the multi-node labs that share the Swarm node set (manager1, worker1, worker2 on l30-swarm), in course order */
export const SWARM_LABS = ['30-swarm-cluster', '31-swarm-services', '34-cross-host-by-hand'];
/**
 * Swarm labs on main whose whole replay has not passed on TCG nodes yet, with what was seen (issue 17; the
 * seventh session's replays ran at load 10-20): each moves to SWARM_LABS once it has passed here. The
 * first test below keeps every multi-node lab of labs/ in one of the two lists.
 */
export const SWARM_LABS_NOT_YET_REPLAYED: Record<string, string> = {
  '32-swarm-stacks': 'deploy to rollout seen working on the nodes (session 9); session 10 added the cluster check (L11.01) and the steps troubleshoot (L11.06) and rollback (L11.10): session 10 replay (load 4-6): deploy passed (284 s, with the cluster check); publish failed: check mesh got all 9 answers from one task (the solution waits for 3/3 and one answer, not for the ports update to finish); steps after publish not replayed',
  '33-overlay-networks': "session 10 (image with drbg, ADR 0023 addendum): overlay, names, vxlan, ingress and encrypted passed (10 min, replayed without attachable, load 5-8); attachable failed at load 8-10: every docker run on l33-att hit dockerd's 20 s attach wait (6 tries per node); cleanup's namespace wait not replayed yet",
};
/** a lab whose `lab start` shows that a second Swarm lab reuses the running nodes (its setup forms the swarm) */
const SECOND_START = '31-swarm-services';
const NODES = ['manager1', 'worker1', 'worker2'];

describe('swarm labs: the list', () => {
  it('names every multi-node lab of labs/: replayed below, or not yet with what was seen', async () => {
    const multiNode = (await listLabs(path.join(REPO_ROOT, 'labs'))).filter((l) => l.lab.nodes).map((l) => path.basename(l.dir));
    assert.deepEqual(multiNode, [...SWARM_LABS, ...Object.keys(SWARM_LABS_NOT_YET_REPLAYED)].sort());
  });
});

describe('swarm labs on one node set of qemu vms (e2e, TCG)', function () {
  this.timeout(3_600_000);
  let home: string;
  const env = () => ({ ...process.env, BOXLAB_HOME: home, BOXLAB_VM_PROVIDER: 'qemu', BOXLAB_QEMU_ACCEL: process.env.BOXLAB_QEMU_ACCEL ?? '', BOXLAB_VM_BOOT_TIMEOUT: '900' });
  const boxlab = async (...args: string[]) => run(process.execPath, [BOXLAB_BIN, ...args], { env: env(), maxBuffer: 1 << 26, cwd: REPO_ROOT });
  const seconds = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

  before(async function () {
    requires(this, 'root', 'qemu');
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-swarm-labs-'));
  });

  after(async () => {
    if (!home) return;
    await boxlab('vm', 'delete', ...NODES).catch(() => undefined);
    const left = qemuOfHome(home);
    await fs.rm(home, { recursive: true, force: true });
    assert.deepEqual(left, [], 'no qemu process of this home is left');
  });

  it(`replays ${SWARM_LABS.join(', ')} on one set of nodes, restoring them between labs, and leaves nothing behind`, async () => {
    const [first] = SWARM_LABS;
    const second = SECOND_START;
    let t0 = Date.now();
    const started = await boxlab('lab', 'start', first!);
    assert.match(started.stderr, /manager1, worker1, worker2: snapshot "nodes-fresh" saved/);
    const listed = JSON.parse((await boxlab('vm', 'list', '--json')).stdout) as Array<{ name: string; state: string; network?: string; engine?: string; memoryMiB: number }>;
    assert.deepEqual(listed.map((v) => [v.name, v.state, v.network, v.engine, v.memoryMiB]).sort(), NODES.map((n) => [n, 'running', 'l30-swarm', 'docker', 1536]));
    process.stdout.write(`      lab start ${first} (three cold boots, setup, snapshots): ${seconds(t0)}\n`);
    // a docker node (ADR 0008): the shell's docker is Debian's dockerd 20.10; boxlabd still answers at its own
    // socket for the lab checks, and the two engines' bridges take different ranges
    const onManager = async (script: string) => (await boxlab('vm', 'exec', 'manager1', '--', 'sh', '-c', script)).stdout;
    assert.match(await onManager("docker version --format '{{.Server.Version}}'"), /^20\.10\./);
    // (boxlabd makes its bridge for a container on it and drops it when idle: one runs while the addresses are read)
    const boxlabd = 'DOCKER_HOST=unix:///run/boxlab/docker.sock docker';
    assert.equal(await onManager(`${boxlabd} run --rm busybox echo boxlabd`), 'boxlabd\n');
    await onManager(`${boxlabd} run -d --name e2e-variant busybox sleep 300 >/dev/null`);
    assert.match(await onManager('ip -4 -o addr show dev boxlab0; ip -4 -o addr show dev docker0'), /boxlab0\s+inet 172\.17\.0\.1\/16[\s\S]*docker0\s+inet 172\.18\.0\.1\/16/);
    await onManager(`${boxlabd} rm -f e2e-variant >/dev/null`);

    // every Swarm lab has the same nodes and lab network: the next lab's start reuses the running nodes
    t0 = Date.now();
    const reused = await boxlab('lab', 'start', second);
    for (const n of NODES) assert.match(reused.stderr, new RegExp(`${n}: running \\(reused`), reused.stderr);
    process.stdout.write(`      lab start ${second} on the running nodes: ${seconds(t0)}\n`);

    for (const id of SWARM_LABS) {
      t0 = Date.now();
      const out = await boxlab('lab', 'test', path.join(REPO_ROOT, 'labs', id), '--fresh', '--json').catch((e: { stdout?: string; stderr?: string }) => {
        throw new Error(`lab test ${id} failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
      });
      const [report] = JSON.parse(out.stdout) as Array<{ ok: boolean; problems: string[]; steps: Array<{ stepId: string; problems: string[] }> }>;
      assert.deepEqual([id, report!.problems, report!.steps.filter((s) => s.problems.length > 0)], [id, [], []], out.stdout);
      assert.equal(report!.ok, true, out.stdout);
      process.stdout.write(`      lab test ${id} --fresh: ${seconds(t0)}\n`);
    }

    // lab stop, then the VMs deleted: no VM record, no VM folder, no qemu process of this home
    const stopped = JSON.parse((await boxlab('lab', 'stop', '--json')).stdout) as { nodes: Array<{ name: string; was: string }> };
    assert.deepEqual(stopped.nodes.map((n) => [n.name, n.was]), NODES.map((n) => [n, 'running']));
    assert.deepEqual(qemuOfHome(home), []);
    await boxlab('vm', 'delete', ...NODES);
    assert.deepEqual(JSON.parse((await boxlab('vm', 'list', '--json')).stdout), []);
    assert.deepEqual(await fs.readdir(path.join(home, 'vms')), []);
    assert.deepEqual(qemuOfHome(home), []);
  });
});

/** the qemu processes whose command line names a VM folder of this home */
function qemuOfHome(home: string): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-f', `qemu-system.*${path.join(home, 'vms')}/`]).toString().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
