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
  // every multipass call starts a node process (the fake): a dozen of them take seconds on a busy 2-core host
  this.timeout(60_000);
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

  it('launches --engine docker with the docker variant of the cloud-init (dockerd kept, no DOCKER_HOST)', async () => {
    const p = new MultipassProvider();
    const handle = { name: 'boxlab-vm-ci-docker', dir: path.join(dir, 'vm-ci-docker'), spec: { cpus: 1, memoryMiB: 1024, engine: 'docker' as const }, data: {}, save: async () => {} };
    await p.create(handle);
    // what the (fake) multipass was launched with, not only what boxlab wrote
    const launched = await fs.readFile(`${process.env.FAKE_MULTIPASS_STATE}.d/boxlab-vm-ci-docker/cloud-init.yaml`, 'utf8');
    assert.match(launched, /- path: \/etc\/docker\/daemon.json/);
    assert.match(launched, /systemctl, enable, --now, docker.service/);
    assert.doesNotMatch(launched, /export DOCKER_HOST/);
    await p.destroy(handle);
  });

  it('joins a lab network: each vm\'s /etc/hosts names the others with their multipass addresses', async () => {
    const p = new MultipassProvider();
    const saved: Record<string, unknown>[] = [];
    const handles = ['boxlab-vm-j1', 'boxlab-vm-j2'].map((name) => ({ name, dir: path.join(dir, name), spec: { cpus: 1, memoryMiB: 1024 }, data: {}, save: async (x: Record<string, unknown>) => void saved.push(x) }));
    for (const h of handles) await p.create(h);
    const addresses = await Promise.all(handles.map(async (h) => (await p.info(h))!.ipv4[0]!));
    assert.notEqual(addresses[0], addresses[1], 'each instance has its own address');
    const peers = await p.joinLabNetwork('labnet', handles);
    assert.deepEqual(peers, { 'boxlab-vm-j1': addresses[0], 'boxlab-vm-j2': addresses[1] });
    await p.joinLabNetwork('labnet', handles);
    const hosts = await fs.readFile(`${process.env.FAKE_MULTIPASS_STATE}.d/boxlab-vm-j1/etc/hosts`, 'utf8');
    assert.match(hosts, new RegExp(`^${addresses[1]!.replaceAll('.', '\\.')} +boxlab-vm-j2$`, 'm'));
    assert.match(hosts, /^127\.0\.1\.1 boxlab-vm-j1$/m, 'the image\'s own lines stay');
    assert.equal(hosts.split('boxlab lab network BEGIN').length, 2, 'joining twice leaves one block');
    assert.deepEqual(saved.at(-1), { labPeers: peers });
    for (const h of handles) await p.destroy(h);
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
