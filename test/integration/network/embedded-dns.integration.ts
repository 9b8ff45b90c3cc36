// The engine's DNS server on user networks (ADR 0009) with the real docker CLI and busybox's nslookup,
// which asks the nameserver of /etc/resolv.conf (127.0.0.11) and never reads /etc/hosts: a name, an alias, a
// container started after the client, a container of another network (not found), a removed container
// (not found any more), the same names after an engine restart (also at once, while the restarted
// engine's reconcile is still running, and while other containers join and leave the bridge), boxlab explain's "resolved by the engine's DNS", and the default
// bridge left as Docker has it (the host's nameservers).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../../src/core/exec.js';
import { randomSubnet } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('network: the engine DNS server on user networks (nslookup)', function () {
  this.timeout(120_000);
  const engine = useEngine({ needs: ['iptables'] });
  const tag = randomBytes(3).toString('hex');
  const netA = `dnsa-${tag}`;
  const netB = `dnsb-${tag}`;

  const ipOf = async (name: string, network: string) => engine.dockerOk(['inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, name]);
  const gatewayOf = async (network: string) => engine.dockerOk(['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Gateway}}', network]);
  /** busybox nslookup inside `container`: exit code and output */
  const nslookup = async (container: string, name: string) => {
    const r = await engine.docker(['exec', container, 'nslookup', name]);
    return { ok: r.exitCode === 0, out: r.stdout + r.stderr };
  };
  /** the addresses nslookup printed for the name (after the "Name:" line, not the server's own address) */
  const answers = (out: string) => [...out.split(/^Name:/m).slice(1).join('\n').matchAll(/Address:\s*([\d.]+)/g)].map((m) => m[1]);

  before(async function () {
    await engine.dockerOk(['network', 'create', '--subnet', randomSubnet(150), netA]);
    await engine.dockerOk(['network', 'create', '--subnet', randomSubnet(150), netB]);
    await engine.dockerOk(['run', '-d', '--name', 'web', '--network', netA, '--network-alias', 'www', 'busybox', 'sleep', '600']);
    await engine.dockerOk(['run', '-d', '--name', 'client', '--network', netA, 'busybox', 'sleep', '600']);
    await engine.dockerOk(['run', '-d', '--name', 'secret', '--network', netB, 'busybox', 'sleep', '600']);
  });

  it("a container's resolv.conf says nameserver 127.0.0.11, as in Docker; its nat table sends it to the engine", async () => {
    const conf = await engine.dockerOk(['exec', 'client', 'cat', '/etc/resolv.conf']);
    assert.match(conf, /^nameserver 127\.0\.0\.11$/m);
    assert.equal(conf.match(/^nameserver/gm)?.length, 1);
    const pid = await engine.dockerOk(['inspect', '-f', '{{.State.Pid}}', 'client']);
    const nat = (await run('nsenter', [`--net=/proc/${pid}/ns/net`, 'iptables-save', '-t', 'nat'])).stdout;
    assert.match(nat, new RegExp(`-A OUTPUT -d 127\\.0\\.0\\.11/32 -p udp .*--dport 53 -j DNAT --to-destination ${(await gatewayOf(netA)).replace(/\./g, '\\.')}:53`));
  });

  it('nslookup finds a container by name and by --network-alias', async () => {
    const ip = await ipOf('web', netA);
    const byName = await nslookup('client', 'web');
    assert.ok(byName.ok, byName.out);
    assert.match(byName.out, /^Server:\s+127\.0\.0\.11$/m);
    assert.deepEqual(answers(byName.out), [ip]);
    assert.deepEqual(answers((await nslookup('client', 'www')).out), [ip]);
  });

  it('boxlab explain web says the engine DNS resolved it', async () => {
    const ip = await ipOf('web', netA);
    const explain = async (lang: string) =>
      (await run(process.execPath, [path.join(REPO, 'bin/run.js'), 'explain', 'web', '--socket', engine.socketPath, '--lang', lang], { cwd: REPO })).stdout;
    assert.match(await explain('en'), new RegExp(`web was resolved to ${ip.replace(/\./g, '\\.')} by the engine's DNS .* for container client`));
    assert.match(await explain('zh'), /引擎的 DNS/);
  });

  it('a container started after the client is found; once removed, it is not', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'late', '--network', netA, 'busybox', 'sleep', '600']);
    const found = await nslookup('client', 'late');
    assert.deepEqual(answers(found.out), [await ipOf('late', netA)], found.out);
    await engine.dockerOk(['rm', '-f', 'late']);
    const gone = await nslookup('client', 'late');
    assert.equal(gone.ok, false, gone.out);
    assert.deepEqual(answers(gone.out), []);
  });

  it('a container of another network is not found', async () => {
    const r = await nslookup('client', 'secret');
    assert.equal(r.ok, false, r.out);
    assert.deepEqual(answers(r.out), []);
    // and the other network's server does not answer a stranger about its names
    const asked = await engine.docker(['exec', 'client', 'nslookup', 'secret', await gatewayOf(netB)]);
    assert.notEqual(asked.exitCode, 0, asked.stdout);
    assert.doesNotMatch(asked.stdout, new RegExp((await ipOf('secret', netB)).replace(/\./g, '\\.')));
  });

  it('after an engine restart (containers kept running) names still resolve', async () => {
    await engine.restartEngine();
    const r = await nslookup('client', 'web');
    assert.deepEqual(answers(r.out), [await ipOf('web', netA)], r.out);
  });

  it('the default bridge keeps the host nameservers (no names there, as in Docker)', async () => {
    const conf = await engine.dockerOk(['run', '--rm', 'busybox', 'cat', '/etc/resolv.conf']);
    const gateways = [await gatewayOf(netA), await gatewayOf(netB), await gatewayOf('bridge')];
    for (const g of [...gateways, '127.0.0.11']) assert.doesNotMatch(conf, new RegExp(`nameserver ${g.replace(/\./g, '\\.')}$`, 'm'));
  });

  it('a running container of the default bridge connected to a user network asks 127.0.0.11 from then on, as dockerd 20.10 does; also after a restart', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'joiner', 'busybox', 'sleep', '600']);
    assert.equal((await nslookup('joiner', 'web')).ok, false, 'on the default bridge, web is no name');
    await engine.dockerOk(['network', 'connect', netA, 'joiner']);
    assert.match(await engine.dockerOk(['exec', 'joiner', 'cat', '/etc/resolv.conf']), /^nameserver 127\.0\.0\.11$/m);
    const found = await nslookup('joiner', 'web');
    assert.ok(found.ok, found.out);
    assert.deepEqual(answers(found.out), [await ipOf('web', netA)]);
    await engine.dockerOk(['restart', '-t', '0', 'joiner']);
    assert.deepEqual(answers((await nslookup('joiner', 'www')).out), [await ipOf('web', netA)], 'the alias, after a restart with the default bridge first');
    await engine.dockerOk(['rm', '-f', 'joiner']);
  });
});

describe('network: the engine DNS server while containers come and go, and right after an engine restart', function () {
  this.timeout(120_000);
  let tools = '';
  const net = `dnsr-${randomBytes(3).toString('hex')}`;
  const engine = useEngine({
    needs: ['iptables'],
    // iptables-save that takes 15 s while the file `slow` exists: reconcile reads the packet filter with it
    // at start, and the engine answers its API meanwhile (as under load, where this test flaked in CI)
    prepare: async () => {
      tools = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-slow-iptables-'));
      const real = (await run('sh', ['-c', 'command -v iptables-save'])).stdout.trim();
      await fs.writeFile(path.join(tools, 'iptables-save'), `#!/bin/sh\n[ -e ${tools}/slow ] && sleep 15\nexec ${real} "$@"\n`, { mode: 0o755 });
      return { env: { PATH: `${tools}:${process.env.PATH}` } };
    },
  });

  before(async () => {
    await engine.dockerOk(['network', 'create', '--subnet', randomSubnet(150), net]);
    await engine.dockerOk(['run', '-d', '--name', 'web', '--network', net, 'busybox', 'sleep', '600']);
    await engine.dockerOk(['run', '-d', '--name', 'client', '--network', net, 'busybox', 'sleep', '600']);
  });
  after(async () => {
    if (tools) await fs.rm(tools, { recursive: true, force: true });
  });

  it("the bridge keeps its own MAC as containers join and leave, so the others' ARP entry for the gateway stays right", async () => {
    const id = (await engine.dockerOk(['network', 'inspect', '-f', '{{.Id}}', net])).trim();
    const gateway = (await engine.dockerOk(['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Gateway}}', net])).trim();
    const bridgeMac = () => fs.readFile(`/sys/class/net/br-${id.slice(0, 12)}/address`, 'utf8').then((t) => t.trim());
    const own = `02:42:${gateway.split('.').map((b) => Number(b).toString(16).padStart(2, '0')).join(':')}`;
    assert.equal(await bridgeMac(), own);
    // before, a bridge took its lowest port's MAC: a new veth changed it one time in three, and the client's
    // cached gateway MAC then went nowhere (nslookup: "no servers could be reached") for half a minute
    for (const n of [1, 2, 3, 4]) {
      await engine.dockerOk(['run', '-d', '--name', `joiner${n}`, '--network', net, 'busybox', 'sleep', '600']);
      assert.equal(await bridgeMac(), own, `after joiner${n} joined`);
      const r = await engine.docker(['exec', 'client', 'nslookup', `joiner${n}`]);
      assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    }
    await engine.dockerOk(['rm', '-f', 'joiner1', 'joiner2', 'joiner3', 'joiner4']);
    assert.equal(await bridgeMac(), own, 'after they left');
    const r = await engine.docker(['exec', 'client', 'nslookup', 'web']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
  });

  it('a running container resolves names as soon as the restarted engine answers, before its reconcile ends', async () => {
    const ip = await engine.dockerOk(['inspect', '-f', `{{(index .NetworkSettings.Networks "${net}").IPAddress}}`, 'web']);
    await fs.writeFile(path.join(tools, 'slow'), '');
    await engine.restartEngine();
    const started = Date.now();
    const r = await engine.docker(['exec', 'client', 'nslookup', 'web']);
    assert.ok(Date.now() - started < 15_000, 'the lookup ran while reconcile was still reading iptables');
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`Name:\\s+web\\nAddress:\\s+${ip.replace(/\./g, '\\.')}`));
    await fs.rm(path.join(tools, 'slow'), { force: true });
  });
});
