// The provider contract on qemu, for real: the image is built (or taken from the cache), a VM boots
// under TCG here (KVM only where a probe VM really boots), stops, starts, snapshots with savevm/loadvm,
// and is deleted with no qemu process and no forwarded port left behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { QemuProvider } from '../../../src/vm/providers/qemu/qemu-provider.js';
import { portOpen } from '../../../src/vm/providers/qemu/free-port.js';
import { requires } from '../../helpers/requires.js';
import { vmProviderContract } from '../../unit/vm/vm-provider-contract.js';

const NAME = `bxq${process.pid}`;

function qemuProcessesOf(name: string): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-f', `boxlab-${name}`]).toString().split('\n').filter((l) => l.includes('qemu-system'));
  } catch {
    return [];
  }
}

describe('qemu provider', function () {
  this.timeout(600_000);
  let sshPorts: number[] = [];
  before(function () {
    requires(this, 'root', 'qemu');
  });

  vmProviderContract({
    provider: 'qemu',
    name: NAME,
    timeoutMs: 300_000,
    make: () => new QemuProvider({ progress: (l) => { const m = l.match(/127\.0\.0\.1:(\d+)/); if (m) sshPorts.push(Number(m[1])); } }),
    spec: { cpus: 1, memoryMiB: 1024 },
    nothingLeft: async () => {
      assert.deepEqual(qemuProcessesOf(NAME), [], 'no qemu process left');
      for (const p of sshPorts) {
        const listeners = () => execFileSync('ss', ['-ltnpH', `sport = :${p}`]).toString().trim();
        assert.equal(await portOpen(p), false, `port ${p} is closed again; listening: ${listeners()}`);
      }
      sshPorts = [];
    },
  });
});
