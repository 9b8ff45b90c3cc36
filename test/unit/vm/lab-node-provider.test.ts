// Which provider makes a multi-node lab's VMs (src/vm/lab-node-provider.ts): --provider as typed, else
// BOXLAB_VM_PROVIDER, else the provider of the nodes that exist, else multipass when installed, else qemu;
// local and ssh refused with the lab, its nodes and the way out, in en and zh.
import assert from 'node:assert/strict';
import { chooseNodeProvider } from '../../../src/vm/lab-node-provider.js';
import type { ProviderEnvironment } from '../../../src/vm/provider-registry.js';

const lab = { id: '30-swarm-cluster', nodes: [{ name: 'manager1' }, { name: 'worker1' }, { name: 'worker2' }] };
const withMultipass: ProviderEnvironment = { has: (b: string) => b === 'multipass' };
const bare: ProviderEnvironment = { has: () => false };

describe('multi-node labs: the provider of the nodes', () => {
  const cases: Array<[string, Parameters<typeof chooseNodeProvider>[1], Parameters<typeof chooseNodeProvider>[2], ProviderEnvironment, string, string]> = [
    ['--provider wins over everything', { flag: 'qemu', env: 'multipass' }, ['multipass'], withMultipass, 'qemu', 'asked'],
    ['BOXLAB_VM_PROVIDER when nothing is typed', { env: 'qemu' }, [], withMultipass, 'qemu', 'asked'],
    ["the existing nodes' own provider, not refused as the wrong one", {}, ['qemu', 'qemu'], withMultipass, 'qemu', 'existing'],
    ['multipass when installed, as vm create picks', {}, [], withMultipass, 'multipass', 'default'],
    ['else qemu', {}, [], bare, 'qemu', 'default'],
    ['nodes of two providers: the default (the plan then names the odd one)', {}, ['qemu', 'multipass'], bare, 'qemu', 'default'],
  ];
  for (const [title, ask, existing, installed, provider, why] of cases) {
    it(title, () => assert.deepEqual(chooseNodeProvider(lab, ask, existing, installed), { provider, why }));
  }

  it('refuses local and ssh, naming the lab, its nodes, what was asked and what to use', () => {
    assert.throws(() => chooseNodeProvider(lab, { flag: 'local' }, [], bare), (err: Error & { code?: string; suggestions?: string[] }) => {
      assert.equal(err.code, 'INVALID_ARGUMENT');
      assert.equal(err.message, 'lab "30-swarm-cluster" runs on 3 vms (manager1, worker1, worker2) on one lab network: --provider local cannot make them (this host is one machine, with no lab network and no snapshots)');
      assert.deepEqual(err.suggestions, ['use qemu or multipass: boxlab lab start 30-swarm-cluster --provider qemu (or --provider multipass, where Multipass is installed)']);
      return true;
    });
    assert.throws(() => chooseNodeProvider(lab, { env: 'ssh' }, [], bare), (err: Error & { suggestions?: string[] }) => {
      assert.match(err.message, /BOXLAB_VM_PROVIDER=ssh cannot make them \(an ssh host is one machine/);
      assert.equal(err.suggestions![1], 'or unset BOXLAB_VM_PROVIDER');
      return true;
    });
    assert.throws(() => chooseNodeProvider(lab, { flag: 'local' }, [], bare, 'zh'), /实验 "30-swarm-cluster" 运行在同一个实验网络上的 3 台虚拟机上（manager1, worker1, worker2）：--provider local 造不出它们（本机只是一台机器/);
    assert.throws(() => chooseNodeProvider(lab, { flag: 'vbox' }, [], bare), /unknown provider "vbox"/);
  });
});
