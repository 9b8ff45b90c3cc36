// The real docker CLI against boxlabd and Debian's dockerd 20.10: what `docker version` and `docker info`
// say about the host (kernel, OS, CPUs, cgroup version, runc and docker-init) is what is installed and
// what dockerd says on the same host; the network drivers listed are the ones boxlabd has.
import assert from 'node:assert/strict';
import { run } from '../../../src/core/exec.js';
import { parseRuncVersion } from '../../../src/engine/host/runtime-versions.js';
import { EngineHarness } from '../../helpers/engine-harness.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { requires } from '../../helpers/requires.js';

/** `docker version`'s server components, by name */
const components = (json: string) =>
  Object.fromEntries((JSON.parse(json).Server.Components as Array<{ Name: string; Version: string; Details: { GitCommit?: string } }>).map((c) => [c.Name, c]));

describe('docker CLI: host facts in docker version and docker info, against dockerd 20.10', function () {
  this.timeout(120_000);
  let engine: EngineHarness;
  let dockerd: ReferenceDockerd;

  before(async function () {
    requires(this, 'root', 'runc', 'docker-cli', 'overlayfs', 'dockerd', 'docker-init');
    engine = await EngineHarness.start();
    dockerd = await ReferenceDockerd.start('boxlab-host-facts');
  });
  after(async function () {
    this.timeout(90_000);
    await dockerd?.stop();
    await engine?.stop();
  });

  it("docker version shows runc's real version (runc --version) and docker-init's, as dockerd does", async () => {
    const installed = parseRuncVersion((await run('runc', ['--version'])).stdout);
    assert.ok(installed, 'runc --version has an unknown shape');
    const ours = components(await engine.dockerOk(['version', '--format', '{{json .}}']));
    const theirs = components(await dockerd.dockerOk(['version', '--format', '{{json .}}']));
    assert.equal(ours.runc.Version, installed.version);
    assert.deepEqual(ours.runc, theirs.runc);
    assert.deepEqual(ours['docker-init'], theirs['docker-init']);
    const plain = await engine.dockerOk(['version']);
    assert.match(plain, new RegExp(`runc:\\n\\s+Version:\\s+${installed.version.replace(/[.+]/g, '\\$&')}\\n`));
  });

  it('docker version: the same Arch, Os and KernelVersion as dockerd', async () => {
    const format = '{{.Server.Arch}} {{.Server.Os}} {{.Server.KernelVersion}}';
    assert.equal(await engine.dockerOk(['version', '--format', format]), await dockerd.dockerOk(['version', '--format', format]));
  });

  it('docker info: the host lines a student reads are the same as dockerd\'s', async () => {
    const format = '{{.KernelVersion}}|{{.OperatingSystem}}|{{.OSType}}|{{.Architecture}}|{{.NCPU}}|{{.MemTotal}}|{{.CgroupVersion}}|{{.CgroupDriver}}|{{.RuncCommit.ID}}|{{.InitCommit.ID}}|{{.InitBinary}}|{{.Name}}';
    assert.equal(await engine.dockerOk(['info', '--format', format]), await dockerd.dockerOk(['info', '--format', format]));
  });

  it('docker info lists the network drivers boxlabd has: bridge, host, null (dockerd: also ipvlan, macvlan, overlay)', async () => {
    const format = '{{join .Plugins.Network " "}}';
    assert.equal(await engine.dockerOk(['info', '--format', format]), 'bridge host null');
    const theirs = (await dockerd.dockerOk(['info', '--format', format])).split(' ');
    for (const driver of ['bridge', 'host', 'null']) assert.ok(theirs.includes(driver), driver);
  });
});
