// After a crash of boxlabd (SIGKILL) during which a container died, the next start removes that
// container's veth, netns and rules and keeps the running one's published port working; and
// `boxlab explain` shows each link, address and rule with its meaning, in en and zh.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../../src/core/exec.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { fileExists, waitFor } from '../../helpers/wait-for.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const HTTPD = ['sh', '-c', 'mkdir -p /www && echo alive > /www/index.html && exec httpd -f -p 80 -h /www'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function curlUntil(url: string, want: string): Promise<string> {
  let body = '';
  for (let i = 0; i < 30; i++) {
    body = (await run('curl', ['-sS', '-m', '2', url], { allowFailure: true })).stdout.trim();
    if (body === want) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return body;
}

describe('network: reconciliation after a crash, and explain', function () {
  this.timeout(120_000);
  const engine = useEngine({ needs: ['iptables'] });

  it('a container that died while boxlabd was down loses its veth, netns and rules at the next start', async () => {
    const port = await freePort();
    await engine.dockerOk(['run', '-d', '--name', 'survivor', '-p', `${port}:80`, 'busybox', ...HTTPD]);
    await engine.dockerOk(['run', '-d', '--name', 'victim', '-p', `${await freePort()}:80`, 'busybox', 'sleep', '300']);
    const victim = JSON.parse(await engine.dockerOk(['inspect', 'victim']))[0];
    const netns: string = victim.NetworkSettings.SandboxKey;
    const victimIp: string = victim.NetworkSettings.IPAddress;
    assert.ok(netns.startsWith(engine.root), netns);
    const bridge = (await run('ip', ['-o', 'addr', 'show', 'to', victim.NetworkSettings.Gateway])).stdout.split(/\s+/)[1];
    const vethsBefore = (await run('ip', ['-o', 'link', 'show', 'master', bridge])).stdout.split('\n').filter(Boolean);
    assert.equal(vethsBefore.length, 2);

    await engine.stopEngine('SIGKILL');
    process.kill(victim.State.Pid, 'SIGKILL');
    // its shim outlives the engine: it writes the exit file once runc has reaped the container
    await waitFor('the exit file of the killed container', () => fileExists(path.join(engine.root, 'containers', victim.Id, 'exit')));
    assert.ok((await run('iptables-save', ['-t', 'nat'])).stdout.includes(`--to-destination ${victimIp}:80`), 'the rules outlive the crash');
    await engine.startEngine();

    assert.equal(await engine.dockerOk(['inspect', '-f', '{{.State.Status}}', 'victim']), 'exited');
    await assert.rejects(fs.stat(netns), /ENOENT/);
    const vethsAfter = (await run('ip', ['-o', 'link', 'show', 'master', bridge])).stdout.split('\n').filter(Boolean);
    assert.equal(vethsAfter.length, 1, 'only the survivor is plugged in');
    const nat = (await run('iptables-save', ['-t', 'nat'])).stdout;
    assert.ok(!nat.includes(`--to-destination ${victimIp}:80`), 'the dead container has no DNAT any more');
    assert.equal(await curlUntil(`http://127.0.0.1:${port}/`, 'alive'), 'alive', 'the survivor is still published');
    // its address is free again and goes to the next container, never to two at once
    await engine.dockerOk(['start', 'victim']);
    const ips = [await engine.dockerOk(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'survivor']), await engine.dockerOk(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'victim'])];
    assert.notEqual(ips[0], ips[1]);
  });

  it('boxlab explain shows the veth pair, the bridge, the address and each iptables rule with its meaning', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'explained', '-p', `${await freePort()}:80`, 'busybox', 'sleep', '60']);
    const explain = async (lang: string) =>
      (await run(process.execPath, [path.join(REPO, 'bin/run.js'), 'explain', 'explained', '--socket', engine.socketPath, '--lang', lang], { cwd: REPO })).stdout;
    const en = await explain('en');
    assert.match(en, /veth pair/);
    assert.match(en, /IPAM gave the container 10\.\d+\.\d+\.\d+\/24/);
    assert.match(en, /iptables rule \(nat table\): iptables -t nat -A BOXLAB-[0-9a-f]{6}-DNAT .* -j DNAT --to-destination 10\.[\d.]+:80 — DNAT/);
    assert.match(en, /MASQUERADE for 127\.0\.0\.0\/8 sources/);
    assert.match(en, /network namespace/);
    const zh = await explain('zh');
    assert.match(zh, /veth 设备对/);
    assert.match(zh, /端口发布/);
  });
});
