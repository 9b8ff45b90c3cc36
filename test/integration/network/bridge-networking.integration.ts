// The bridge driver with the real docker CLI, curl and the kernel: published ports reachable from the host
// (on its address and on 127.0.0.1), -P and docker port, a taken host port, user networks with names,
// no names on the default bridge, isolation between networks, icc=false, --internal, egress NAT seen from
// an "outside" server (a network namespace standing in for the Internet), and the network API's errors.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { defaultBridge } from '../../../src/engine/network/default-bridge.js';
import { EngineHarness, randomSubnet } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { waitFor } from '../../helpers/wait-for.js';
import { requires } from '../../helpers/requires.js';

const HTTPD = (text: string) => ['sh', '-c', `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 80 -h /www`];
// busybox's timeout execs the command in its own process: as pid 1 of a container, wget would ignore the
// SIGTERM, so a shell stays pid 1 (the `; exit` keeps it from exec-ing)
const wgetWithin = (seconds: number, url: string) => ['sh', '-c', `timeout ${seconds} wget -q -O- ${url}; exit $?`];
const subnet = () => randomSubnet(100);
const hostAddress = async () => (await run('ip', ['-4', '-o', 'route', 'get', '1.1.1.1'])).stdout.match(/src (\S+)/)?.[1] ?? '';

async function curl(url: string): Promise<{ ok: boolean; body: string }> {
  const r = await run('curl', ['-sS', '-m', '3', url], { allowFailure: true });
  return { ok: r.exitCode === 0, body: r.stdout.trim() };
}

/** a free TCP port on the host, for -p */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('network: bridge networking through the docker CLI', function () {
  this.timeout(90_000);
  const engine = useEngine({ needs: ['iptables'], removeAfterEach: 'containers and networks' });

  it('-p publishes a port reachable on the host address and on 127.0.0.1, and docker port shows it', async () => {
    const port = await freePort();
    await engine.dockerOk(['run', '-d', '--name', 'web', '-p', `${port}:80`, 'busybox', ...HTTPD('hello-web')]);
    for (const host of ['127.0.0.1', await hostAddress()]) {
      let res = await curl(`http://${host}:${port}/`);
      for (let i = 0; !res.ok && i < 20; i++) {
        await new Promise((r) => setTimeout(r, 100)); // httpd starts a moment after the container
        res = await curl(`http://${host}:${port}/`);
      }
      assert.equal(res.body, 'hello-web', `curl via ${host}`);
    }
    assert.equal(await engine.dockerOk(['port', 'web', '80']), `0.0.0.0:${port}`);
    assert.match(await engine.dockerOk(['ps', '--format', '{{.Ports}}']), new RegExp(`0\\.0\\.0\\.0:${port}->80/tcp`));
    const ip = await engine.dockerOk(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'web']);
    assert.match(ip, /^10\.\d+\.\d+\.\d+$/);
  });

  it('-P publishes exposed ports on free host ports; a port in use fails the start and leaves nothing behind', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'pub', '-P', '--expose', '80', 'busybox', ...HTTPD('picked')]);
    const mapping = await engine.dockerOk(['port', 'pub', '80/tcp']);
    const port = Number(mapping.split(':').pop());
    const [first, last] = (await fs.readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/).map(Number);
    assert.ok(port >= first && port <= last, `${mapping} is outside the kernel's ephemeral range ${first}-${last}`);

    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '0.0.0.0', () => r()));
    const taken = (busy.address() as net.AddressInfo).port;
    try {
      const before = await run('iptables-save', ['-t', 'nat']);
      const res = await engine.docker(['run', '-d', '--name', 'clash', '-p', `${taken}:80`, 'busybox', 'sleep', '60']);
      assert.notEqual(res.exitCode, 0);
      assert.match(res.stderr, new RegExp(`Bind for 0\\.0\\.0\\.0:${taken} failed: port is already allocated`));
      assert.equal(await engine.dockerOk(['inspect', '-f', '{{.State.Running}}', 'clash']), 'false');
      const after = await run('iptables-save', ['-t', 'nat']);
      assert.ok(!after.stdout.includes(`--dport ${taken}`), 'no DNAT rule for the taken port');
      assert.equal(after.stdout.split('\n').filter((l) => l.includes('clash')).length, before.stdout.split('\n').filter((l) => l.includes('clash')).length);
      // the same port on a second container of this engine is refused too
      const second = await engine.docker(['run', '-d', '-p', `${port}:80`, 'busybox', 'sleep', '60']);
      assert.match(second.stderr, /port is already allocated/);
    } finally {
      busy.close();
    }
  });

  it('containers on a user network find each other by name and --network-alias; not on the default bridge', async () => {
    await engine.dockerOk(['network', 'create', '--subnet', subnet(), 'appnet']);
    await engine.dockerOk(['run', '-d', '--name', 'db', '--network', 'appnet', '--network-alias', 'database', 'busybox', ...HTTPD('from-db')]);
    assert.equal(await engine.dockerOk(['run', '--rm', '--network', 'appnet', 'busybox', 'sh', '-c', 'sleep 0.5; wget -q -O- http://db/']), 'from-db');
    assert.equal(await engine.dockerOk(['run', '--rm', '--network', 'appnet', 'busybox', 'wget', '-q', '-O-', 'http://database/']), 'from-db');

    await engine.dockerOk(['run', '-d', '--name', 'olddb', 'busybox', ...HTTPD('x')]);
    const res = await engine.docker(['run', '--rm', 'busybox', ...wgetWithin(5, 'http://olddb/')]);
    assert.notEqual(res.exitCode, 0, 'the default bridge has no name resolution');
    // --link is the default bridge's way (legacy): an /etc/hosts entry
    assert.equal(await engine.dockerOk(['run', '--rm', '--link', 'olddb:legacy', 'busybox', 'wget', '-q', '-O-', 'http://legacy/']), 'x');
  });

  it("a line a user appends to a container's /etc/hosts stays when another container joins or leaves its network, also after an engine restart", async () => {
    await engine.dockerOk(['network', 'create', '--subnet', subnet(), 'editnet']);
    await engine.dockerOk(['run', '-d', '--name', 'edited', '--network', 'editnet', 'busybox', 'sleep', '600']);
    await engine.dockerOk(['exec', 'edited', 'sh', '-c', 'echo "1.2.3.4 foo" >> /etc/hosts']);
    await engine.dockerOk(['run', '-d', '--name', 'joiner', '--network', 'editnet', 'busybox', 'sleep', '600']);
    const joined = await engine.dockerOk(['exec', 'edited', 'cat', '/etc/hosts']);
    assert.match(joined, /\tjoiner /, 'the engine wrote the new peer');
    assert.match(joined, /^1\.2\.3\.4 foo$/m, "the user's line is still there");
    await engine.dockerOk(['rm', '-f', 'joiner']);
    const left = await engine.dockerOk(['exec', 'edited', 'cat', '/etc/hosts']);
    assert.doesNotMatch(left, /joiner/);
    assert.match(left, /^1\.2\.3\.4 foo$/m);
    assert.match(await engine.dockerOk(['exec', 'edited', 'sh', '-c', 'ping -c1 -W1 foo 2>&1 | head -n1']), /\(1\.2\.3\.4\)/);
    // a peer dies while the engine is down: the restarted engine takes it out of the file, and must still
    // know which lines were its own
    await engine.dockerOk(['run', '-d', '--name', 'joiner2', '--network', 'editnet', 'busybox', 'sleep', '600']);
    assert.match(await engine.dockerOk(['exec', 'edited', 'cat', '/etc/hosts']), /\tjoiner2 /);
    const pid = Number(await engine.dockerOk(['inspect', '-f', '{{.State.Pid}}', 'joiner2']));
    await engine.stopEngine();
    process.kill(pid, 'SIGKILL');
    await engine.startEngine();
    await waitFor('the restarted engine to take joiner2 out of /etc/hosts', async () => !(await engine.dockerOk(['exec', 'edited', 'cat', '/etc/hosts'])).includes('joiner2'));
    assert.match(await engine.dockerOk(['exec', 'edited', 'cat', '/etc/hosts']), /^1\.2\.3\.4 foo$/m, "the user's line survived the engine's restart");
    await engine.dockerOk(['rm', '-f', 'joiner2']);
  });

  it('--link gives the process DB_* variables frozen at its start, while /etc/hosts follows a new address; a stopped target refuses the start (as dockerd 20.10)', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'linkdb', '--expose', '5432', '-e', 'SECRET=s3', 'busybox', 'sleep', '120']);
    const old = await engine.dockerOk(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'linkdb']);
    await engine.dockerOk(['run', '-d', '--name', 'linkweb', '--link', 'linkdb:db', 'busybox', 'sleep', '120']);
    const pid1Env = async () => (await fs.readFile(`/proc/${await engine.dockerOk(['inspect', '-f', '{{.State.Pid}}', 'linkweb'])}/environ`, 'utf8')).split('\0');
    const env = await pid1Env();
    for (const v of ['DB_NAME=/linkweb/db', `DB_PORT=tcp://${old}:5432`, `DB_PORT_5432_TCP_ADDR=${old}`, 'DB_PORT_5432_TCP_PORT=5432', 'DB_PORT_5432_TCP_PROTO=tcp', 'DB_ENV_SECRET=s3']) assert.ok(env.includes(v), `${v} in ${env.join(' ')}`);
    // a new address for db: another container takes the old one while db is stopped
    await engine.dockerOk(['stop', '-t', '0', 'linkdb']);
    await engine.dockerOk(['run', '-d', '--name', 'linkfill', 'busybox', 'sleep', '120']);
    await engine.dockerOk(['start', 'linkdb']);
    const now = await engine.dockerOk(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'linkdb']);
    assert.notEqual(now, old);
    await waitFor("linkweb's /etc/hosts to follow db to its new address", async () => (await engine.dockerOk(['exec', 'linkweb', 'cat', '/etc/hosts'])).includes(`${now}\tdb `));
    assert.ok((await pid1Env()).includes(`DB_PORT_5432_TCP_ADDR=${old}`), 'the running process keeps the old address');
    await engine.dockerOk(['stop', '-t', '0', 'linkdb']);
    const refused = await engine.docker(['run', '--rm', '--link', 'linkdb:db', 'busybox', 'true']);
    assert.notEqual(refused.exitCode, 0);
    assert.match(refused.stderr, /Cannot link to a non running container: \/linkdb AS \/\S+\/db/);
  });

  it('two user networks are isolated from each other; connect and disconnect change that', async () => {
    await engine.dockerOk(['network', 'create', '--subnet', subnet(), 'neta']);
    await engine.dockerOk(['network', 'create', '--subnet', subnet(), 'netb']);
    await engine.dockerOk(['run', '-d', '--name', 'a1', '--network', 'neta', 'busybox', ...HTTPD('a1')]);
    const ip = await engine.dockerOk(['inspect', '-f', '{{.NetworkSettings.Networks.neta.IPAddress}}', 'a1']);
    assert.match(ip, /^10\./);
    const across = await engine.docker(['run', '--rm', '--network', 'netb', 'busybox', ...wgetWithin(3, `http://${ip}/`)]);
    assert.notEqual(across.exitCode, 0, 'netb must not reach neta');
    await engine.dockerOk(['run', '-d', '--name', 'b1', '--network', 'netb', 'busybox', 'sleep', '60']);
    await engine.dockerOk(['network', 'connect', 'neta', 'b1']);
    assert.equal(await engine.dockerOk(['exec', 'b1', 'wget', '-q', '-O-', 'http://a1/']), 'a1');
    const inspect = JSON.parse(await engine.dockerOk(['network', 'inspect', 'neta']))[0];
    assert.equal(Object.keys(inspect.Containers).length, 2);
    await engine.dockerOk(['network', 'disconnect', 'neta', 'b1']);
    assert.doesNotMatch(await engine.dockerOk(['exec', 'b1', 'ip', '-o', 'addr']), /eth1/);
  });

  it('a published port reached via the host address from another user network answers (as with dockerd); the container address does not', async () => {
    const port = await freePort();
    const host = await hostAddress();
    await engine.dockerOk(['network', 'create', '--subnet', subnet(), 'pubfront']);
    await engine.dockerOk(['run', '-d', '--name', 'pubweb', '-p', `${port}:80`, 'busybox', ...HTTPD('pubweb')]);
    const webIp = await engine.dockerOk(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'pubweb']);
    await waitFor(`pubweb's httpd to answer on 127.0.0.1:${port}`, async () => (await curl(`http://127.0.0.1:${port}/`)).ok, { timeoutMs: 5000 });
    const viaHost = await engine.docker(['run', '--rm', '--network', 'pubfront', 'busybox', ...wgetWithin(5, `http://${host}:${port}/`)]);
    assert.equal(viaHost.exitCode, 0, `wget via ${host}:${port} from another network: ${viaHost.stderr}`);
    assert.equal(viaHost.stdout.trim(), 'pubweb');
    const direct = await engine.docker(['run', '--rm', '--network', 'pubfront', 'busybox', ...wgetWithin(3, `http://${webIp}/`)]);
    assert.notEqual(direct.exitCode, 0, 'the container address on the default bridge must stay unreachable from pubfront');
  });

  it('--internal keeps a default route (as dockerd 20.10); with a normal network too, the normal one gives the route, on run and on connect', async () => {
    const intSubnet = subnet();
    await engine.dockerOk(['network', 'create', '--internal', '--subnet', intSubnet, 'rtint']);
    await engine.dockerOk(['network', 'create', '--subnet', subnet(), 'rtnorm']);
    const gw = (name: string) => engine.dockerOk(['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Gateway}}', name]);
    const [intGw, normGw] = [await gw('rtint'), await gw('rtnorm')];
    const alone = await engine.dockerOk(['run', '--rm', '--network', 'rtint', 'busybox', 'ip', 'route']);
    assert.match(alone, new RegExp(`^default via ${intGw.replace(/\./g, '\\.')} `, 'm'));
    // created on both (internal first): the route goes through the normal network
    await engine.dockerOk(['create', '--name', 'rtboth', '--network', 'rtint', 'busybox', 'sleep', '60']);
    await engine.dockerOk(['network', 'connect', 'rtnorm', 'rtboth']);
    await engine.dockerOk(['start', 'rtboth']);
    assert.match(await engine.dockerOk(['exec', 'rtboth', 'ip', 'route']), new RegExp(`^default via ${normGw.replace(/\./g, '\\.')} `, 'm'));
    // running on the internal network, then connected to the normal one: the route moves over
    await engine.dockerOk(['run', '-d', '--name', 'rtlate', '--network', 'rtint', 'busybox', 'sleep', '60']);
    await engine.dockerOk(['network', 'connect', 'rtnorm', 'rtlate']);
    const routes = await engine.dockerOk(['exec', 'rtlate', 'ip', 'route']);
    assert.match(routes, new RegExp(`^default via ${normGw.replace(/\./g, '\\.')} `, 'm'));
    assert.equal(routes.split('\n').filter((l) => l.startsWith('default')).length, 1);
  });

  it('icc=false: containers on the network cannot talk to each other', async () => {
    await engine.dockerOk(['network', 'create', '--subnet', subnet(), '-o', 'com.docker.network.bridge.enable_icc=false', 'isolated']);
    await engine.dockerOk(['run', '-d', '--name', 'i1', '--network', 'isolated', 'busybox', ...HTTPD('i1')]);
    const ip = await engine.dockerOk(['inspect', '-f', '{{.NetworkSettings.Networks.isolated.IPAddress}}', 'i1']);
    const res = await engine.docker(['run', '--rm', '--network', 'isolated', 'busybox', ...wgetWithin(3, `http://${ip}/`)]);
    assert.notEqual(res.exitCode, 0);
    assert.equal((await curl(`http://${ip}/`)).body, 'i1', 'the host still reaches it');
  });

  describe('with an "outside" server (a network namespace standing in for the Internet)', () => {
    const tag = randomBytes(3).toString('hex');
    const ns = `blx-out-${tag}`;
    const veth = `bxo${tag}`;
    const base = 4 * (1 + (randomBytes(1)[0] % 60));
    const hostIp = `198.51.100.${base + 1}`;
    const outIp = `198.51.100.${base + 2}`;
    let www = '';
    let httpdPid = 0;

    before(async () => {
      www = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-network-www-'));
      await fs.mkdir(path.join(www, 'cgi-bin'));
      await fs.writeFile(path.join(www, 'cgi-bin', 'ip'), '#!/bin/busybox sh\necho "Content-Type: text/plain"\necho\necho "$REMOTE_ADDR"\n', { mode: 0o755 });
      await run('ip', ['netns', 'add', ns]);
      await run('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      await run('ip', ['addr', 'add', `${hostIp}/30`, 'dev', veth]);
      await run('ip', ['link', 'set', veth, 'up']);
      await run('ip', ['-n', ns, 'addr', 'add', `${outIp}/30`, 'dev', 'eth0']);
      await run('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
      await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      const { spawn } = await import('node:child_process');
      const child = spawn('ip', ['netns', 'exec', ns, 'busybox', 'httpd', '-f', '-p', '8080', '-h', www], { stdio: 'ignore', detached: true });
      httpdPid = child.pid ?? 0;
      child.unref();
      await waitFor(`the outside httpd to answer on ${outIp}:8080`, async () => (await curl(`http://${outIp}:8080/cgi-bin/ip`)).ok, { timeoutMs: 5000 });
    });
    after(async () => {
      if (httpdPid) process.kill(httpdPid, 'SIGKILL');
      await run('ip', ['link', 'del', veth], { allowFailure: true });
      await run('ip', ['netns', 'del', ns], { allowFailure: true });
      await fs.rm(www, { recursive: true, force: true });
    });

    it('egress is NATed: the outside server sees the host address, not the container', async () => {
      const seen = await engine.dockerOk(['run', '--rm', 'busybox', 'wget', '-q', '-O-', `http://${outIp}:8080/cgi-bin/ip`]);
      assert.match(seen, new RegExp(hostIp.replace(/\./g, '\\.')));
    });

    it('--internal: no way out, but the containers on it reach each other', async () => {
      await engine.dockerOk(['network', 'create', '--internal', '--subnet', subnet(), 'backend']);
      await engine.dockerOk(['run', '-d', '--name', 'api', '--network', 'backend', 'busybox', ...HTTPD('api')]);
      const out = await engine.docker(['run', '--rm', '--network', 'backend', 'busybox', ...wgetWithin(3, `http://${outIp}:8080/cgi-bin/ip`)]);
      assert.notEqual(out.exitCode, 0, 'an internal network has no egress');
      assert.equal(await engine.dockerOk(['run', '--rm', '--network', 'backend', 'busybox', 'wget', '-q', '-O-', 'http://api/']), 'api');
    });
  });

  it('--network none, host and container:<name>; --hostname, --add-host, --dns', async () => {
    assert.equal(await engine.dockerOk(['run', '--rm', '--network', 'none', 'busybox', 'ls', '/sys/class/net']), 'lo');
    const hostLinks = (await fs.readdir('/sys/class/net')).length;
    const inHost = (await engine.dockerOk(['run', '--rm', '--network', 'host', 'busybox', 'ls', '/sys/class/net'])).split('\n').length;
    assert.ok(inHost >= hostLinks - 2, 'host network shows the host interfaces');
    await engine.dockerOk(['run', '-d', '--name', 'box', 'busybox', 'sleep', '60']);
    const ip = await engine.dockerOk(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'box']);
    assert.match(await engine.dockerOk(['run', '--rm', '--network', 'container:box', 'busybox', 'ip', '-o', '-4', 'addr']), new RegExp(ip.replace(/\./g, '\\.')));
    const etc = await engine.dockerOk(['run', '--rm', '--hostname', 'myhost', '--add-host', 'db.example:10.1.2.3', '--dns', '9.9.9.9', 'busybox', 'sh', '-c', 'hostname; cat /etc/hosts /etc/resolv.conf']);
    assert.match(etc, /^myhost$/m);
    assert.match(etc, /^10\.1\.2\.3\tdb\.example$/m);
    assert.match(etc, /^nameserver 9\.9\.9\.9$/m);
    assert.match(etc, /\tmyhost$/m, 'its own address under its hostname');
  });

  it('network API errors: overlapping subnet, unknown network, network in use', async () => {
    const s = subnet();
    await engine.dockerOk(['network', 'create', '--subnet', s, 'first']);
    const overlap = await engine.docker(['network', 'create', '--subnet', s.replace(/\.0\/24$/, '.128/25'), 'second']);
    assert.notEqual(overlap.exitCode, 0);
    assert.match(overlap.stderr, /Pool overlaps with other one on this address space/);
    const unknown = await engine.docker(['network', 'inspect', 'nope']);
    assert.match(unknown.stderr, /network nope not found/);
    const runUnknown = await engine.docker(['run', '--rm', '--network', 'nope', 'busybox', 'true']);
    assert.match(runUnknown.stderr, /network nope not found/);
    await engine.dockerOk(['run', '-d', '--name', 'user', '--network', 'first', 'busybox', 'sleep', '60']);
    const rm = await engine.docker(['network', 'rm', 'first']);
    assert.match(rm.stderr, /error while removing network: network first id [0-9a-f]{64} has active endpoints/);
    assert.match(await engine.dockerOk(['network', 'ls']), /^[0-9a-f]{12}\s+first\s+bridge\s+local$/m);
  });
});

describe('network: cleanup leaves ip link, ip addr and iptables-save as they were', function () {
  this.timeout(120_000);

  it('after containers with ports on the default and a user network, and an engine stop', async function () {
    requires(this, 'root', 'runc', 'docker-cli', 'busybox', 'iptables');
    const snapshot = async () => ({
      link: (await run('ip', ['-o', 'link'])).stdout,
      addr: (await run('ip', ['-o', 'addr'])).stdout,
      save: (await run('iptables-save', [])).stdout,
    });
    const engine = await EngineHarness.start();
    const { bridge, chainPrefix } = defaultBridge(engine.root);
    const before = await snapshot();
    const names = new Set<string>([bridge, `${chainPrefix}-`]);
    try {
      await engine.loadBusybox();
      const s = subnet();
      const netId = await engine.dockerOk(['network', 'create', '--subnet', s, 'clean']);
      names.add(`br-${netId.slice(0, 12)}`).add(s);
      await engine.dockerOk(['run', '-d', '--name', 'c1', '-p', `${await freePort()}:80`, 'busybox', 'sleep', '60']);
      await engine.dockerOk(['run', '-d', '--name', 'c2', '--network', 'clean', 'busybox', 'sleep', '60']);
      for (const br of [bridge, `br-${netId.slice(0, 12)}`]) {
        for (const line of (await run('ip', ['-o', 'link', 'show', 'master', br])).stdout.split('\n').filter(Boolean)) names.add(line.split(':')[1].trim().split('@')[0]);
      }
      assert.ok([...names].some((n) => n.startsWith('veth')), 'veths were made');
      const during = await snapshot();
      assert.ok(during.save.includes(`${chainPrefix}-DNAT`));
      await engine.dockerOk(['rm', '-f', 'c1', 'c2']);
      await engine.dockerOk(['network', 'rm', 'clean']);
    } finally {
      await engine.stop();
    }
    const after = await snapshot();
    const ours = (text: string) => text.split('\n').filter((l) => [...names].some((n) => l.includes(n)));
    assert.deepEqual(ours(after.link), ours(before.link));
    assert.deepEqual(ours(after.addr), ours(before.addr));
    assert.deepEqual(ours(after.save), ours(before.save));
    assert.deepEqual(ours(after.link), []);
  });
});
