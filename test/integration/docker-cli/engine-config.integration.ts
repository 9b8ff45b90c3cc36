// The real docker CLI against a boxlabd started with a configuration file in the shape of dockerd's
// daemon.json (boxlab engine start --config-file): docker info shows its registry mirrors, insecure
// registries, logging driver and debug mode as Debian's dockerd 20.10 does for the same file; a new
// container gets its log options (and rotates its log by them) and its default ulimits. Then the start
// errors: a setting given both as a flag and in the file, and unknown keys, in dockerd's words, compared
// with the reference dockerd started with the same file and flags. Last, the network and DNS keys: labels
// in docker info and resolv.conf's lines compared with dockerd's; mtu, ip and icc on the default bridge.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { randomSubnet } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { DOCKERD, ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { BOXLAB_BIN, REPO_ROOT } from '../../helpers/repo-paths.js';
import { requires } from '../../helpers/requires.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/daemon-json');
/** a shell loop printing lines "line <n> xxx..." (about 100 bytes each) from 0 to <to> - 1 */
const printLines = (to: number) => `i=0; while [ $i -lt ${to} ]; do echo "line $i ${'x'.repeat(90)}"; i=$((i+1)); done`;

describe('docker CLI: boxlabd started with a daemon.json', function () {
  this.timeout(120_000);
  let dir = '';
  /** the file's bip: the bridge's own address is the subnet's last one, so that it cannot be a default */
  const subnet = randomSubnet(100);
  const gateway = subnet.replace(/\.0\/24$/, '.254');
  const engine = useEngine({
    removeAfterEach: 'containers',
    needs: ['iptables'],
    prepare: async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-daemon-json-'));
      const file = path.join(dir, 'daemon.json');
      const notes = JSON.parse(await fs.readFile(path.join(FIXTURES, 'notes-registry-logs.json'), 'utf8'));
      await fs.writeFile(file, JSON.stringify({ ...notes, bip: `${gateway}/24` }, null, 2));
      return { args: ['--config-file', file] };
    },
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });
  const inspect = async (name: string) => JSON.parse(await engine.dockerOk(['inspect', name]))[0];

  it("docker info shows the file's registry mirrors, insecure registries, logging driver and debug mode, as dockerd does", async () => {
    const dockerd = JSON.parse(await fs.readFile(path.join(FIXTURES, 'dockerd-info.json'), 'utf8'));
    const info = JSON.parse(await engine.dockerOk(['info', '--format', '{{json .}}']));
    assert.deepEqual(info.RegistryConfig.Mirrors, dockerd.RegistryConfig.Mirrors);
    assert.deepEqual(info.RegistryConfig.InsecureRegistryCIDRs, dockerd.RegistryConfig.InsecureRegistryCIDRs);
    assert.deepEqual(info.RegistryConfig.IndexConfigs, dockerd.RegistryConfig.IndexConfigs);
    assert.equal(info.Debug, dockerd.Debug);
    assert.equal(info.LoggingDriver, dockerd.LoggingDriver);
    // what a student reads
    const text = await engine.dockerOk(['info']);
    assert.match(text, /\n Debug Mode: true\n/);
    assert.match(text, /\n Logging Driver: json-file\n/);
    assert.match(text, /\n Insecure Registries:\n {2}myreg\.local:5000\n {2}10\.99\.0\.0\/16\n {2}127\.0\.0\.0\/8\n Registry Mirrors:\n {2}http:\/\/127\.0\.0\.1:5999\/\n {2}https:\/\/mirror\.example\.com\/\n/);
  });

  it("a container that sets nothing gets the file's log options and rotates its log by them, and the default ulimit", async () => {
    const out = await engine.dockerOk(['run', '--name', 'defaults', 'busybox', 'sh', '-c', `ulimit -n; ulimit -Hn; ${printLines(1000)} >/dev/null; ${printLines(400)}`]);
    assert.deepEqual(out.split('\n').slice(0, 2), ['1024', '2048']);
    const info = await inspect('defaults');
    assert.deepEqual(info.HostConfig.LogConfig, { Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10k' } });
    assert.deepEqual(info.HostConfig.Ulimits, [{ Name: 'nofile', Hard: 2048, Soft: 1024 }]);
    const logDir = path.join(engine.root, 'containers', info.Id);
    const files = (await fs.readdir(logDir)).filter((n) => n.startsWith(`${info.Id}-json.log`)).sort();
    assert.deepEqual(files, [`${info.Id}-json.log`, `${info.Id}-json.log.1`, `${info.Id}-json.log.2`]);
    for (const f of files) {
      const { size } = await fs.stat(path.join(logDir, f));
      assert.ok(size <= 10_000 + 200, `${f} has ${size} bytes: more than max-size 10k`);
    }
    const lines = (await engine.dockerOk(['logs', 'defaults'])).split('\n').filter((l) => l.startsWith('line '));
    assert.equal(lines.at(-1)?.split(' ')[1], '399');
    assert.ok(lines.length < 200, `only the newest lines are kept (${lines.length})`);
  });

  it("the default bridge network takes the file's bip: its subnet, and the bridge's address as the containers' gateway", async () => {
    const bridge = JSON.parse(await engine.dockerOk(['network', 'inspect', 'bridge']))[0];
    assert.deepEqual(bridge.IPAM.Config, [{ Subnet: subnet, Gateway: gateway }]);
    const route = await engine.dockerOk(['run', '--rm', 'busybox', 'ip', 'route']);
    assert.match(route, new RegExp(`^default via ${gateway.replaceAll('.', '\\.')} dev eth0`, 'm'));
  });

  it("a container's own --log-opt and --ulimit win over the file's; --log-driver none takes none of its options", async () => {
    assert.equal((await engine.dockerOk(['run', '--name', 'own', '--log-opt', 'max-file=5', '--ulimit', 'nofile=500:600', 'busybox', 'sh', '-c', 'ulimit -n'])).trim(), '500');
    const own = await inspect('own');
    assert.deepEqual(own.HostConfig.LogConfig, { Type: 'json-file', Config: { 'max-file': '5', 'max-size': '10k' } });
    assert.deepEqual(own.HostConfig.Ulimits, [{ Name: 'nofile', Hard: 600, Soft: 500 }]);
    await engine.dockerOk(['create', '--name', 'quiet', '--log-driver', 'none', 'busybox', 'true']);
    assert.deepEqual((await inspect('quiet')).HostConfig.LogConfig, { Type: 'none', Config: {} });
  });
});

describe('boxlab engine start: errors in the configuration file, against dockerd', function () {
  this.timeout(120_000);
  let dir = '';
  before(async function () {
    requires(this, 'root', 'dockerd');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-daemon-json-errors-'));
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  /** writes the file and starts one engine with it; returns what it printed last on stderr (it must fail) */
  async function refused(engine: 'boxlabd' | 'dockerd', text: string, flags: string[]): Promise<string> {
    const where = await fs.mkdtemp(path.join(dir, `${engine}-`));
    const file = path.join(where, 'daemon.json');
    await fs.writeFile(file, text);
    const res =
      engine === 'boxlabd'
        ? await run(process.execPath, [BOXLAB_BIN, 'engine', 'start', '--config-file', file, '--socket', path.join(where, 's.sock'), '--root', path.join(where, 'root'), ...flags], { allowFailure: true, timeout: 30_000 })
        : await run(DOCKERD, ['--config-file', file, '--data-root', path.join(where, 'data'), '--exec-root', path.join(where, 'exec'), '--pidfile', path.join(where, 'd.pid'), '--bridge=none', '--iptables=false', ...flags], { allowFailure: true, timeout: 30_000 });
    assert.notEqual(res.exitCode, 0, `${engine} started with ${text} ${flags.join(' ')}:\n${res.stdout}\n${res.stderr}`);
    const lines = res.stderr.trim().split('\n');
    const line = lines.find((l) => l.startsWith('error: unable to configure') || l.startsWith('unable to configure'));
    assert.ok(line, `${engine} said: ${res.stderr}`);
    return line.replace(file, '<file>');
  }

  const cases: Array<{ what: string; text: string; flags: string[] }> = [
    { what: 'debug both in the file and as -D', text: '{"debug": true}', flags: ['-D'] },
    { what: 'registry mirrors both ways', text: '{"registry-mirrors": ["http://x"]}', flags: ['--registry-mirror', 'http://y'] },
    { what: 'log options both ways', text: '{"log-opts": {"max-size": "1k"}}', flags: ['--log-opt', 'max-file=2'] },
    { what: 'an unknown key', text: '{"debugg": true}', flags: [] },
  ];
  for (const c of cases) {
    it(`${c.what}: the same sentence as dockerd's`, async () => {
      const dockerd = await refused('dockerd', c.text, ['-H', `unix://${path.join(dir, 'unused.sock')}`, ...c.flags]);
      const boxlabd = await refused('boxlabd', c.text, c.flags);
      assert.equal(boxlabd.replace(/^error: unable to configure boxlabd with file <file>: (line \d+: )?/, ''), dockerd.replace(/^unable to configure the Docker daemon with file <file>: /, ''));
    });
  }

  it('a bad value: the file, the line, the key, and what to write', async () => {
    const said = await refused('boxlabd', '{\n  "registry-mirrors": ["127.0.0.1:5000"]\n}\n', []);
    assert.equal(said, 'error: unable to configure boxlabd with file <file>: line 2, "registry-mirrors": invalid mirror: unsupported scheme "" in "127.0.0.1:5000"');
  });
});

describe("docker CLI: boxlabd with the notes' network and DNS keys (labels, dns, dns-search, dns-opts, ip, mtu, icc)", function () {
  this.timeout(180_000);
  let dir = '';
  let reference: ReferenceDockerd | undefined;
  const settings = async () => JSON.parse(await fs.readFile(path.join(FIXTURES, 'notes-network-dns.json'), 'utf8')) as Record<string, unknown>;
  const engine = useEngine({
    removeAfterEach: 'containers',
    needs: ['iptables'],
    prepare: async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-daemon-json-net-'));
      const file = path.join(dir, 'daemon.json');
      await fs.writeFile(file, JSON.stringify(await settings(), null, 2));
      return { args: ['--config-file', file] };
    },
  });
  before(async function () {
    if (!ReferenceDockerd.available()) return;
    // dockerd refuses icc false without iptables, and the reference runs without iptables (it must not
    // change the host's rules): the rest of the file is the same
    const { icc: _icc, ...rest } = await settings();
    await fs.writeFile(path.join(dir, 'dockerd.json'), JSON.stringify(rest));
    reference = await ReferenceDockerd.start('boxlab-daemon-json-ref', ['--config-file', path.join(dir, 'dockerd.json')]);
  });
  after(async () => {
    await reference?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });
  const bridgeOptions = async () => JSON.parse(await engine.dockerOk(['network', 'inspect', 'bridge', '--format', '{{json .Options}}'])) as Record<string, string>;

  it("docker info shows the file's labels, and a container's resolv.conf takes its dns settings, as dockerd's", async function () {
    const info = JSON.parse(await engine.dockerOk(['info', '--format', '{{json .Labels}}']));
    assert.deepEqual(info, ['env=lab', 'owner=l22']);
    assert.match(await engine.dockerOk(['info']), /\n Labels:\n {2}env=lab\n {2}owner=l22\n/);
    const resolv = await engine.dockerOk(['run', '--rm', '--network', 'none', 'busybox', 'cat', '/etc/resolv.conf']);
    assert.equal(resolv.trimEnd(), 'search lab.example\nnameserver 10.0.0.2\nnameserver 1.1.1.1\noptions ndots:2');
    const own = await engine.dockerOk(['run', '--rm', '--network', 'none', '--dns', '9.9.9.9', 'busybox', 'cat', '/etc/resolv.conf']);
    assert.equal(own.trimEnd(), 'search lab.example\nnameserver 9.9.9.9\noptions ndots:2');
    await engine.dockerOk(['create', '--name', 'l22dns', 'busybox', 'true']);
    assert.deepEqual(JSON.parse(await engine.dockerOk(['inspect', '--format', '{{json .HostConfig.Dns}}', 'l22dns'])), []);
    if (!reference) return this.skip();
    // dockerd 20.10 de-duplicates the labels through a Go map (GetConflictFreeLabels), so its order changes from
    // one start to the next; boxlabd keeps the file's order. The same labels, compared as a set:
    const referenceLabels = JSON.parse(await reference.dockerOk(['info', '--format', '{{json .Labels}}'])) as string[];
    assert.deepEqual([...referenceLabels].sort(), [...info].sort());
    assert.equal((await reference.dockerOk(['run', '--rm', '--network', 'none', 'busybox', 'cat', '/etc/resolv.conf'])).trimEnd(), resolv.trimEnd());
    assert.equal((await reference.dockerOk(['run', '--rm', '--network', 'none', '--dns', '9.9.9.9', 'busybox', 'cat', '/etc/resolv.conf'])).trimEnd(), own.trimEnd());
    await reference.dockerOk(['create', '--name', 'l22dns', 'busybox', 'true']);
    assert.deepEqual(JSON.parse(await reference.dockerOk(['inspect', '--format', '{{json .HostConfig.Dns}}', 'l22dns'])), []);
  });

  it("the default bridge has the file's mtu: its options, its containers' eth0, the bridge once they are plugged in", async () => {
    const options = await bridgeOptions();
    assert.equal(options['com.docker.network.driver.mtu'], '1400');
    await engine.dockerOk(['run', '-d', '--name', 'l22mtu', 'busybox', 'sleep', '60']);
    const eth0 = await engine.dockerOk(['exec', 'l22mtu', 'cat', '/sys/class/net/eth0/mtu']);
    assert.equal(eth0.trim(), '1400');
    const bridgeMtu = await fs.readFile(`/sys/class/net/${options['com.docker.network.bridge.name']}/mtu`, 'utf8');
    assert.equal(bridgeMtu.trim(), '1400');
    // a user network keeps 1500, as dockerd 20.10's
    await engine.dockerOk(['network', 'create', 'l22net']);
    try {
      assert.equal((await engine.dockerOk(['run', '--rm', '--network', 'l22net', 'busybox', 'cat', '/sys/class/net/eth0/mtu'])).trim(), '1500');
    } finally {
      await engine.docker(['network', 'rm', 'l22net']);
    }
  });

  it("-p without an address publishes on the file's ip (docker port, the DNAT rule); -p 0.0.0.0:... on every address", async () => {
    assert.equal((await bridgeOptions())['com.docker.network.bridge.host_binding_ipv4'], '127.0.0.1');
    await engine.dockerOk(['run', '-d', '--name', 'l22ip', '-p', '80', '-p', '0.0.0.0::81', 'busybox', 'httpd', '-f', '-p', '80']);
    const ports = (await engine.dockerOk(['port', 'l22ip'])).trim().split('\n');
    assert.match(ports[0], /^80\/tcp -> 127\.0\.0\.1:\d+$/);
    assert.match(ports[1], /^81\/tcp -> 0\.0\.0\.0:\d+$/);
    assert.deepEqual(JSON.parse(await engine.dockerOk(['inspect', '--format', '{{json .HostConfig.PortBindings}}', 'l22ip']))['80/tcp'], [{ HostIp: '', HostPort: '' }]);
    const port = ports[0].split(':')[1];
    const rules = (await run('iptables-save', ['-t', 'nat'])).stdout;
    assert.match(rules, new RegExp(`-d 127\\.0\\.0\\.1/32 -p tcp -m tcp --dport ${port} .*-j DNAT`));
    const page = await run('wget', ['-q', '-O', '-', `http://127.0.0.1:${port}/`], { allowFailure: true, timeout: 10_000 });
    assert.doesNotMatch(page.stderr, /Connection refused/);
  });

  it('icc false: containers on the default bridge cannot reach each other (a DROP rule), but reach the gateway', async () => {
    const options = await bridgeOptions();
    assert.equal(options['com.docker.network.bridge.enable_icc'], 'false');
    const br = options['com.docker.network.bridge.name'];
    await engine.dockerOk(['run', '-d', '--name', 'l22icc', 'busybox', 'sleep', '60']);
    const ip = (await engine.dockerOk(['inspect', '--format', '{{.NetworkSettings.IPAddress}}', 'l22icc'])).trim();
    const rules = (await run('iptables-save', ['-t', 'filter'])).stdout;
    assert.match(rules, new RegExp(`-i ${br} -o ${br} -j DROP`));
    const peer = await engine.docker(['run', '--rm', 'busybox', 'ping', '-c', '1', '-W', '2', ip]);
    assert.notEqual(peer.exitCode, 0, `ping ${ip} should fail with icc false: ${peer.stdout}`);
    const gateway = (await engine.dockerOk(['network', 'inspect', 'bridge', '--format', '{{(index .IPAM.Config 0).Gateway}}'])).trim();
    await engine.dockerOk(['run', '--rm', 'busybox', 'ping', '-c', '1', '-W', '2', gateway]);
  });
});
