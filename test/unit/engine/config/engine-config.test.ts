import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../../src/core/errors.js';
import type { DaemonSettings } from '../../../../src/engine/config/daemon-json.js';
import { goFormat, resolveEngineConfig, type CommandLine } from '../../../../src/engine/config/engine-config.js';
import { REPO_ROOT } from '../../../helpers/repo-paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/daemon-json');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const recorded = JSON.parse(fixture('dockerd-errors.json')) as Array<{ file: string; flags: string[]; dockerd: string }>;
const ENV = { HOME: '/home/student' };
const FILE = '/etc/boxlab/daemon.json';

const cli = (settings: DaemonSettings = {}, extra: Partial<CommandLine> = {}): CommandLine => ({ settings, ...extra });
const withFile = (text: string, settings: DaemonSettings = {}, extra: Partial<CommandLine> = {}) => resolveEngineConfig(cli(settings, extra), { path: FILE, text }, ENV);

/** the AppError resolveEngineConfig throws */
function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return err;
  }
  assert.fail('no error');
}

/** dockerd's recorded message for a file, without its "unable to configure the Docker daemon with file <file>: " */
function dockerdSays(file: string): string {
  const entry = recorded.find((r) => r.file === file);
  assert.ok(entry, `no recording for ${file}`);
  return entry.dockerd.replace(/^unable to configure the Docker daemon with file <file>: /, '').replace(/^failed to start daemon: /, '');
}

describe('engine configuration: the file merged with the flags', () => {
  it("gives boxlab's defaults with no file and no flag", () => {
    const config = resolveEngineConfig(cli(), undefined, ENV);
    assert.deepEqual(config, {
      configFile: undefined,
      dataRoot: '/var/lib/boxlab',
      hosts: [{ proto: 'unix', path: '/run/boxlab/docker.sock' }],
      tls: undefined,
      debug: false,
      logLevel: 'info',
      registryMirrors: [],
      insecureRegistries: [],
      logConfig: { Type: 'json-file', Config: {} },
      defaultUlimits: [],
      bridge: { name: undefined, subnet: undefined, mtu: 1500, hostBindingIp: '0.0.0.0', icc: true },
      labels: [],
      dns: { servers: [], search: [], options: [] },
    });
  });

  it("reads the notes' registry and log file: mirrors as dockerd normalizes them, the container defaults, debug", () => {
    const config = withFile(fixture('notes-registry-logs.json'));
    assert.equal(config.configFile, FILE);
    assert.deepEqual(config.registryMirrors, ['http://127.0.0.1:5999/', 'https://mirror.example.com/']);
    assert.deepEqual(config.insecureRegistries, ['myreg.local:5000', '10.99.0.0/16']);
    assert.deepEqual(config.logConfig, { Type: 'json-file', Config: { 'max-size': '10k', 'max-file': '3' } });
    assert.deepEqual(config.defaultUlimits, [{ Name: 'nofile', Hard: 2048, Soft: 1024 }]);
    assert.equal(config.debug, true);
    assert.equal(config.logLevel, 'debug');
    // what dockerd's docker info showed for the same file
    const info = JSON.parse(fixture('dockerd-info.json'));
    assert.deepEqual(config.registryMirrors, info.RegistryConfig.Mirrors);
  });

  it('reads the remote-access file: hosts, TLS with the given files, bip as subnet and gateway, data-root', () => {
    const config = withFile(fixture('notes-remote-tls.json'));
    assert.deepEqual(config.hosts, [{ proto: 'unix', path: '/var/run/docker.sock' }, { proto: 'tcp', host: '0.0.0.0', port: 2376 }]);
    assert.deepEqual(config.tls, { verify: true, caFile: '/etc/docker/certs/ca.pem', certFile: '/etc/docker/certs/server-cert.pem', keyFile: '/etc/docker/certs/server-key.pem' });
    assert.deepEqual(config.bridge, { name: undefined, subnet: '192.168.200.0/24', gateway: '192.168.200.1', mtu: 1500, hostBindingIp: '0.0.0.0', icc: true });
    assert.equal(config.dataRoot, '/mnt/docker-data');
  });

  it("refuses a setting given both ways in dockerd's words (debug, registry-mirrors, hosts)", () => {
    const debug = errorOf(() => withFile('{"debug": true}', { debug: true }));
    assert.equal(debug.message, `unable to configure boxlabd with file ${FILE}: ${dockerdSays('{"debug": true}')}`);
    assert.deepEqual(debug.suggestions, [`give debug once: remove "debug" from ${FILE}, or drop --debug`]);
    const mirrors = errorOf(() => withFile('{"registry-mirrors": ["http://x"]}', { 'registry-mirrors': ['http://y/'] }));
    assert.equal(mirrors.message, `unable to configure boxlabd with file ${FILE}: ${dockerdSays('{"registry-mirrors": ["http://x"]}')}`);
    const hosts = errorOf(() => withFile('{"hosts": ["tcp://127.0.0.1:2399"]}', { hosts: ['unix:///tmp/ec/d.sock', 'unix:///tmp/ec/x.sock'] }));
    assert.equal(hosts.message, `unable to configure boxlabd with file ${FILE}: ${dockerdSays('{"hosts": ["tcp://127.0.0.1:2399"]}')}`);
  });

  it('lists every conflict, in the order of the flag names, as dockerd visits its flags', () => {
    const err = errorOf(() => withFile('{"tlsverify": true, "log-opts": {"max-size": "1k"}, "debug": true}', { tlsverify: true, debug: true, 'log-opts': { 'max-file': '2' } }));
    assert.match(err.message, /: debug: \(from flag: true, from file: true\), log-opts: \(from flag: map\[max-file:2\], from file: map\[max-size:1k\]\), tlsverify: \(from flag: true, from file: true\)$/);
  });

  it("names the file, the line and the key of a bad value, with dockerd's words where it has some", () => {
    const mirror = errorOf(() => withFile('{\n  "registry-mirrors": ["x"]\n}'));
    assert.equal(mirror.message, `unable to configure boxlabd with file ${FILE}: line 2, "registry-mirrors": ${dockerdSays('{"registry-mirrors": ["x"]}')}`);
    assert.deepEqual(mirror.suggestions, ['a mirror is a URL with no path, such as http://127.0.0.1:5000']);
    const insecure = errorOf(() => withFile('{"insecure-registries": ["a/b"]}'));
    assert.match(insecure.message, /line 1, "insecure-registries": insecure registry a\/b is not valid: invalid host "a\/b"$/);
    const opts = errorOf(() => withFile('{"log-opts": {"max-sise": "5"}}'));
    assert.match(opts.message, /"log-opts": unknown log opt 'max-sise' for json-file log driver$/);
    const size = errorOf(() => withFile('{"log-opts": {"max-size": "lots"}}'));
    assert.match(size.message, /"log-opts": failed to set log opts: invalid size: 'lots'$/);
    const ulimit = errorOf(() => withFile('{"default-ulimits": {"nofile": {"Name": "nofile", "Soft": 20, "Hard": 10}}}'));
    assert.match(ulimit.message, /"default-ulimits": ulimit soft limit must be less than or equal to hard limit: 20 > 10$/);
    const bip = errorOf(() => withFile('{"bip": "192.168.200.0/24"}'));
    assert.match(bip.message, /"bip": invalid bip "192.168.200.0\/24": 192.168.200.0 is the network's own address; give the bridge a host address, such as 192.168.200.1\/24$/);
  });

  it("reads the network and DNS keys of the notes: labels, dns, dns-search, dns-opts, ip, mtu, icc", () => {
    const config = withFile(fixture('notes-network-dns.json'));
    assert.deepEqual(config.labels, ['env=lab', 'owner=l22']);
    assert.deepEqual(config.dns, { servers: ['10.0.0.2', '1.1.1.1'], search: ['lab.example'], options: ['ndots:2'] });
    assert.deepEqual(config.bridge, { name: undefined, subnet: undefined, mtu: 1400, hostBindingIp: '127.0.0.1', icc: false });
    assert.equal(withFile('{"mtu": 0}').bridge.mtu, 1500);
    // the same key twice with one value is one label; with two values, dockerd's conflict
    assert.deepEqual(withFile('{"labels": ["a=1", "a=1"]}').labels, ['a=1']);
    assert.match(errorOf(() => withFile('{"labels": ["a=1", "a=2"]}')).message, /"labels": conflict labels for a=2 and a=1$/);
  });

  it("names the key and the line of a bad network or DNS value, in dockerd's words and then the fix", () => {
    const core = (file: string) => dockerdSays(file).replace(/^configuration validation from file failed: /, '');
    const label = errorOf(() => withFile('{\n  "labels": ["nolabel"]\n}'));
    assert.equal(label.message, `unable to configure boxlabd with file ${FILE}: line 2, "labels": ${core('{"labels": ["nolabel"]}')}: a label is key=value, such as env=lab`);
    assert.match(errorOf(() => withFile('{"dns": ["not-an-ip"]}')).message, new RegExp(`line 1, "dns": ${core('{"dns": ["not-an-ip"]}')}: `));
    assert.match(errorOf(() => withFile('{"dns-search": ["-bad"]}')).message, new RegExp(`line 1, "dns-search": ${core('{"dns-search": ["-bad"]}')}: `));
    assert.match(errorOf(() => withFile('{"ip": "1.2.3"}')).message, new RegExp(`line 1, "ip": ${core('{"ip": "1.2.3"}')}: `));
    assert.match(errorOf(() => withFile('{"mtu": 10}')).message, /line 1, "mtu": invalid MTU 10: write a number from 68 to 65535/);
    assert.match(errorOf(() => resolveEngineConfig(cli({ ip: 'localhost' }), undefined, ENV)).message, /^invalid --ip: invalid IP address: localhost/);
  });

  it("refuses icc false with iptables false as dockerd does: boxlab always manages iptables", () => {
    assert.match(dockerdSays('{"icc": false, "iptables": false}'), /ICC=false uses iptables to function/);
    assert.match(errorOf(() => withFile('{"icc": false, "iptables": false}')).message, /"iptables": boxlab always runs with true; found false$/);
  });

  it('accepts only the log drivers boxlab implements, and says which', () => {
    const local = errorOf(() => withFile('{"log-driver": "local"}'));
    assert.match(local.message, /line 1, "log-driver": log driver 'local' is not supported by boxlab$/);
    assert.deepEqual(local.suggestions, ['boxlab keeps logs with --log-driver json-file (the default) or none']);
    assert.match(errorOf(() => withFile('{"log-driver": "foo"}')).message, /"log-driver": error looking up logging plugin foo: plugin "foo" not found$/);
    assert.deepEqual(withFile('{"log-driver": "none"}').logConfig, { Type: 'none', Config: {} });
  });

  it('turns TLS on with tlsverify, takes the files from DOCKER_CERT_PATH or ~/.docker, and TCP to 2376', () => {
    const config = resolveEngineConfig(cli({ tlsverify: true, hosts: ['tcp://127.0.0.1'] }), undefined, ENV);
    assert.deepEqual(config.tls, { verify: true, caFile: '/home/student/.docker/ca.pem', certFile: '/home/student/.docker/cert.pem', keyFile: '/home/student/.docker/key.pem' });
    assert.deepEqual(config.hosts, [{ proto: 'tcp', host: '127.0.0.1', port: 2376 }]);
    const tls = resolveEngineConfig(cli({ tls: true }), undefined, { DOCKER_CERT_PATH: '/certs' });
    assert.deepEqual(tls.tls, { verify: false, caFile: '/certs/ca.pem', certFile: '/certs/cert.pem', keyFile: '/certs/key.pem' });
    assert.deepEqual(resolveEngineConfig(cli({ hosts: ['127.0.0.1:'] }), undefined, ENV).hosts, [{ proto: 'tcp', host: '127.0.0.1', port: 2375 }]);
  });

  it('refuses TLS files without TLS, and flags with bad values, naming the flag', () => {
    assert.match(errorOf(() => resolveEngineConfig(cli({ tlscert: 'c.pem' }), undefined, ENV)).message, /^invalid --tlscert: tlscert is set but TLS is off/);
    assert.match(errorOf(() => resolveEngineConfig(cli({ hosts: ['fd://'] }), undefined, ENV)).message, /^invalid --host: fd:\/\/: boxlab does not take sockets from systemd/);
    assert.match(errorOf(() => resolveEngineConfig(cli({ bip: '10.0.0.1' }), undefined, ENV)).message, /^invalid --bip: invalid bip "10.0.0.1": expected the bridge's address with its prefix/);
    assert.match(errorOf(() => resolveEngineConfig(cli({ 'log-level': 'loud' }), undefined, ENV)).message, /^invalid --log-level: unable to parse logging level: loud/);
    assert.match(errorOf(() => withFile('{"bip": "10.1.0.1/24"}', {}, { bridgeSubnet: '10.2.0.0/24' })).message, /"bip": bip and --bridge-subnet both set/);
  });

  it('wants an absolute data-root in the file; a flag is taken from the current folder', () => {
    assert.match(errorOf(() => withFile('{"data-root": "data"}')).message, /"data-root": "data" is not an absolute path/);
    assert.equal(resolveEngineConfig(cli({ 'data-root': 'data' }), undefined, ENV).dataRoot, path.resolve('data'));
  });
});

describe("Go's %v, for dockerd's conflict message", () => {
  it('prints lists, maps (sorted), numbers and booleans as Go does', () => {
    assert.equal(goFormat(['http://x', 'b']), '[http://x b]');
    assert.equal(goFormat({ b: '1', a: { Soft: 1024, Hard: 2048 } }), 'map[a:map[Hard:2048 Soft:1024] b:1]');
    assert.equal(goFormat(1048576), '1.048576e+06');
    assert.equal(goFormat(65536), '65536');
    assert.equal(goFormat(true), 'true');
  });
});
