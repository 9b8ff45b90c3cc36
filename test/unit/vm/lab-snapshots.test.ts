// Snapshots of a multi-node lab's nodes (src/vm/lab-snapshots.ts, ADR 0018), with a provider that keeps
// snapshots in memory: the first bring-up saves nodes-fresh on every node it creates; the lab's start
// snapshot is named per lab (two labs on the same node names keep their own); the session's hook restores
// the lab's start when every node has it, clean nodes when not, and saves the start after a setup; stopped
// nodes resume from a snapshot; `lab stop` stops the running nodes and adds up what they held.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseLab } from '../../../src/labs/lab-parser.js';
import { bringUpLabNodesFrom, stopLabNodes } from '../../../src/vm/lab-nodes.js';
import { hostsNamingPeers } from '../../../src/vm/lab-peers.js';
import { FRESH_SNAPSHOT, labNodeSnapshots, labSnapshotName, restoreFreshNodes, restoreNodes } from '../../../src/vm/lab-snapshots.js';
import { parseUsedMiB, parseVmRssMiB } from '../../../src/vm/vm-memory.js';
import { VM_NAME_PATTERN } from '../../../src/vm/vm-record.js';
import { VmService } from '../../../src/vm/vm-service.js';
import type { Guest } from '../../../src/vm/guest.js';
import type { VmHandle, VmProvider, VmStatus } from '../../../src/vm/vm-provider.js';

/** snapshots as a set per vm; the "state" of a vm is the last snapshot it was restored to, or what ran on it */
class SnapshotProvider implements VmProvider {
  readonly name = 'qemu' as const;
  readonly capabilities = ['snapshots', 'memorySnapshots', 'stopStart'] as const;
  calls: string[] = [];
  running = new Set<string>();
  snaps = new Map<string, Set<string>>();
  execs: string[] = [];
  async validate() {}
  async create(vm: VmHandle) {
    this.calls.push(`create ${vm.name}`);
    await fs.mkdir(vm.dir, { recursive: true });
  }
  /** boots under way at once, and the most seen */
  booting = 0;
  mostBooting = 0;
  /** a boot ends once this many are under way together (or after 5 s: boots one after another end too) */
  bootTogether = 1;
  private waiting: Array<() => void> = [];
  async start(vm: VmHandle) {
    this.calls.push(`boot ${vm.name}`);
    this.mostBooting = Math.max(this.mostBooting, ++this.booting);
    if (this.booting >= this.bootTogether) this.waiting.splice(0).forEach((go) => go());
    else await new Promise<void>((go) => { this.waiting.push(go); setTimeout(go, 5000); });
    this.booting--;
    this.running.add(vm.name);
  }
  async stop(vm: VmHandle) {
    this.calls.push(`stop ${vm.name}`);
    this.running.delete(vm.name);
  }
  async destroy(vm: VmHandle) {
    await fs.rm(vm.dir, { recursive: true, force: true });
  }
  async status(vm: VmHandle): Promise<VmStatus> {
    return { state: this.running.has(vm.name) ? 'running' : 'stopped' };
  }
  /** each vm's /etc/hosts: what its init wrote at boot (the peers it was made with), then what `sh -c 'cat > /etc/hosts'` got */
  hosts = new Map<string, string>();
  async guest(vm: VmHandle): Promise<Guest> {
    return {
      name: `fake:${vm.name}`,
      exec: async (cmd, options) => {
        const argv = Array.isArray(cmd) ? cmd : ['script'];
        this.execs.push(`${vm.name}: ${argv[0]}`);
        const boot = Object.entries(vm.spec.network?.peers ?? {}).map(([n, a]) => `${a.replace(/\/\d+$/, '')} ${n}\n`).join('');
        const hosts = this.hosts.get(vm.name) ?? `127.0.0.1 localhost\n${boot}`;
        if (argv[0] === 'cat') return { exitCode: 0, stdout: hosts, stderr: '' };
        if (argv[0] === 'sh') this.hosts.set(vm.name, options?.input ?? '');
        return { exitCode: 0, stdout: '', stderr: '' };
      },
    } as Guest;
  }
  async snapshot(vm: VmHandle, snap: string) {
    this.calls.push(`savevm ${vm.name} ${snap}`);
    if (!this.snaps.has(vm.name)) this.snaps.set(vm.name, new Set());
    this.snaps.get(vm.name)!.add(snap);
  }
  async restore(vm: VmHandle, snap: string) {
    if (!this.snaps.get(vm.name)?.has(snap)) throw new Error(`no snapshot ${snap}`);
    this.calls.push(`loadvm ${vm.name} ${snap}`);
    this.running.add(vm.name);
  }
  async listSnapshots(vm: VmHandle) {
    return [...(this.snaps.get(vm.name) ?? [])];
  }
}

const labOf = (id: string) =>
  parseLab(['---', `id: ${id}`, 'title: {en: S, zh: S}', 'nodes:', '  - {name: manager1, memory: 768M}', '  - {name: worker1, memory: 768M}', 'network: l39-swarm', '---'].join('\n'), 'lab.md').lab;

describe('multi-node labs: snapshots of the nodes', () => {
  let root: string;
  let p: SnapshotProvider;
  let svc: VmService;
  const up = (lab = labOf('30-swarm-cluster'), startFrom?: string[]) => bringUpLabNodesFrom(svc, lab, { availableMiB: 1 << 20, installed: { has: () => false }, ...(startFrom ? { startFrom } : {}) });
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-lab-snaps-'));
    p = new SnapshotProvider();
    svc = new VmService({ root, providerFor: () => p });
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('names the start snapshot after the lab, within the vm name rule, a long id shortened with a hash of the whole', () => {
    assert.equal(labSnapshotName('30-swarm-cluster'), 'lab-30-swarm-cluster-start');
    const [a, b] = [labSnapshotName('31-services-and-rolling-updates'), labSnapshotName('31-services-and-rolling-upgrades')];
    for (const n of [a, b]) assert.match(n, VM_NAME_PATTERN);
    assert.match(a, /^lab-31-services-an-[0-9a-f]{6}-start$/);
    assert.notEqual(a, b);
  });

  it('boots the nodes it creates at the same time, saves nodes-fresh on every one, and not again when it reuses them', async () => {
    p.bootTogether = 2;
    const first = await up();
    assert.equal(first.created, true);
    assert.deepEqual(first.vms.map((v) => v.name), ['manager1', 'worker1']);
    assert.equal(p.mostBooting, 2, 'both nodes boot at once');
    for (const n of ['manager1', 'worker1']) assert.deepEqual(p.calls.filter((c) => c.endsWith(` ${n}`)), [`create ${n}`, `boot ${n}`]);
    assert.deepEqual(p.calls.slice(4), [`savevm manager1 ${FRESH_SNAPSHOT}`, `savevm worker1 ${FRESH_SNAPSHOT}`]);
    p.calls = [];
    p.execs = [];
    assert.equal((await up()).created, false);
    assert.deepEqual(p.calls, []);
    assert.deepEqual(p.execs, [], 'running nodes reused as they are: no command on them');
  });

  it('restores the lab start when every node has it, clean nodes for a lab without one, and saves the start after a setup', async () => {
    const { created } = await up();
    const released: string[] = [];
    const hook = labNodeSnapshots(svc, { fresh: created, release: async (n) => void released.push(n) });
    const lab30 = labOf('30-swarm-cluster');
    const lab31 = labOf('31-services');
    p.calls = [];
    // just created: nothing to restore, the setup runs, then its start is saved on both nodes
    assert.equal(await hook.restore(lab30), 'none');
    await hook.save(lab30);
    assert.deepEqual(p.calls, ['savevm manager1 lab-30-swarm-cluster-start', 'savevm worker1 lab-30-swarm-cluster-start']);
    p.calls = [];
    // a reset: both nodes back to lab 30's start, their clocks set, no setup
    assert.equal(await hook.restore(lab30), 'start');
    assert.deepEqual(p.calls, ['loadvm manager1 lab-30-swarm-cluster-start', 'loadvm worker1 lab-30-swarm-cluster-start']);
    assert.deepEqual(p.execs.filter((e) => e.endsWith(': date')).sort(), ['manager1: date', 'worker1: date']);
    assert.deepEqual(released.sort(), ['manager1', 'manager1', 'worker1', 'worker1']);
    p.calls = [];
    // another lab on the same nodes: clean nodes first, then its own setup and start
    assert.equal(await hook.restore(lab31), 'fresh');
    assert.deepEqual(p.calls, [`loadvm manager1 ${FRESH_SNAPSHOT}`, `loadvm worker1 ${FRESH_SNAPSHOT}`]);
    await hook.save(lab31);
    assert.deepEqual([...p.snaps.get('worker1')!].sort(), ['lab-30-swarm-cluster-start', 'lab-31-services-start', FRESH_SNAPSHOT]);
    // --fresh: lab 30 set up again on clean nodes, whatever its own start snapshot
    p.calls = [];
    assert.equal(await labNodeSnapshots(svc, { ignoreStart: true }).restore(lab30), 'fresh');
    assert.deepEqual(p.calls, [`loadvm manager1 ${FRESH_SNAPSHOT}`, `loadvm worker1 ${FRESH_SNAPSHOT}`]);
    // between two replays on one node set (lab test --fresh)
    p.calls = [];
    assert.equal(await restoreFreshNodes(svc, lab31), true);
    assert.equal(p.calls.length, 2);
  });

  it('restores nothing when a node lacks the snapshot (a node made later), and sets the lab up there', async () => {
    await up();
    p.snaps.get('worker1')!.clear();
    p.calls = [];
    assert.equal(await labNodeSnapshots(svc).restore(labOf('30-swarm-cluster')), 'none');
    assert.deepEqual(p.calls, []);
  });

  it('resumes stopped nodes from the first snapshot they all have instead of booting them', async () => {
    const lab = labOf('30-swarm-cluster');
    await up(lab);
    await labNodeSnapshots(svc).save(lab);
    await stopLabNodes(svc, lab);
    p.calls = [];
    const again = await up(lab, [labSnapshotName(lab.id), FRESH_SNAPSHOT]);
    assert.equal(again.startedFrom, 'lab-30-swarm-cluster-start');
    assert.deepEqual(p.calls, ['loadvm manager1 lab-30-swarm-cluster-start', 'loadvm worker1 lab-30-swarm-cluster-start']);
    assert.deepEqual(again.vms.map((v) => v.state), ['running', 'running']);
    // without a snapshot they all have: booted
    await stopLabNodes(svc, lab);
    p.calls = [];
    assert.equal((await up(lab, ['lab-99-none-start'])).startedFrom, undefined);
    assert.deepEqual([...p.calls].sort(), ['boot manager1', 'boot worker1'], 'both booted (at the same time: in either order)');
  });

  it('lab stop stops the running nodes and adds up the memory they held; stopped and missing nodes are said as such', async () => {
    const lab = labOf('30-swarm-cluster');
    await up(lab);
    await svc.stop('worker1');
    const r = await stopLabNodes(svc, lab);
    // the fake vm has no qemu process: it frees at most what it was given
    assert.deepEqual(r, { nodes: [{ name: 'manager1', was: 'running', memoryMiB: 768 }, { name: 'worker1', was: 'stopped', memoryMiB: 768 }], freedMiB: 768 });
    await svc.delete('worker1');
    assert.deepEqual((await stopLabNodes(svc, lab)).nodes.map((n) => n.was), ['stopped', 'missing']);
  });

  it('names a node made later (a three-node lab after a two-node one) in the older nodes\' /etc/hosts, and again after a restore brings back an older one', async () => {
    await up();
    const threeNodes = parseLab(['---', 'id: 38-routed', 'title: {en: S, zh: S}', 'nodes:', '  - {name: manager1, memory: 768M}', '  - {name: worker1, memory: 768M}', '  - {name: worker2, memory: 768M}', 'network: l39-swarm', '---'].join('\n'), 'lab.md').lab;
    const { vms } = await up(threeNodes);
    const address = (name: string) => vms.find((v) => v.name === name)!.peers![name]!;
    // "worker2@10.10.x.13" for each line of the vm's /etc/hosts, read as a lab check would
    const names = async (vm: string) => (await (await svc.guest(vm)).exec(['cat', '/etc/hosts'])).stdout.split('\n').filter((l) => /^[0-9]/.test(l) && !l.startsWith('127.')).map((l) => l.split(/\s+/).reverse().join('@'));
    for (const vm of ['manager1', 'worker1', 'worker2']) {
      assert.deepEqual((await names(vm)).filter((n) => n.startsWith('worker2@')), [`worker2@${address('worker2')}`], `${vm} names worker2`);
    }
    // a restore brings manager1's /etc/hosts of its snapshot back (without worker2): named again, once
    const all = ['manager1', 'worker1', 'worker2'];
    for (const vm of all) await svc.snapshot(vm, 'old');
    p.hosts.delete('manager1');
    p.execs = [];
    await restoreNodes(svc, all, 'old');
    assert.equal((await names('manager1')).filter((n) => n.startsWith('worker2@')).length, 1);
    assert.deepEqual(p.execs.filter((e) => e.endsWith(': sh')), ['manager1: sh'], 'only manager1 lacked a peer');
    // nodes that name every peer are only read
    p.execs = [];
    await restoreNodes(svc, all, 'old');
    assert.deepEqual(p.execs.filter((e) => e.endsWith(': sh')), []);
  });

  it('a node that does not answer after a restore keeps its /etc/hosts: the restore still ends', async () => {
    await up();
    for (const vm of ['manager1', 'worker1']) await svc.snapshot(vm, 'old');
    const guest = p.guest.bind(p);
    p.guest = async (vm) => (vm.name === 'worker1' ? ({ name: 'down', exec: async () => { throw new Error('ssh: connection refused'); } } as unknown as Guest) : guest(vm));
    await restoreNodes(svc, ['manager1', 'worker1'], 'old');
    assert.ok(p.calls.includes('loadvm worker1 old'));
  });

  it('writes the peers a hosts file lacks in one marked block, replaced rather than appended again', () => {
    const peers = { manager1: '10.10.86.11', worker2: '10.10.86.13' };
    const boot = '127.0.0.1 localhost\n10.10.86.11 manager1\n';
    const once = hostsNamingPeers(boot, 'l30-swarm', peers)!;
    assert.match(once, /^10\.10\.86\.13\s+worker2$/m);
    assert.equal(hostsNamingPeers(once, 'l30-swarm', peers), undefined, 'complete: nothing to write');
    const moved = hostsNamingPeers(once, 'l30-swarm', { ...peers, worker2: '10.10.86.14' })!;
    assert.equal(moved.match(/boxlab lab network BEGIN/g)!.length, 1);
    assert.match(moved, /^10\.10\.86\.14\s+worker2$/m);
    assert.doesNotMatch(moved, /10\.10\.86\.13/);
  });

  it('reads what a qemu process and a guest hold from /proc texts', () => {
    assert.equal(parseVmRssMiB('Name:\tqemu-system-x86\nVmRSS:\t  524288 kB\nRssAnon:\t1 kB\n'), 512);
    assert.equal(parseVmRssMiB('Name:\tkthreadd\n'), undefined);
    assert.equal(parseUsedMiB('MemTotal:        1008480 kB\nMemFree:          500000 kB\nMemAvailable:     803680 kB\n'), 200);
    assert.equal(parseUsedMiB('MemTotal: 1 kB\n'), undefined);
  });
});
