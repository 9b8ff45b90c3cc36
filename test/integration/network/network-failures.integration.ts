// When the kernel's packet filter is unusable (netfilter modules not loaded, as found in the VM sandbox),
// boxlabd still starts, says why in its log, and `docker run` on a bridge network fails at once with an
// error that names iptables and the fix, leaving nothing behind; --network none and host keep working.
// The failures come from fake `iptables-save` / `iptables-restore` put first on the engine's PATH: each
// fails while its flag file exists in the fake's folder and runs the real tool otherwise.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import type { EngineHarness } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';

const SAVE_ERROR = "iptables-save v1.8.9 (legacy): can't initialize iptables table `nat': Table does not exist (do you need to insmod?)";
const RESTORE_ERROR = 'iptables-restore v1.8.9 (legacy): iptables-restore: unable to initialize table \'nat\'';

/** a fake tool: fails with `message` while <dir>/fail-<name> exists, else runs the real one */
async function writeFake(dir: string, name: string, message: string): Promise<void> {
  const script = `#!/bin/sh\nif [ -e "${dir}/fail-${name}" ]; then echo "${message.replace(/[`"$\\]/g, '\\$&')}" >&2; exit 1; fi\nexec /usr/sbin/${name} "$@"\n`;
  await fs.writeFile(path.join(dir, name), script, { mode: 0o755 });
}

async function traceSteps(engine: EngineHarness, id: string): Promise<Array<{ step: string; details: Record<string, unknown> }>> {
  const text = await fs.readFile(path.join(engine.root, 'containers', id, 'trace.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

async function linkExists(name: string): Promise<boolean> {
  return (await run('ip', ['link', 'show', 'dev', name], { allowFailure: true })).exitCode === 0;
}

describe('network: an unusable packet filter gives clear errors', function () {
  this.timeout(120_000);
  let fakes = ''; // the fake tools' folder, made in the before hook
  const engine = useEngine({
    needs: ['iptables'],
    prepare: async () => {
      fakes = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-netfail-'));
      await writeFake(fakes, 'iptables-save', SAVE_ERROR);
      await writeFake(fakes, 'iptables-restore', RESTORE_ERROR);
      await fs.writeFile(path.join(fakes, 'fail-iptables-save'), '');
      await fs.writeFile(path.join(fakes, 'fail-iptables-restore'), '');
      return { env: { PATH: `${fakes}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` } };
    },
  });
  after(async () => {
    if (fakes) await fs.rm(fakes, { recursive: true, force: true });
  });

  it('boxlabd starts anyway and its log names the failing command and what it said', async () => {
    const log = await fs.readFile(engine.logFile, 'utf8');
    assert.match(log, /iptables-save/);
    assert.match(log, /Table does not exist/);
    assert.match(log, /modprobe ip_tables iptable_nat/);
  });

  it('docker run on the default bridge fails at once with a message naming iptables and the fix', async () => {
    const t0 = Date.now();
    const res = await engine.docker(['run', '--name', 'nofilter', 'busybox', 'true'], { timeout: 20_000 });
    assert.ok(Date.now() - t0 < 10_000, `docker run took ${Date.now() - t0} ms`);
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /Error response from daemon: .*iptables/);
    assert.match(res.stderr, /modprobe ip_tables iptable_nat/);
    assert.match(res.stderr, /--network none/);
    const [c] = JSON.parse(await engine.dockerOk(['inspect', 'nofilter']));
    assert.equal(c.State.Status, 'created');
    assert.match(c.State.Error, /iptables/);
    await engine.dockerOk(['rm', 'nofilter']);
  });

  it('--network none and --network host keep working', async () => {
    assert.equal((await engine.dockerOk(['run', '--rm', '--network', 'none', 'busybox', 'echo', 'isolated'])).trim(), 'isolated');
    assert.equal((await engine.dockerOk(['run', '--rm', '--network', 'host', 'busybox', 'echo', 'on-host'])).trim(), 'on-host');
  });

  it('a start whose iptables-restore fails returns the error and leaves no veth, netns, mount or runc state', async () => {
    await fs.rm(path.join(fakes, 'fail-iptables-save'));
    try {
      const t0 = Date.now();
      const res = await engine.docker(['run', '--name', 'halfway', 'busybox', 'true'], { timeout: 20_000 });
      assert.ok(Date.now() - t0 < 10_000, `docker run took ${Date.now() - t0} ms`);
      assert.notEqual(res.exitCode, 0);
      assert.match(res.stderr, /Error response from daemon: .*iptables-restore/);
      assert.match(res.stderr, /unable to initialize table/);
      const [c] = JSON.parse(await engine.dockerOk(['inspect', 'halfway']));
      assert.equal(c.State.Status, 'created');
      assert.match(c.State.Error, /iptables-restore/);
      assert.equal(c.NetworkSettings.IPAddress, '');
      // it got as far as a veth on the bridge: that veth, the netns and the mount are gone again
      const veth = (await traceSteps(engine, c.Id)).find((e) => e.step === 'network.veth');
      assert.ok(veth, 'the trace shows the veth that was plugged before the rules failed');
      assert.equal(await linkExists(String(veth.details.hostSide)), false, `veth ${veth.details.hostSide} is left behind`);
      assert.deepEqual(await fs.readdir(path.join(engine.root, 'netns')).catch(() => []), []);
      assert.deepEqual(await engine.mountsUnderRoot(), []);
      assert.deepEqual(await engine.runcContainers(), []);
      await engine.dockerOk(['rm', 'halfway']);
    } finally {
      await fs.writeFile(path.join(fakes, 'fail-iptables-save'), '');
    }
  });

  it('docker run --rm whose start fails ends too, and the container is gone', async () => {
    const t0 = Date.now();
    const res = await engine.docker(['run', '--rm', '--name', 'gone', 'busybox', 'true'], { timeout: 20_000 });
    assert.ok(Date.now() - t0 < 10_000, `docker run --rm took ${Date.now() - t0} ms`);
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /iptables/);
    assert.equal((await engine.docker(['inspect', 'gone'])).exitCode, 1);
  });

  it('once the packet filter works again, the same engine runs bridge containers', async () => {
    await fs.rm(path.join(fakes, 'fail-iptables-save'));
    await fs.rm(path.join(fakes, 'fail-iptables-restore'));
    assert.equal((await engine.dockerOk(['run', '--rm', 'busybox', 'echo', 'bridged'])).trim(), 'bridged');
  });
});
