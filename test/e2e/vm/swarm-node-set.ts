// One set of Swarm nodes (manager1, worker1, worker2 on the lab network l30-swarm: three docker VMs under
// TCG here) in a boxlab home of its own, as the Swarm e2e files use it: the first `lab start` boots them
// and saves `nodes-fresh`, `lab test labs/<id> --fresh` replays a lab on them (the nodes restored to how
// they booted, the lab's setup, every check failing before its step and passing after, the snippets run
// as a student clicks them), and `lab stop` then `vm delete` must leave nothing: no qemu process of this
// home, no VM folder (the lab network is a qemu multicast socket: no tap or bridge on the host to leave).
// Its own home keeps the node names from meeting another set's VMs; the lab network's multicast group
// includes the home for the same reason, so two sets can run at once (ADR 0033).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BOXLAB_BIN, REPO_ROOT } from '../../helpers/repo-paths.js';
import { requires } from '../../helpers/requires.js';

const run = promisify(execFile);

export const NODES = ['manager1', 'worker1', 'worker2'];

export class SwarmNodeSet {
  private home = '';

  /** a new empty boxlab home */
  async open(): Promise<void> {
    this.home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-swarm-labs-'));
  }

  /** `boxlab <args>` in this set's home, with the qemu provider and TCG's boot time */
  async boxlab(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    const env = { ...process.env, BOXLAB_HOME: this.home, BOXLAB_VM_PROVIDER: 'qemu', BOXLAB_QEMU_ACCEL: process.env.BOXLAB_QEMU_ACCEL ?? '', BOXLAB_VM_BOOT_TIMEOUT: '900' };
    return run(process.execPath, [BOXLAB_BIN, ...args], { env, maxBuffer: 1 << 26, cwd: REPO_ROOT });
  }

  /** the first `lab start`: three cold boots, the snapshot every later lab restores, the lab's setup */
  async startCold(lab: string): Promise<void> {
    const t0 = Date.now();
    const started = await this.boxlab('lab', 'start', lab);
    assert.match(started.stderr, /manager1, worker1, worker2: snapshot "nodes-fresh" saved/);
    const listed = JSON.parse((await this.boxlab('vm', 'list', '--json')).stdout) as Array<{ name: string; state: string; network?: string; engine?: string; memoryMiB: number }>;
    assert.deepEqual(listed.map((v) => [v.name, v.state, v.network, v.engine, v.memoryMiB]).sort(), NODES.map((n) => [n, 'running', 'l30-swarm', 'docker', 1536]));
    say(`lab start ${lab} (three cold boots, setup, snapshots): ${since(t0)}`);
  }

  /** `lab test <lab> --fresh`: every step's check fails before and passes after, no problem reported */
  async replay(id: string): Promise<void> {
    const t0 = Date.now();
    const out = await this.boxlab('lab', 'test', path.join(REPO_ROOT, 'labs', id), '--fresh', '--json').catch((e: { stdout?: string; stderr?: string }) => {
      throw new Error(`lab test ${id} failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    });
    const [report] = JSON.parse(out.stdout) as Array<{ ok: boolean; problems: string[]; steps: Array<{ stepId: string; problems: string[] }> }>;
    assert.deepEqual([id, report!.problems, report!.steps.filter((s) => s.problems.length > 0)], [id, [], []], out.stdout);
    assert.equal(report!.ok, true, out.stdout);
    say(`lab test ${id} --fresh: ${since(t0)}`);
  }

  /** lab stop, then the VMs deleted: no VM record, no VM folder, no qemu process of this home */
  async stopAndDelete(): Promise<void> {
    const stopped = JSON.parse((await this.boxlab('lab', 'stop', '--json')).stdout) as { nodes: Array<{ name: string; was: string }> };
    assert.deepEqual(stopped.nodes.map((n) => [n.name, n.was]), NODES.map((n) => [n, 'running']));
    assert.deepEqual(this.qemuProcesses(), []);
    await this.boxlab('vm', 'delete', ...NODES);
    assert.deepEqual(JSON.parse((await this.boxlab('vm', 'list', '--json')).stdout), []);
    assert.deepEqual(await fs.readdir(path.join(this.home, 'vms')), []);
    assert.deepEqual(this.qemuProcesses(), []);
  }

  /** after a failure too: whatever is left is deleted, and none of this home's qemu processes may outlive it */
  async close(): Promise<void> {
    if (!this.home) return;
    await this.boxlab('vm', 'delete', ...NODES).catch(() => undefined);
    const left = this.qemuProcesses();
    await fs.rm(this.home, { recursive: true, force: true });
    assert.deepEqual(left, [], 'no qemu process of this home is left');
  }

  /** the qemu processes whose command line names a VM folder of this home */
  private qemuProcesses(): string[] {
    try {
      return execFileSync('pgrep', ['-a', '-f', `qemu-system.*${path.join(this.home, 'vms')}/`]).toString().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }
}

/** a mocha suite around one node set: its home opened before, and closed (nothing of it left) after */
export function describeNodeSet(title: string, body: (nodes: SwarmNodeSet) => void): void {
  describe(title, function () {
    this.timeout(3_600_000);
    const nodes = new SwarmNodeSet();
    before(async function () {
      requires(this, 'root', 'qemu');
      await nodes.open();
    });
    after(() => nodes.close());
    body(nodes);
  });
}

/** seconds since t0, for the progress lines */
export function since(t0: number): string {
  return `${((Date.now() - t0) / 1000).toFixed(0)} s`;
}

/** a progress line under the running test */
export function say(line: string): void {
  process.stdout.write(`      ${line}\n`);
}
