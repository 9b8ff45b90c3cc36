// The engine's DNS server on user networks (ADR 0009) with the real docker CLI and busybox's nslookup,
// which asks the nameserver of /etc/resolv.conf (127.0.0.11) and never reads /etc/hosts: a name, an alias, a
// container started after the client, a container of another network (not found), a removed container
// (not found any more), the same names after an engine restart, boxlab explain's "resolved by the
// engine's DNS", and the default bridge left as Docker has it (the host's nameservers).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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
});
