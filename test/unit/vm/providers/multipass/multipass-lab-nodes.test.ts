// A multi-node lab's nodes on Multipass (ADR 0032), through VmService and the real MultipassProvider
// with the fake `multipass` (its state in a temp file; `exec` maps /etc/hosts to the instance's folder,
// which plays its disk for snapshots): each node launched with its memory, one cpu and its engine's
// cloud-init, named to the others on the lab network; nodes-fresh saved on stopped instances (Multipass
// refuses a running one) and the nodes running again; a second start reuses them; the lab's start saved
// and restored (the disk comes back, the nodes run, a node whose address changed is named again);
// `lab stop` frees what they were given; stopped nodes start from the lab's start snapshot; a node's
// terminal (the page's tab, `lab shell <node>`) is `multipass shell` on a pty.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseLab } from '../../../../../src/labs/lab-parser.js';
import { bringUpLabNodesFrom, stopLabNodes } from '../../../../../src/vm/lab-nodes.js';
import { FRESH_SNAPSHOT, labNodeSnapshots, labSnapshotName, restoreFreshNodes } from '../../../../../src/vm/lab-snapshots.js';
import { VmService } from '../../../../../src/vm/vm-service.js';
import { multipassFixture } from './fixture-path.js';
import { nodeGuests } from '../../../../../src/cli/lab-context.js';
import { guestTerminalFactory } from '../../../../../src/web/terminal/guest-terminal-session.js';

const lab = parseLab(
  ['---', 'id: 39-mp-swarm', 'title: {en: S, zh: S}', 'nodes:', '  - {name: mpn-manager, engine: docker, memory: 1536M}', '  - {name: mpn-worker, memory: 768M}', 'network: l39-mp', '---'].join('\n'),
  'lab.md',
).lab;

describe('multi-node labs on multipass (fake multipass)', function () {
  // every multipass call starts a node process (the fake): dozens of them on a busy 2-core host
  this.timeout(120_000);
  const saved = { mp: process.env.BOXLAB_MULTIPASS, state: process.env.FAKE_MULTIPASS_STATE };
  let dir: string;
  let svc: VmService;
  const state = () => process.env.FAKE_MULTIPASS_STATE!;
  const instances = async () => JSON.parse(await fs.readFile(state(), 'utf8')).instances as Record<string, { state: string; cpus: string; memory: string; address: string; snapshots: Record<string, unknown> }>;
  const hostsOf = (name: string) => fs.readFile(`${state()}.d/${name}/etc/hosts`, 'utf8');
  const lines: string[] = [];
  const up = (options: Parameters<typeof bringUpLabNodesFrom>[2] = {}) => bringUpLabNodesFrom(svc, lab, { availableMiB: 1 << 20, installed: { has: () => false }, progress: (l) => lines.push(l), ...options });

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-mp-nodes-'));
    process.env.BOXLAB_MULTIPASS = multipassFixture('fake-multipass.mjs');
    process.env.FAKE_MULTIPASS_STATE = path.join(dir, 'state.json');
    svc = new VmService({ root: path.join(dir, 'vms') });
  });
  after(async () => {
    for (const [k, v] of [['BOXLAB_MULTIPASS', saved.mp], ['FAKE_MULTIPASS_STATE', saved.state]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('creates each node with its spec on the lab network and saves nodes-fresh on the stopped instances, then runs them', async () => {
    const r = await up({ ask: { flag: 'multipass' } });
    assert.equal(r.provider, 'multipass');
    assert.equal(r.created, true);
    const all = await instances();
    assert.deepEqual(Object.keys(all).sort(), ['mpn-manager', 'mpn-worker']);
    assert.deepEqual([all['mpn-manager']!.memory, all['mpn-manager']!.cpus, all['mpn-worker']!.memory], ['1536M', '1', '768M']);
    // the docker node launched with the docker variant of the cloud-init, the other without
    assert.match(await fs.readFile(`${state()}.d/mpn-manager/cloud-init.yaml`, 'utf8'), /\/etc\/docker\/daemon\.json/);
    assert.doesNotMatch(await fs.readFile(`${state()}.d/mpn-worker/cloud-init.yaml`, 'utf8'), /\/etc\/docker\/daemon\.json/);
    // named to each other with multipass's addresses, and the summaries say so
    const [manager, worker] = r.vms;
    assert.deepEqual(manager!.peers, { 'mpn-manager': all['mpn-manager']!.address, 'mpn-worker': all['mpn-worker']!.address });
    assert.equal(manager!.network, 'l39-mp');
    assert.match(await hostsOf('mpn-manager'), new RegExp(`^${all['mpn-worker']!.address.replaceAll('.', '\\.')} +mpn-worker$`, 'm'));
    assert.equal(lines[0], 'lab "39-mp-swarm": its nodes on multipass (as asked)');
    assert.match(lines.join('\n'), new RegExp(`mpn-worker: running \\(created, multipass, boxlabd, ${worker!.peers!['mpn-worker']!.replaceAll('.', '\\.')}\\)`));
    // the snapshot holds the named network (taken after the join), and the nodes run again after it
    assert.deepEqual(Object.keys(all['mpn-worker']!.snapshots), [FRESH_SNAPSHOT]);
    assert.match(await fs.readFile(`${state()}.snapshots/mpn-worker/${FRESH_SNAPSHOT}/etc/hosts`, 'utf8'), /mpn-manager/);
    assert.deepEqual([all['mpn-manager']!.state, all['mpn-worker']!.state], ['Running', 'Running']);
  });

  it("a second start reuses the running nodes on their own provider, and asking another is refused with the way out", async () => {
    const launchedBefore = JSON.parse(await fs.readFile(state(), 'utf8')).launched;
    lines.length = 0;
    const again = await up();
    assert.equal(again.provider, 'multipass');
    assert.equal(lines[0], 'lab "39-mp-swarm": its nodes on multipass (their own provider)');
    assert.equal(again.created, false);
    assert.equal(JSON.parse(await fs.readFile(state(), 'utf8')).launched, launchedBefore);
    await assert.rejects(up({ ask: { flag: 'qemu' } }), (err: Error & { suggestions?: string[] }) => {
      assert.match(err.message, /vm "mpn-manager" exists but is not this lab's node: it runs on multipass, the lab's nodes on qemu/);
      assert.deepEqual(err.suggestions, ['delete it (its containers and files go with it): boxlab vm delete mpn-manager']);
      return true;
    });
  });

  it("saves the lab's start and a reset restores it: the disk as it was, every node running", async () => {
    const hook = labNodeSnapshots(svc, {});
    await hook.save(lab);
    const start = labSnapshotName(lab.id);
    assert.deepEqual(Object.keys((await instances())['mpn-manager']!.snapshots).sort(), [start, FRESH_SNAPSHOT].sort());
    // the student's work on a node's disk
    await fs.writeFile(`${state()}.d/mpn-manager/etc/student-was-here`, 'x');
    assert.equal(await hook.restore(lab), 'start');
    assert.equal(await fs.stat(`${state()}.d/mpn-manager/etc/student-was-here`).then(() => true, () => false), false);
    assert.deepEqual(Object.values(await instances()).map((i) => i.state), ['Running', 'Running']);
  });

  it('names a node again when it came back from a restore with another address', async () => {
    // a new DHCP lease for the worker while it was stopped
    const s = JSON.parse(await fs.readFile(state(), 'utf8'));
    s.instances['mpn-worker'].address = '10.76.13.99';
    await fs.writeFile(state(), JSON.stringify(s));
    assert.equal(await restoreFreshNodes(svc, lab), true);
    assert.match(await hostsOf('mpn-manager'), /^10\.76\.13\.99 +mpn-worker$/m);
    assert.equal((await svc.inspect('mpn-manager'))!.peers!['mpn-worker'], '10.76.13.99');
  });

  it('lab stop stops every node and frees the memory they were given; the next start restores the lab start', async () => {
    const r = await stopLabNodes(svc, lab);
    assert.deepEqual(r, { nodes: [{ name: 'mpn-manager', was: 'running', memoryMiB: 1536 }, { name: 'mpn-worker', was: 'running', memoryMiB: 768 }], freedMiB: 2304 });
    assert.deepEqual(Object.values(await instances()).map((i) => i.state), ['Stopped', 'Stopped']);
    await fs.writeFile(`${state()}.d/mpn-worker/etc/student-was-here`, 'x');
    const back = await up({ startFrom: [labSnapshotName(lab.id), FRESH_SNAPSHOT] });
    assert.equal(back.startedFrom, labSnapshotName(lab.id));
    assert.deepEqual(back.vms.map((v) => v.state), ['running', 'running']);
    assert.equal(await fs.stat(`${state()}.d/mpn-worker/etc/student-was-here`).then(() => true, () => false), false);
  });

  it("a node's tab on the page (and lab shell <node>) opens multipass shell on it, with the lab's environment", async () => {
    await svc.start('mpn-manager');
    const guest = nodeGuests(() => svc)('mpn-manager');
    const open = guestTerminalFactory(guest);
    const term = await open({ cols: 80, rows: 24, env: { LAB_NODE: 'mpn-manager' } });
    assert.equal(guest.name, 'multipass:mpn-manager');
    let seen = '';
    term.onData((d) => (seen += d));
    const exit = new Promise<number>((resolve) => term.onExit((e) => resolve(e.code)));
    term.write('echo "node=$LAB_NODE sum=$((40+2))"; exit 4\r');
    assert.equal(await exit, 4);
    assert.match(seen, /node=mpn-manager sum=42/);
    await guest.close?.();
  });

  it('deletes the nodes with their snapshots', async () => {
    for (const node of lab.nodes!) assert.equal(await svc.delete(node.name), true);
    assert.deepEqual(await instances(), {});
    assert.deepEqual(await fs.readdir(`${state()}.snapshots`), []);
  });
});
