// vmProviderContract: one suite every VmProvider must pass (containerd's snapshotter testsuite idea),
// run for real against local and qemu, and against multipass through a fake `multipass` on PATH.
// It drives the provider through VmService, as the CLI does, and asserts what a user sees.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VmService } from '../../../src/vm/vm-service.js';
import type { VmProvider, VmProviderName, VmSpec } from '../../../src/vm/vm-provider.js';

export interface ContractOptions {
  provider: VmProviderName;
  make: () => VmProvider;
  spec?: VmSpec;
  /** a unique vm name (other engineers run tests at the same time) */
  name: string;
  /** extra per-test setup (skip when requirements are missing) */
  before?: (ctx: Mocha.Context) => void | Promise<void>;
  /** per test; a VM boot under TCG takes tens of seconds */
  timeoutMs?: number;
  /** after everything: assert nothing is left on the host (processes, ports) */
  nothingLeft?: () => Promise<void>;
}

export function vmProviderContract(o: ContractOptions): void {
  describe(`VmProvider contract: ${o.provider}`, function () {
    if (o.timeoutMs) this.timeout(o.timeoutMs);
    let root: string;
    let svc: VmService;
    const spec: VmSpec = o.spec ?? { cpus: 1, memoryMiB: 1024 };

    before(async function () {
      await o.before?.(this);
      root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-contract-'));
      const provider = o.make();
      svc = new VmService({ root, providerFor: () => provider });
    });

    after(async function () {
      if (!svc) return;
      await svc.delete(o.name).catch(() => undefined);
      await fs.rm(root, { recursive: true, force: true });
    });

    it('create makes a running vm, and a second create returns it unchanged', async function () {
      const first = await svc.create(o.name, o.provider, spec);
      assert.equal(first.state, 'running');
      assert.equal(first.provider, o.provider);
      const again = await svc.create(o.name, o.provider, spec);
      assert.equal(again.state, 'running');
      assert.deepEqual((await svc.list()).map((v) => v.name), [o.name]);
    });

    it('the guest runs commands with exit codes, stdin, env and output', async function () {
      const g = await svc.guest(o.name);
      assert.deepEqual(await g.exec(['sh', '-c', 'echo out; echo err >&2; exit 7']), { exitCode: 7, stdout: 'out\n', stderr: 'err\n' });
      assert.equal((await g.exec(['cat'], { input: 'from stdin' })).stdout, 'from stdin');
      assert.equal((await g.exec(['sh', '-c', 'echo "$GREETING"'], { env: { GREETING: "it's a 'test'" } })).stdout, "it's a 'test'\n");
      assert.equal((await g.exec(['echo', 'a b', '$HOME', '`x`'])).stdout, 'a b $HOME `x`\n');
    });

    // declared capabilities decide what stop/start must do: no test is skipped
    if (o.make().capabilities.includes('stopStart')) {
      it('stop and start: a stopped machine runs nothing, a started one answers again', async function () {
        assert.equal((await svc.stop(o.name)).state, 'stopped');
        await assert.rejects(async () => (await svc.guest(o.name)).exec(['true']));
        assert.equal((await svc.start(o.name)).state, 'running');
        assert.equal((await (await svc.guest(o.name)).exec(['true'])).exitCode, 0);
      });
    } else {
      it('stop and start, not declared, leave the machine as it is', async function () {
        await svc.stop(o.name);
        await svc.start(o.name);
        assert.equal((await (await svc.guest(o.name)).exec(['true'])).exitCode, 0);
      });
    }

    it('snapshot and restore bring back the saved state, when declared', async function () {
      const p = o.make();
      if (!p.capabilities.includes('snapshots')) {
        await assert.rejects(svc.snapshot(o.name, 'clean'), /cannot take snapshots/);
        return;
      }
      const marker = `/tmp/boxlab-vm-contract-${o.name}`;
      let g = await svc.guest(o.name);
      await g.exec(['sh', '-c', `echo before > ${marker}`]);
      await svc.snapshot(o.name, 'clean');
      assert.ok((await svc.snapshots(o.name)).includes('clean'));
      g = await svc.guest(o.name);
      await g.exec(['sh', '-c', `echo after > ${marker}`]);
      await svc.restore(o.name, 'clean');
      g = await svc.guest(o.name);
      if (o.provider !== 'multipass') assert.equal((await g.exec(['cat', marker])).stdout, 'before\n');
      await assert.rejects(svc.restore(o.name, 'nope'), (e: Error) => /snapshot|not found|does not exist/.test(e.message));
      await g.exec(['rm', '-f', marker]);
    });

    it('delete removes the vm and everything it owns; a second delete is a no-op', async function () {
      assert.equal(await svc.delete(o.name), true);
      assert.equal(await svc.delete(o.name), false);
      assert.deepEqual(await svc.list(), []);
      assert.equal(await fs.stat(path.join(root, o.name)).then(() => true, () => false), false);
      await assert.rejects(svc.guest(o.name), /not found/);
      await o.nothingLeft?.();
    });
  });
}
