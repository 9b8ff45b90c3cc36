// VmService: records, idempotent create/delete, and the rollback of a half-created VM, with a recording
// provider (the real providers run the shared contract suite).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VmService } from '../../../src/vm/vm-service.js';
import type { VmHandle, VmProvider, VmStatus } from '../../../src/vm/vm-provider.js';
import { LocalGuest } from '../../../src/vm/providers/local/local-guest.js';

class RecordingProvider implements VmProvider {
  readonly name = 'local' as const;
  readonly capabilities = ['stopStart'] as const;
  calls: string[] = [];
  failStart = false;
  async validate() {}
  async create(vm: VmHandle) {
    this.calls.push(`create ${vm.name}`);
    await fs.mkdir(vm.dir, { recursive: true });
    await fs.writeFile(path.join(vm.dir, 'disk'), 'x');
  }
  async start(vm: VmHandle) {
    this.calls.push(`start ${vm.name}`);
    if (this.failStart) throw new Error('boot failed');
  }
  async stop(vm: VmHandle) {
    this.calls.push(`stop ${vm.name}`);
  }
  async destroy(vm: VmHandle) {
    this.calls.push(`destroy ${vm.name}`);
    await fs.rm(vm.dir, { recursive: true, force: true });
  }
  async status(): Promise<VmStatus> {
    return { state: 'running' };
  }
  async guest() {
    return new LocalGuest({ warn: null });
  }
}

describe('VmService', () => {
  let root: string;
  let p: RecordingProvider;
  let svc: VmService;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-svc-'));
    p = new RecordingProvider();
    svc = new VmService({ root, providerFor: () => p });
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('creates once: a second create of the same vm does not touch the provider', async () => {
    await svc.create('lab1', 'local', { cpus: 1, memoryMiB: 512 });
    await svc.create('lab1', 'local', { cpus: 1, memoryMiB: 512 });
    assert.deepEqual(p.calls, ['create lab1', 'start lab1']);
    const rec = JSON.parse(await fs.readFile(path.join(root, 'lab1', 'vm.json'), 'utf8'));
    assert.equal(rec.phase, 'created');
  });

  it('refuses the same name with another provider', async () => {
    await svc.create('lab1', 'local', { cpus: 1, memoryMiB: 512 });
    await assert.rejects(svc.create('lab1', 'qemu', { cpus: 1, memoryMiB: 512 }), /already exists with provider local/);
  });

  it('rolls back a create that fails: nothing is left, the error comes through', async () => {
    p.failStart = true;
    await assert.rejects(svc.create('lab1', 'local', { cpus: 1, memoryMiB: 512 }), /boot failed/);
    assert.deepEqual(p.calls, ['create lab1', 'start lab1', 'destroy lab1']);
    assert.deepEqual(await fs.readdir(root), []);
  });

  it('cleans up a vm left half-created by a killed process, then creates it again', async () => {
    await fs.mkdir(path.join(root, 'lab1'), { recursive: true });
    await fs.writeFile(path.join(root, 'lab1', 'vm.json'), JSON.stringify({ name: 'lab1', provider: 'local', phase: 'creating', createdAt: '', spec: { cpus: 1, memoryMiB: 512 }, data: {} }));
    assert.equal((await svc.list())[0]!.state, 'broken');
    await svc.create('lab1', 'local', { cpus: 1, memoryMiB: 512 });
    assert.deepEqual(p.calls, ['destroy lab1', 'create lab1', 'start lab1']);
  });

  it('delete is idempotent and unknown vms are not found with a hint', async () => {
    assert.equal(await svc.delete('nope'), false);
    await assert.rejects(svc.stop('nope'), (e: Error & { suggestions?: string[] }) => /vm "nope" not found/.test(e.message) && !!e.suggestions?.length);
  });

  it('rejects names that cannot be a folder or a hostname', async () => {
    for (const bad of ['../x', 'UPPER', '-x', 'a'.repeat(40), '']) {
      await assert.rejects(svc.create(bad, 'local', { cpus: 1, memoryMiB: 512 }), /invalid vm name/);
    }
  });

  it('refuses snapshots when the provider does not declare them', async () => {
    await svc.create('lab1', 'local', { cpus: 1, memoryMiB: 512 });
    await assert.rejects(svc.snapshot('lab1', 'clean'), /cannot take snapshots/);
  });
});
