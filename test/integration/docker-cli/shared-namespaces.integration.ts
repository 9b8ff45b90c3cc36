// The real docker CLI against boxlabd and against Debian's dockerd 20.10: --pid container:<x> and
// --ipc container:<x> join x's namespaces (ps sees x's processes; the ipc namespace is x's; /dev/shm is
// not shared by boxlabd, docs/differences-from-dockerd.md), and what dockerd refuses (a donor that does not run, an ipc donor that is not shareable) boxlabd
// refuses with the same words. The inspect defaults (IpcMode private, ShmSize, MemorySwap) match too, and
// so do the sysctls of a container's own network namespace (any user may bind :80 and ping).
import assert from 'node:assert/strict';
import type { RunResult } from '../../../src/core/exec.js';
import { EngineHarness } from '../../helpers/engine-harness.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { requires } from '../../helpers/requires.js';

interface Engine {
  docker(args: string[]): Promise<RunResult>;
  dockerOk(args: string[]): Promise<string>;
}

/** one engine's answers to the scenario, with ids and namespace numbers made comparable */
async function scenario(e: Engine): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const donor = await e.dockerOk(['run', '-d', '--name', 'ns-donor', 'busybox', 'sleep', '300']);
  const shareable = await e.dockerOk(['run', '-d', '--name', 'ns-shareable', '--ipc', 'shareable', 'busybox', 'sleep', '300']);
  const stopped = await e.dockerOk(['run', '-d', '--name', 'ns-stopped', '--ipc', 'shareable', 'busybox', 'true']);
  await e.dockerOk(['wait', stopped]);
  const ids = (s: string) => s.replaceAll(donor, '<donor>').replaceAll(shareable, '<shareable>').replaceAll(stopped, '<stopped>').trim();
  const answer = (r: RunResult) => ids(`${r.exitCode} ${r.stdout.trim()} ${r.stderr.trim().split('\n')[0]}`.trim());
  try {
    out.pidPs = answer(await e.docker(['run', '--rm', '--pid', 'container:ns-donor', 'busybox', 'sh', '-c', 'ps -o args | grep -c "^sleep 300"']));
    out.ipcPrivate = answer(await e.docker(['run', '--rm', '--ipc', 'container:ns-donor', 'busybox', 'true']));
    const donorIpc = await e.dockerOk(['exec', 'ns-shareable', 'readlink', '/proc/self/ns/ipc']);
    const joinedIpc = await e.dockerOk(['run', '--rm', '--ipc', 'container:ns-shareable', 'busybox', 'readlink', '/proc/self/ns/ipc']);
    out.ipcSame = String(donorIpc === joinedIpc);
    out.pidStopped = answer(await e.docker(['run', '--rm', '--pid', 'container:ns-stopped', 'busybox', 'true']));
    out.ipcStopped = answer(await e.docker(['run', '--rm', '--ipc', 'container:ns-stopped', 'busybox', 'true']));
    const sysctls = 'cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/net/ipv4/ping_group_range';
    out.netSysctls = answer(await e.docker(['run', '--rm', '--user', '65534', 'busybox', 'sh', '-c', sysctls]));
    out.netSysctlsOwn = answer(await e.docker(['run', '--rm', '--sysctl', 'net.ipv4.ip_unprivileged_port_start=100', 'busybox', 'sh', '-c', sysctls]));
    out.inspect = await e.dockerOk(['inspect', '-f', '{{.HostConfig.IpcMode}} {{.HostConfig.ShmSize}}', 'ns-donor']);
    const limited = await e.dockerOk(['create', '-m', '64m', 'busybox', 'true']);
    out.memorySwap = await e.dockerOk(['inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}', limited]);
    await e.docker(['rm', '-f', limited]);
  } finally {
    await e.docker(['rm', '-f', 'ns-donor', 'ns-shareable', 'ns-stopped']);
  }
  return out;
}

describe('docker CLI: --pid and --ipc container:<x>, as dockerd 20.10', function () {
  this.timeout(180_000);
  let engine: EngineHarness;
  let dockerd: ReferenceDockerd;

  before(async function () {
    requires(this, 'root', 'runc', 'docker-cli', 'busybox', 'overlayfs', 'dockerd');
    engine = await EngineHarness.start();
    await engine.loadBusybox();
    dockerd = await ReferenceDockerd.start('boxlab-shared-ns');
  });
  after(async function () {
    this.timeout(90_000);
    await dockerd?.stop();
    await engine?.stop();
  });

  it('joins the donor, refuses what dockerd refuses with its words, and shows the same defaults', async () => {
    const expected = await scenario(dockerd);
    // the scenario itself says something on dockerd: ps sees the donor's sleep, the ipc namespace is one
    assert.equal(expected.pidPs, '0 1');
    assert.equal(expected.ipcSame, 'true');
    assert.equal(expected.netSysctls, '0 0\n0\t2147483647', 'exit 0, then the two sysctls');
    assert.match(expected.ipcPrivate, /non-shareable IPC/);
    assert.deepEqual(await scenario(engine), expected);
  });
});
