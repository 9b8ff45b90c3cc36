// The real docker CLI against a boxlabd started with a configuration file in the shape of dockerd's
// daemon.json (boxlab engine start --config-file): docker info shows its registry mirrors, insecure
// registries, logging driver and debug mode as Debian's dockerd 20.10 does for the same file; a new
// container gets its log options (and rotates its log by them) and its default ulimits. Then the start
// errors: a setting given both as a flag and in the file, and unknown keys, in dockerd's words, compared
// with the reference dockerd started with the same file and flags.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { randomSubnet } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { DOCKERD } from '../../helpers/reference-dockerd.js';
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
