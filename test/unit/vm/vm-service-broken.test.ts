// A vm whose create was killed half-way (Ctrl-C twice, a closed terminal) is "broken" in `vm list`,
// while one whose create is still running is "creating"; delete and a new create clean a broken one up.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VmService } from '../../../src/vm/vm-service.js';
import { LocalProvider } from '../../../src/vm/providers/local/local-provider.js';

describe('VmService: half-created vms', () => {
  let root: string;
  let svc: VmService;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-broken-'));
    svc = new VmService({ root, providerFor: () => new LocalProvider({ warn: null }) });
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  const halfCreated = async (name: string, creatorPid: number) => {
    await fs.mkdir(path.join(root, name), { recursive: true });
    const record = { name, provider: 'local', phase: 'creating', createdAt: '', spec: { cpus: 1, memoryMiB: 512 }, data: { creatorPid } };
    await fs.writeFile(path.join(root, name, 'vm.json'), JSON.stringify(record));
  };
  // a pid that certainly belonged to a process which has exited
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

  it('lists a create still running as creating and a killed one as broken', async () => {
    await halfCreated('busy', process.ppid);
    await halfCreated('killed', deadPid());
    const states = Object.fromEntries((await svc.list()).map((v) => [v.name, v.state]));
    assert.deepEqual(states, { busy: 'creating', killed: 'broken' });
    assert.equal((await svc.inspect('killed'))?.state, 'broken');
    assert.equal(await svc.inspect('absent'), undefined);
  });

  it('a second create does not tear down a create still under way', async () => {
    await halfCreated('busy', process.ppid);
    await assert.rejects(svc.create('busy', 'local', { cpus: 1, memoryMiB: 512 }), new RegExp(`vm "busy" is being created by another boxlab \\(pid ${process.ppid}\\)`));
    assert.equal((await svc.inspect('busy'))?.state, 'creating');
  });

  it('delete removes a broken vm; a new create replaces it with a complete one', async () => {
    await halfCreated('a', deadPid());
    await halfCreated('b', deadPid());
    assert.equal(await svc.delete('a'), true);
    await fs.access(path.join(root, 'a')).then(() => assert.fail('folder of a left behind'), () => undefined);
    const b = await svc.create('b', 'local', { cpus: 1, memoryMiB: 512 });
    assert.equal(b.state, 'running');
    const record = JSON.parse(await fs.readFile(path.join(root, 'b', 'vm.json'), 'utf8')) as { phase: string; data: Record<string, unknown> };
    assert.equal(record.phase, 'created');
    assert.equal(record.data.creatorPid, undefined);
  });
});
