// The VMs of a multi-node lab (src/vm/lab-nodes.ts): one per node, on the lab's network, each with its
// engine and memory; existing VMs of the right shape are reused or started, others refused with the way
// out; the memory preflight adds up what still has to boot and refuses up front, in en and zh.
import assert from 'node:assert/strict';
import { parseLab } from '../../../src/labs/lab-parser.js';
import { checkNodesMemory, planNodeVms } from '../../../src/vm/lab-nodes.js';
import type { VmSummary } from '../../../src/vm/vm-service.js';

const { lab } = parseLab(
  ['---', 'id: 30-swarm', 'title: {en: S, zh: S}', 'nodes:', '  - {name: manager1, engine: docker, memory: 1536M}', '  - {name: worker1, engine: docker}', '  - {name: plain, memory: 768M}', 'network: l30-swarm', '---'].join('\n'),
  'lab.md',
);
const vm = (name: string, over: Partial<VmSummary> = {}): [string, VmSummary] => [name, { name, provider: 'qemu', state: 'running', cpus: 1, memoryMiB: 1536, network: 'l30-swarm', engine: 'docker', ...over }];

describe('multi-node labs: the nodes as VMs', () => {
  it('plans one VM per node on the lab network, with its engine and memory', () => {
    const plan = planNodeVms(lab, new Map());
    assert.deepEqual(plan.map((p) => [p.node.name, p.action, p.spec.memoryMiB, p.spec.engine, p.spec.cpus]), [
      ['manager1', 'create', 1536, 'docker', 1],
      ['worker1', 'create', 1536, 'docker', 1],
      ['plain', 'create', 768, undefined, 1],
    ]);
    const nets = plan.map((p) => p.spec.network!);
    assert.deepEqual(new Set(nets.map((n) => n.name)), new Set(['l30-swarm']));
    assert.match(nets[0]!.address, /^10\.10\.\d+\.11\/24$/);
    // every VM knows the others by name (its /etc/hosts): join manager1:2377 as the notes write it
    assert.deepEqual(Object.keys(nets[1]!.peers), ['manager1', 'worker1', 'plain']);
  });

  it('reuses a running node, starts a stopped one, refuses a VM of the same name that is not the node', () => {
    const existing = new Map([vm('manager1'), vm('worker1', { state: 'stopped' })]);
    assert.deepEqual(planNodeVms(lab, existing).map((p) => p.action), ['reuse', 'start', 'create']);
    assert.throws(() => planNodeVms(lab, new Map([vm('worker1', { network: 'other', engine: 'boxlabd' })])), (err: Error & { suggestions?: string[] }) => {
      assert.equal(err.message, 'vm "worker1" exists but is not this lab\'s node: it is on lab network "other", the lab needs "l30-swarm"; its engine is boxlabd, the node needs docker');
      assert.deepEqual(err.suggestions, ['delete it (its containers and files go with it): boxlab vm delete worker1']);
      return true;
    });
    assert.throws(() => planNodeVms(lab, new Map([vm('manager1', { state: 'broken' })]), 'qemu', 'zh'), /虚拟机 "manager1" 只创建了一半/);
  });

  it("checks existing VMs against the nodes' provider: multipass nodes reused on multipass, refused for qemu (en, zh)", () => {
    const existing = new Map([vm('manager1', { provider: 'multipass' }), vm('worker1', { provider: 'multipass', state: 'stopped' })]);
    assert.deepEqual(planNodeVms(lab, existing, 'multipass').map((p) => p.action), ['reuse', 'start', 'create']);
    assert.throws(() => planNodeVms(lab, existing, 'qemu'), /vm "manager1" exists but is not this lab's node: it runs on multipass, the lab's nodes on qemu$/);
    assert.throws(() => planNodeVms(lab, existing, 'qemu', 'zh'), /虚拟机 "manager1" 已经存在，但不是这个实验的节点：它运行在 multipass 上，实验的节点用 qemu/);
  });

  it('says up front when the host lacks the memory for the nodes still to boot, each with its share', () => {
    const plan = planNodeVms(lab, new Map([vm('manager1')]));
    // worker1 1536 + plain 768, each +128 for qemu: 2560; the running manager1 costs nothing more
    assert.doesNotThrow(() => checkNodesMemory('30-swarm', plan, 2560));
    assert.throws(() => checkNodesMemory('30-swarm', plan, 2559), (err: Error & { suggestions?: string[] }) => {
      assert.equal(err.message, 'not enough memory for lab "30-swarm": its nodes need 2560 MiB (worker1 1536+128, plain 768+128), this host has 2559 MiB available');
      assert.match(err.suggestions![0]!, /boxlab vm stop/);
      return true;
    });
    assert.throws(() => checkNodesMemory('30-swarm', plan, 100, 'zh'), /内存不够运行实验 "30-swarm"：它的节点需要 2560 MiB/);
  });
});
