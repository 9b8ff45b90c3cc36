// The multipass provider against a fake `multipass` (fixtures-on-PATH) through the shared contract suite,
// plus the errors a user hits: not installed, daemon not running.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MultipassProvider } from '../../../../../src/vm/providers/multipass/multipass-provider.js';
import { vmProviderContract } from '../../vm-provider-contract.js';
import { multipassFixture } from './fixture-path.js';

describe('MultipassProvider (fake multipass)', function () {
  const saved = { mp: process.env.BOXLAB_MULTIPASS, state: process.env.FAKE_MULTIPASS_STATE };
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-mp-'));
    process.env.BOXLAB_MULTIPASS = multipassFixture('fake-multipass.mjs');
    process.env.FAKE_MULTIPASS_STATE = path.join(dir, 'state.json');
  });
  after(async () => {
    for (const [k, v] of [['BOXLAB_MULTIPASS', saved.mp], ['FAKE_MULTIPASS_STATE', saved.state]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    delete process.env.FAKE_MULTIPASS_DOWN;
    await fs.rm(dir, { recursive: true, force: true });
  });

  vmProviderContract({
    provider: 'multipass',
    name: 'boxlab-vm-mp1',
    make: () => new MultipassProvider(),
    nothingLeft: async () => {
      const state = JSON.parse(await fs.readFile(process.env.FAKE_MULTIPASS_STATE!, 'utf8'));
      assert.deepEqual(state.instances, {}, 'multipass delete --purge ran');
    },
  });

  it('launches with the rendered cloud-init file', async () => {
    const p = new MultipassProvider();
    const vmDir = path.join(dir, 'vm-ci');
    const handle = { name: 'boxlab-vm-ci', dir: vmDir, spec: { cpus: 1, memoryMiB: 1024 }, data: {}, save: async () => {} };
    await p.create(handle);
    assert.match(await fs.readFile(path.join(vmDir, 'cloud-init.yaml'), 'utf8'), /^#cloud-config\n[^]*\nhostname: "boxlab-vm-ci"\n/);
    await p.destroy(handle);
  });

  it('explains a stopped daemon and a missing multipass', async () => {
    process.env.FAKE_MULTIPASS_DOWN = '1';
    await assert.rejects(new MultipassProvider().validate({ cpus: 1, memoryMiB: 1024 }), /the multipass daemon is not running/);
    delete process.env.FAKE_MULTIPASS_DOWN;
    process.env.BOXLAB_MULTIPASS = '/nonexistent/multipass';
    await assert.rejects(new MultipassProvider().validate({ cpus: 1, memoryMiB: 1024 }), /multipass is not installed/);
    process.env.BOXLAB_MULTIPASS = multipassFixture('fake-multipass.mjs');
  });
});
