// The network plane's bookkeeping with recording doubles for the kernel side (bridges, veths, iptables):
// IPAM across restarts, rollback of a start whose port is taken, names in /etc/hosts, Docker's errors.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../../src/core/errors.js';
import type { Rule } from '../../../../src/engine/network/iptables-rules.js';
import type { DefaultBridge } from '../../../../src/engine/network/default-bridge.js';
import type { NetworkRecord } from '../../../../src/engine/network/network-record.js';
import { NetworkPlane, type LinkDriver, type NetworkDns, type RuleWriter } from '../../../../src/engine/network/network-plane.js';
import { MemoryTracer } from '../../../../src/engine/trace/tracer.js';

class RecordingDriver implements LinkDriver {
  readonly calls: string[] = [];
  readonly links = new Set<string>();
  readonly netns = new Set<string>();
  constructor(private readonly dir: string) {}
  async linkExists(name: string) {
    return this.links.has(name);
  }
  /** the links that are bridges (the others are veths, or a host's own interfaces) */
  readonly bridges = new Set<string>();
  async ensureBridge(bridge: string) {
    if (this.links.has(bridge)) {
      if (!this.bridges.has(bridge)) throw new AppError('INVALID_ARGUMENT', `existing interface ${bridge} is not a bridge`);
      return false;
    }
    this.links.add(bridge);
    this.bridges.add(bridge);
    this.calls.push(`bridge ${bridge}`);
    return true;
  }
  async adoptBridge(bridge: string) {
    this.calls.push(`adopt ${bridge}`);
  }
  async deleteLink(name: string) {
    this.links.delete(name);
    this.bridges.delete(name);
    this.calls.push(`del ${name}`);
  }
  async deleteBridge(name: string) {
    if (this.bridges.has(name)) await this.deleteLink(name);
  }
  netnsPath(id: string) {
    return path.join(this.dir, 'netns', id);
  }
  async createNetns(id: string) {
    this.netns.add(this.netnsPath(id));
    return this.netnsPath(id);
  }
  async removeNetns(file: string) {
    this.netns.delete(file);
  }
  async listNetnsFiles() {
    return [...this.netns];
  }
  async plug(_file: string, link: { vethHost: string; ip: string; mtu?: number }, bridge: string) {
    this.links.add(link.vethHost);
    this.calls.push(`plug ${link.ip} ${bridge}${link.mtu ? ` mtu ${link.mtu}` : ''}`);
  }
}

/** a stand-in for `run`'s error when a command exits non-zero */
const commandFailed = (line: string, stderr: string) => new AppError('COMMAND_FAILED', `${line} failed: ${stderr}`);

class RecordingIptables implements RuleWriter {
  rules: Rule[] = [];
  tornDown = 0;
  probes = 0;
  /** set: iptables-save fails (the netfilter modules are not loaded) */
  saveFails?: Error;
  /** set: iptables-restore fails */
  restoreFails?: Error;
  async detectBackend() {
    return 'nft' as const;
  }
  async probe() {
    this.probes++;
    if (this.saveFails) throw this.saveFails;
  }
  /** how many iptables-restore runs wrote a rule set */
  writes = 0;
  async apply(rules: Rule[]) {
    if (this.restoreFails) throw this.restoreFails;
    this.rules = rules;
    this.writes++;
  }
  async teardown() {
    if (this.saveFails) throw this.saveFails;
    this.rules = [];
    this.tornDown++;
  }
}

/** the user networks' DNS servers: which networks have one listening */
class RecordingDns implements NetworkDns {
  /** network id -> name */
  readonly listening = new Map<string, string>();
  async ensure(n: NetworkRecord) {
    if (n.isDefault) return undefined;
    this.listening.set(n.Id, n.Name);
    return n.Gateway;
  }
  async stop(networkId: string) {
    this.listening.delete(networkId);
  }
  async stopAll() {
    this.listening.clear();
  }
}

describe('NetworkPlane (with recording kernel doubles)', () => {
  let dir: string;
  let driver: RecordingDriver;
  let iptables: RecordingIptables;
  let busyPorts: Set<number>;
  const ID = (n: number) => String(n).repeat(64).slice(0, 64);
  const tcp = (hostPort: number, containerPort: number) => ({ proto: 'tcp' as const, hostIp: '', hostPort, containerPort });

  const plane = async (settings: Partial<DefaultBridge> = {}) => {
    const p = new NetworkPlane({
      root: dir,
      defaultBridge: { bridge: 'bxltest', subnet: '10.250.1.0/24', chainPrefix: 'BOXLAB-test01', ...settings },
      tracer: new MemoryTracer(),
      driver,
      iptables,
      canBind: async (_proto, _ip, port) => !busyPorts.has(port),
    });
    await p.init();
    return p;
  };
  const start = async (p: NetworkPlane, n: number, name: string, hostConfig: Record<string, unknown> = {}, exposed?: Record<string, object>) => {
    const hostsPath = path.join(dir, `${name}.hosts`);
    writeFileSync(hostsPath, '127.0.0.1\tlocalhost\n');
    return p.attach({ containerId: ID(n), name, hostname: name, hostConfig, exposedPorts: exposed, hostsPath, hostsBase: '127.0.0.1\tlocalhost\n' });
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-network-plane-'));
    driver = new RecordingDriver(dir);
    iptables = new RecordingIptables();
    busyPorts = new Set();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a container on the default bridge gets an address, a veth on the bridge, a netns path for runc, and rules', async () => {
    const p = await plane();
    await p.register({ containerId: ID(1), name: 'web', hostConfig: { NetworkMode: 'default' }, ports: [tcp(8080, 80)] });
    const att = await start(p, 1, 'web', {}, { '80/tcp': {} });
    assert.deepEqual(att, { network: { mode: 'path', path: path.join(dir, 'netns', ID(1)) } });
    assert.deepEqual(driver.calls, ['bridge bxltest', 'plug 10.250.1.2 bxltest']);
    assert.ok(iptables.rules.some((r) => r.purpose === 'dnat' && r.args.includes('10.250.1.2:80')));
    const view = p.view(ID(1), { '80/tcp': {} })!;
    assert.equal((view.settings as { IPAddress: string }).IPAddress, '10.250.1.2');
    assert.deepEqual((view.settings as { Ports: unknown }).Ports, { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] });
  });

  it('a start that does not change the rule set writes nothing; one that publishes a port writes the set again', async () => {
    const p = await plane();
    for (const n of [1, 2]) await p.register({ containerId: ID(n), name: `c${n}`, hostConfig: { NetworkMode: 'default' } });
    await p.register({ containerId: ID(3), name: 'web', hostConfig: { NetworkMode: 'default' }, ports: [tcp(8080, 80)] });
    await start(p, 1, 'c1');
    assert.equal(iptables.writes, 1);
    await start(p, 2, 'c2');
    assert.equal(iptables.writes, 1, 'the second container on the network needs no new rule');
    await start(p, 3, 'web', {}, { '80/tcp': {} });
    assert.equal(iptables.writes, 2);
    assert.ok(iptables.rules.some((r) => r.purpose === 'dnat' && r.args.includes('10.250.1.4:80')));
    await p.detach(ID(3));
    assert.equal(iptables.writes, 3, 'the DNAT rule goes with its container');
    assert.ok(!iptables.rules.some((r) => r.purpose === 'dnat'));
  });

  it("the default bridge follows the engine's mtu, ip and icc at the next start: options, veth MTU, DNAT address, icc DROP", async () => {
    const before = await plane();
    const options = (q: NetworkPlane) => q.inspect('bridge').Options as Record<string, string>;
    assert.equal(options(before)['com.docker.network.driver.mtu'], '1500');
    const p = await plane({ mtu: 1400, hostBindingIp: '127.0.0.1', icc: false });
    assert.equal(options(p)['com.docker.network.driver.mtu'], '1400');
    assert.equal(options(p)['com.docker.network.bridge.host_binding_ipv4'], '127.0.0.1');
    assert.equal(options(p)['com.docker.network.bridge.enable_icc'], 'false');
    await p.register({ containerId: ID(1), name: 'web', hostConfig: { NetworkMode: 'default' }, ports: [tcp(8080, 80), { ...tcp(8081, 81), hostIp: '0.0.0.0' }] });
    await start(p, 1, 'web', {}, { '80/tcp': {}, '81/tcp': {} });
    assert.deepEqual(driver.calls.slice(-1), ['plug 10.250.1.2 bxltest mtu 1400']);
    const dnat = iptables.rules.filter((r) => r.purpose === 'dnat').map((r) => r.args.slice(0, 2).join(' '));
    assert.deepEqual(dnat, ['-d 127.0.0.1/32', '-p tcp']);
    assert.ok(iptables.rules.some((r) => r.purpose === 'icc-drop' && r.args.join(' ') === '-i bxltest -o bxltest -j DROP'));
    assert.deepEqual((p.view(ID(1), { '80/tcp': {}, '81/tcp': {} })!.settings as { Ports: unknown }).Ports, {
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
      '81/tcp': [{ HostIp: '0.0.0.0', HostPort: '8081' }],
    });
  });

  it('IPAM survives a restart of the engine: a running container keeps its address and the next gets another', async () => {
    const p1 = await plane();
    await p1.register({ containerId: ID(1), name: 'a', hostConfig: {} });
    await start(p1, 1, 'a');
    const p2 = await plane();
    await p2.reconcile(new Set([ID(1)]), new Set([ID(1), ID(2)]));
    await p2.register({ containerId: ID(2), name: 'b', hostConfig: {} });
    await start(p2, 2, 'b');
    const ips = [ID(1), ID(2)].map((id) => (p2.view(id, {})!.settings as { IPAddress: string }).IPAddress);
    assert.deepEqual(ips, ['10.250.1.2', '10.250.1.3']);
  });

  it('a taken host port fails the start before anything is made', async () => {
    const p = await plane();
    busyPorts.add(8080);
    await p.register({ containerId: ID(1), name: 'web', hostConfig: {}, ports: [tcp(8080, 80)] });
    await assert.rejects(start(p, 1, 'web'), {
      code: 'FAILED_PRECONDITION',
      message: 'driver failed programming external connectivity on endpoint web: Bind for 0.0.0.0:8080 failed: port is already allocated',
    });
    assert.deepEqual(driver.calls, []);
    assert.equal(driver.netns.size, 0);
    assert.equal(p.view(ID(1), {})!.summaryPorts.length, 0);
  });

  it('two containers of the engine cannot publish the same host port; the first one frees it when it stops', async () => {
    const p = await plane();
    for (const n of [1, 2]) await p.register({ containerId: ID(n), name: `c${n}`, hostConfig: {}, ports: [tcp(8080, 80)] });
    await start(p, 1, 'c1');
    await assert.rejects(start(p, 2, 'c2'), /port is already allocated/);
    assert.equal(driver.netns.size, 1, 'the failed start left no netns');
    await p.detach(ID(1));
    await start(p, 2, 'c2');
  });

  it('-p 8000-8002:80 takes the first port of the range that is free; a full range fails the start as dockerd does', async () => {
    const p = await plane();
    busyPorts.add(8000);
    const range = { ...tcp(8000, 80), hostPortLast: 8002 };
    for (const n of [1, 2, 3]) await p.register({ containerId: ID(n), name: `r${n}`, hostConfig: {}, ports: [range] });
    await start(p, 1, 'r1');
    await start(p, 2, 'r2');
    const hostPorts = [1, 2].map((n) => p.view(ID(n), {})!.summaryPorts.map((s) => s.PublicPort));
    assert.deepEqual(hostPorts, [[8001], [8002]]);
    await assert.rejects(start(p, 3, 'r3'), { message: 'driver failed programming external connectivity on endpoint r3: Bind for 0.0.0.0:8000-8002 failed: port is already allocated' });
  });

  it('the ports registered at create are the ones published, after an engine restart too; a container of an older engine reads its HostConfig', async () => {
    const p1 = await plane();
    await p1.register({ containerId: ID(1), name: 'new', hostConfig: { PortBindings: { '81/tcp': [{ HostPort: '9999' }] } }, ports: [tcp(8080, 80)] });
    const p2 = await plane();
    await start(p2, 1, 'new', { PortBindings: { '81/tcp': [{ HostPort: '9999' }] } });
    // created before ports were registered: no entry in networks/published.json
    await start(p2, 2, 'old', { PortBindings: { '80/udp': [{ HostPort: '5353' }] } });
    assert.deepEqual(p2.view(ID(1), {})!.summaryPorts, [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }]);
    assert.deepEqual(p2.view(ID(2), {})!.summaryPorts, [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 5353, Type: 'udp' }]);
    await p2.register({ containerId: ID(3), name: 'crashed', hostConfig: {}, ports: [tcp(7070, 80)] });
    await p2.forget(ID(1));
    await p2.reconcile(new Set([ID(2)]), new Set([ID(2)]));
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'networks', 'published.json'), 'utf8')), {}, 'rm and reconcile dropped the ports of containers that are gone');
    const p3 = await plane();
    await p3.register({ containerId: ID(1), name: 'new', hostConfig: {} });
    await start(p3, 1, 'new');
    assert.deepEqual(p3.view(ID(1), {})!.summaryPorts, [], 'rm forgot the ports of the removed container');
  });

  it('names on user networks go into /etc/hosts of the others, and come out when a container leaves', async () => {
    const p = await plane();
    await p.create({ Name: 'appnet', IPAM: { Config: [{ Subnet: '10.251.0.0/24' }] } });
    await p.register({ containerId: ID(1), name: 'db', hostConfig: { NetworkMode: 'appnet' }, networkingConfig: { EndpointsConfig: { appnet: { Aliases: ['database'] } } } });
    await p.register({ containerId: ID(2), name: 'app', hostConfig: { NetworkMode: 'appnet' } });
    await start(p, 1, 'db');
    await start(p, 2, 'app');
    const hosts = readFileSync(path.join(dir, 'app.hosts'), 'utf8');
    assert.match(hosts, /^10\.251\.0\.2\tdb database 111111111111$/m);
    assert.match(hosts, /^10\.251\.0\.3\tapp$/m);
    await p.detach(ID(1));
    assert.doesNotMatch(readFileSync(path.join(dir, 'app.hosts'), 'utf8'), /\tdb/);
  });

  it('on the default bridge there are no names, only --link', async () => {
    const p = await plane();
    await p.register({ containerId: ID(1), name: 'db', hostConfig: {} });
    await p.register({ containerId: ID(2), name: 'app', hostConfig: { Links: ['db:legacy'] } });
    await p.register({ containerId: ID(3), name: 'other', hostConfig: {} });
    for (const [n, name] of [[1, 'db'], [2, 'app'], [3, 'other']] as const) await start(p, n, name);
    assert.match(readFileSync(path.join(dir, 'app.hosts'), 'utf8'), /^10\.250\.1\.2\tlegacy 111111111111 db$/m);
    assert.doesNotMatch(readFileSync(path.join(dir, 'other.hosts'), 'utf8'), /\tdb/);
  });

  it("Docker's errors: overlap, duplicate name, unknown network, network in use, pre-defined network", async () => {
    const p = await plane();
    await p.create({ Name: 'a', IPAM: { Config: [{ Subnet: '10.251.0.0/16' }] } });
    await assert.rejects(p.create({ Name: 'b', IPAM: { Config: [{ Subnet: '10.251.7.0/24' }] } }), /Pool overlaps with other one on this address space: 10.251.7.0\/24 overlaps network a/);
    await assert.rejects(p.create({ Name: 'c', IPAM: { Config: [{ Subnet: '10.250.1.0/25' }] } }), /overlaps network bridge/);
    await assert.rejects(p.create({ Name: 'a' }), { code: 'ALREADY_EXISTS', message: 'network with name a already exists' });
    await assert.rejects(p.register({ containerId: ID(9), name: 'x', hostConfig: { NetworkMode: 'nope' } }), /network nope not found/);
    assert.throws(() => p.inspect('nope'), { code: 'NOT_FOUND', message: 'network nope not found' });
    await p.register({ containerId: ID(1), name: 'x', hostConfig: { NetworkMode: 'a' } });
    await start(p, 1, 'x');
    const id = (p.inspect('a') as { Id: string }).Id;
    await assert.rejects(p.remove('a'), { code: 'FAILED_PRECONDITION', message: `error while removing network: network a id ${id} has active endpoints` });
    await assert.rejects(p.remove('bridge'), /bridge is a pre-defined network and cannot be removed/);
    await p.forget(ID(1));
    await p.remove(id.slice(0, 6));
    assert.ok(!driver.links.has(`br-${id.slice(0, 12)}`));
  });

  it('a bridge name that is not an interface name is refused before anything is made (issue 12)', async () => {
    const p = await plane();
    for (const name of ['x\nlink del lo', 'abcdefghijklmnopq', 'a/b', '..', 'a b']) {
      await assert.rejects(p.create({ Name: 'n', Options: { 'com.docker.network.bridge.name': name } }), (err: AppError) => err.code === 'INVALID_ARGUMENT' && err.message.startsWith(`invalid argument: bridge name ${JSON.stringify(name)}`));
    }
    await assert.rejects(p.create({ Name: 'n', Options: { 'com.docker.network.bridge.enable_icc': 'maybe' } }), /failed to parse com.docker.network.bridge.enable_icc value: maybe/);
    assert.deepEqual(driver.calls, []);
    assert.deepEqual(p.list().map((n) => n.Name), ['bridge', 'host', 'none']);
  });

  it("an interface that is not a bridge is refused; an existing bridge is used and outlives the network, as with dockerd", async () => {
    driver.links.add('eth9');
    driver.links.add('hostbr');
    driver.bridges.add('hostbr');
    const p = await plane();
    await assert.rejects(p.create({ Name: 'n', Options: { 'com.docker.network.bridge.name': 'eth9' } }), { code: 'INVALID_ARGUMENT', message: 'existing interface eth9 is not a bridge' });
    assert.equal(p.list().length, 3);
    await p.create({ Name: 'adopted', Options: { 'com.docker.network.bridge.name': 'hostbr' }, IPAM: { Config: [{ Subnet: '10.251.3.0/24' }] } });
    assert.deepEqual(driver.calls, ['adopt hostbr']);
    await assert.rejects(p.create({ Name: 'again', Options: { 'com.docker.network.bridge.name': 'hostbr' } }), /networks have same bridge name/);
    await p.register({ containerId: ID(1), name: 'x', hostConfig: { NetworkMode: 'adopted' } });
    await start(p, 1, 'x');
    await p.forget(ID(1));
    await p.shutdown();
    const p2 = await plane();
    await p2.remove('adopted');
    assert.ok(driver.links.has('hostbr'), 'the bridge the engine did not create is still there');
    assert.ok(driver.links.has('eth9'));
  });

  it('aliases and addresses of connect and create are checked before they are recorded', async () => {
    const p = await plane();
    await p.create({ Name: 'appnet', IPAM: { Config: [{ Subnet: '10.251.0.0/24' }] } });
    await assert.rejects(p.connect('appnet', { containerId: ID(1), name: 'a', running: false }, { Aliases: ['x\n10.0.0.9 evil'] }), /invalid network alias "x\\n10.0.0.9 evil"/);
    await assert.rejects(p.connect('appnet', { containerId: ID(1), name: 'a', running: false }, { IPAMConfig: { IPv4Address: '10.251.0.9\n' } }), /invalid IPv4 address/);
    const endpoints = { EndpointsConfig: { appnet: { Aliases: ['a b'] } } };
    await assert.rejects(p.register({ containerId: ID(2), name: 'b', hostConfig: { NetworkMode: 'appnet' }, networkingConfig: endpoints }), /invalid network alias "a b"/);
    assert.equal(p.view(ID(1), {}), undefined);
    assert.equal(p.view(ID(2), {}), undefined);
  });

  it('a container disconnected from its only network starts with loopback only, also after a restart; a removed network fails the start', async () => {
    const p = await plane();
    await p.create({ Name: 'solo', IPAM: { Config: [{ Subnet: '10.251.0.0/24' }] } });
    await p.create({ Name: 'gone', IPAM: { Config: [{ Subnet: '10.251.1.0/24' }] } });
    await p.register({ containerId: ID(1), name: 'a', hostConfig: { NetworkMode: 'solo' } });
    await p.register({ containerId: ID(2), name: 'b', hostConfig: { NetworkMode: 'gone' } });
    await p.register({ containerId: ID(3), name: 'c', hostConfig: {} });
    await p.disconnect('solo', ID(1));
    await p.disconnect('bridge', ID(3));
    await p.remove('gone');
    const p2 = await plane();
    assert.equal(await start(p2, 1, 'a', { NetworkMode: 'solo' }), undefined);
    assert.equal(await start(p2, 3, 'c', {}), undefined);
    await assert.rejects(start(p2, 2, 'b', { NetworkMode: 'gone' }), /network gone not found/);
    // connected again: it gets its endpoint back
    await p2.connect('solo', { containerId: ID(1), name: 'a', running: false });
    assert.ok(await start(p2, 1, 'a', { NetworkMode: 'solo' }));
  });

  it('reconcile drops endpoints of containers that stopped while the engine was down; an idle engine removes bridge and chains on shutdown', async () => {
    const p1 = await plane();
    await p1.register({ containerId: ID(1), name: 'gone', hostConfig: {} });
    await start(p1, 1, 'gone');
    const veth = [...driver.links].find((l) => l.startsWith('veth'))!;
    const p2 = await plane();
    await p2.reconcile(new Set(), new Set([ID(1)]));
    assert.ok(!driver.links.has(veth));
    assert.equal(driver.netns.size, 0);
    assert.equal((p2.view(ID(1), {})!.settings as { IPAddress: string }).IPAddress, '');
    await p2.shutdown();
    assert.ok(!driver.links.has('bxltest'));
    assert.ok(iptables.tornDown >= 1);
  });

  it('after an engine restart the DNS servers of networks with running containers listen before reconcile, which runs while the API answers', async () => {
    const p1 = await plane();
    await p1.create({ Name: 'appnet', IPAM: { Config: [{ Subnet: '10.251.0.0/24' }] } });
    await p1.create({ Name: 'idle', IPAM: { Config: [{ Subnet: '10.251.1.0/24' }] } });
    await p1.register({ containerId: ID(1), name: 'web', hostConfig: { NetworkMode: 'appnet' } });
    await start(p1, 1, 'web');
    await p1.shutdown();
    const dns = new RecordingDns();
    const p2 = new NetworkPlane({ root: dir, defaultBridge: { bridge: 'bxltest', subnet: '10.250.1.0/24', chainPrefix: 'BOXLAB-test01' }, tracer: new MemoryTracer(), driver, iptables, dns });
    await p2.init();
    assert.deepEqual([...dns.listening.values()], ['appnet'], 'no reconcile yet: only the network with a running container');
    await p2.reconcile(new Set([ID(1)]), new Set([ID(1)]));
    assert.deepEqual([...dns.listening.values()], ['appnet']);
  });

  describe('when the kernel side fails', () => {
    const SAVE_ERROR = "iptables-save -t nat failed: iptables-save v1.8.9 (legacy): can't initialize iptables table `nat': Table does not exist (do you need to insmod?)";
    const ipOf = (p: NetworkPlane, n: number) => (p.view(ID(n), {})!.settings as { IPAddress: string }).IPAddress;

    it('reconcile with an unreadable packet filter resolves with a warning naming the command and what it said', async () => {
      iptables.saveFails = new AppError('COMMAND_FAILED', SAVE_ERROR);
      const p = await plane();
      const warnings = await p.reconcile(new Set(), new Set());
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /iptables-save -t nat failed: .*Table does not exist/);
      assert.match(warnings[0], /modprobe ip_tables iptable_nat/);
    });

    it('then a bridge container fails to start with a clear error before anything is made, and starts once the filter works', async () => {
      iptables.saveFails = new AppError('COMMAND_FAILED', SAVE_ERROR);
      const p = await plane();
      await p.reconcile(new Set(), new Set([ID(1)]));
      await p.register({ containerId: ID(1), name: 'web', hostConfig: {} });
      await assert.rejects(start(p, 1, 'web'), (err: AppError) => {
        assert.equal(err.code, 'COMMAND_FAILED');
        assert.match(err.message, /^cannot set up the bridge network: the kernel's packet filter \(iptables\) is not usable: iptables-save -t nat failed/);
        assert.match(err.message, /modprobe ip_tables iptable_nat iptable_filter/);
        assert.match(err.message, /--network none or --network host/);
        return true;
      });
      assert.deepEqual(driver.calls, []);
      assert.equal(driver.netns.size, 0);
      assert.equal(ipOf(p, 1), '');
      // `modprobe` on the host: the next start looks again, without an engine restart
      iptables.saveFails = undefined;
      await start(p, 1, 'web');
      assert.equal(ipOf(p, 1), '10.250.1.2');
    });

    it('a start whose iptables-restore fails returns that error and takes back its veth, netns and address', async () => {
      const p = await plane();
      await p.register({ containerId: ID(1), name: 'web', hostConfig: {} });
      iptables.restoreFails = commandFailed('iptables-restore --noflush', "iptables-restore: unable to initialize table 'nat'");
      await assert.rejects(start(p, 1, 'web'), /^AppError: cannot set up the bridge network: .*iptables-restore --noflush failed: iptables-restore: unable to initialize table 'nat'/);
      assert.deepEqual([...driver.links], ['bxltest'], 'only the bridge is left (it goes when the engine is idle)');
      assert.equal(driver.netns.size, 0);
      assert.equal(ipOf(p, 1), '');
      iptables.restoreFails = undefined;
      await start(p, 1, 'web');
      assert.equal(ipOf(p, 1), '10.250.1.2', 'the address was given back');
    });

    it('the rollback of a failed start goes on past a step that fails: the netns goes even if the veth cannot be deleted', async () => {
      const p = await plane();
      await p.register({ containerId: ID(1), name: 'web', hostConfig: {} });
      iptables.restoreFails = commandFailed('iptables-restore --noflush', 'iptables-restore: line 2 failed');
      driver.deleteLink = async (name: string) => {
        throw commandFailed(`ip link del ${name}`, 'RTNETLINK answers: Device or resource busy');
      };
      await assert.rejects(start(p, 1, 'web'), /iptables-restore --noflush failed/, 'the start fails with the first error, not the rollback one');
      assert.equal(driver.netns.size, 0);
    });

    it('a veth that cannot be made fails the start with the driver error and leaves no netns or address', async () => {
      const p = await plane();
      await p.register({ containerId: ID(1), name: 'web', hostConfig: {} });
      driver.plug = async () => {
        throw commandFailed('ip link add', 'RTNETLINK answers: Operation not supported');
      };
      await assert.rejects(start(p, 1, 'web'), /ip link add failed: RTNETLINK answers: Operation not supported/);
      assert.equal(driver.netns.size, 0);
      assert.equal(ipOf(p, 1), '');
      assert.deepEqual(iptables.rules.filter((r) => r.containerId === ID(1)), []);
    });

    it('shutdown with an unusable packet filter still removes the bridges, then reports the iptables failure', async () => {
      const p = await plane();
      await p.create({ Name: 'appnet', IPAM: { Config: [{ Subnet: '10.250.9.0/24' }] } });
      assert.ok(driver.links.size >= 1);
      iptables.saveFails = new AppError('COMMAND_FAILED', SAVE_ERROR);
      await assert.rejects(p.shutdown(), /could not remove boxlab's iptables chains: iptables-save -t nat failed/);
      assert.deepEqual([...driver.links], []);
    });
  });
});
