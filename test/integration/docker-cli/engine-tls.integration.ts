// Remote access as dockerd gives it: boxlabd on a TCP port with TLS (--tlsverify --tlscacert --tlscert
// --tlskey), reached by the real docker CLI with a client certificate; a client without one, with one of
// another CA, or in plain HTTP is refused. The same clients against Debian's dockerd 20.10 with the same
// certificates (made by openssl at test time) print the same, except the TLS alert for a missing client
// certificate (docs/differences-from-dockerd.md). Without TLS the port still answers, after dockerd's
// warning that it gives root on this host to whoever reaches it.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../src/vm/providers/qemu/free-port.js';
import type { EngineHarness } from '../../helpers/engine-harness.js';
import { NEW_DOCKER } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';
import { requires } from '../../helpers/requires.js';
import { makeTestPki, type TestPki } from '../../helpers/tls-certs.js';
import { waitFor } from '../../helpers/wait-for.js';
import { run } from '../../../src/core/exec.js';

/** the TCP port boxlabd printed it listens on */
async function tcpPort(engine: EngineHarness): Promise<number> {
  const line = await waitFor('boxlabd listening on tcp://', async () => (await fs.readFile(engine.logFile, 'utf8')).split('\n').find((l) => l.startsWith('boxlabd listening on tcp://')));
  return Number(/tcp:\/\/127\.0\.0\.1:(\d+)/.exec(line)![1]);
}

/** the docker CLI with only the given flags (no DOCKER_HOST, an empty DOCKER_CERT_PATH: nothing found by default) */
function dockerAt(port: number, flags: string[], certPath: string, args = ['version', '--format', '{{.Server.Os}}']) {
  const env = { DOCKER_CERT_PATH: certPath, DOCKER_CONFIG: certPath, DOCKER_HOST: '', DOCKER_CLI_HINTS: 'false' };
  return run(NEW_DOCKER, [...flags, '-H', `tcp://127.0.0.1:${port}`, ...args], { env, allowFailure: true, timeout: 30_000 });
}

/** the clients every comparison runs: name -> docker flags */
function clients(pki: TestPki): Record<string, string[]> {
  return {
    'client certificate': ['--tlsverify', '--tlscacert', pki.ca, '--tlscert', pki.clientCert, '--tlskey', pki.clientKey],
    'no client certificate': ['--tlsverify', '--tlscacert', pki.ca],
    "another CA's certificate": ['--tlsverify', '--tlscacert', pki.ca, '--tlscert', pki.strangerCert, '--tlskey', pki.strangerKey],
    'plain HTTP': [],
    'a server CA it does not trust': ['--tlsverify', '--tlscacert', pki.strangerCa, '--tlscert', pki.clientCert, '--tlskey', pki.clientKey],
  };
}

/** what a student sees: the output with the port and API version made neutral */
const neutral = (text: string, port: number) => text.trim().replaceAll(`127.0.0.1:${port}`, '127.0.0.1:PORT').replace(/\/v1\.\d+\//g, '/vX/');

/**
 * useEngine() for a describe() whose boxlabd listens on TCP with TLS: a fresh PKI (and an empty folder for
 * the clients' DOCKER_CERT_PATH) in a temp dir removed after the suite; tlsFlags gives the engine's TLS flags
 */
function useTlsEngine(tlsFlags: (pki: TestPki) => string[]): { engine: EngineHarness; pki: () => TestPki; certPath: () => string } {
  let dir = '';
  let pki: TestPki | undefined;
  const engine = useEngine({
    busybox: false,
    needs: ['openssl'],
    prepare: async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-tls-'));
      pki = await makeTestPki(path.join(dir, 'pki'));
      await fs.mkdir(path.join(dir, 'empty'));
      return { args: ['-H', 'tcp://127.0.0.1:0', ...tlsFlags(pki)] };
    },
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });
  return { engine, pki: () => pki!, certPath: () => path.join(dir, 'empty') };
}

describe('docker CLI: boxlabd over TCP with TLS (--tlsverify)', function () {
  this.timeout(180_000);
  const tls = useTlsEngine((p) => ['--tlsverify', '--tlscacert', p.ca, '--tlscert', p.serverCert, '--tlskey', p.serverKey]);
  const engine = tls.engine;
  let pki: TestPki;
  let certPath = '';
  before(() => {
    pki = tls.pki();
    certPath = tls.certPath();
  });

  it('answers the docker CLI that shows a certificate signed by the CA', async () => {
    const port = await tcpPort(engine);
    const res = await dockerAt(port, clients(pki)['client certificate'], certPath, ['version', '--format', '{{.Server.Platform.Name}}']);
    assert.equal(res.exitCode, 0, res.stderr);
    assert.equal(res.stdout.trim(), 'boxlab');
    // and docker ps, a real call through the same connection
    assert.equal((await dockerAt(port, clients(pki)['client certificate'], certPath, ['ps', '-q'])).exitCode, 0);
    assert.doesNotMatch(await engine.logTail(200), /without --tlsverify/, 'no warning with --tlsverify');
  });

  it('refuses a client without a certificate, with a certificate of another CA, and plain HTTP', async () => {
    const port = await tcpPort(engine);
    const c = clients(pki);
    const none = await dockerAt(port, c['no client certificate'], certPath);
    assert.notEqual(none.exitCode, 0);
    assert.match(none.stderr, /remote error: tls: certificate required/);
    const stranger = await dockerAt(port, c["another CA's certificate"], certPath);
    assert.notEqual(stranger.exitCode, 0);
    assert.match(stranger.stderr, /remote error: tls: certificate required/, 'Go sends no certificate the server did not ask for (its CA is not in the request)');
    const plain = await dockerAt(port, c['plain HTTP'], certPath);
    assert.notEqual(plain.exitCode, 0);
    assert.equal(plain.stderr.trim(), 'Error response from daemon: Client sent an HTTP request to an HTTPS server.');
  });

  it("prints what dockerd's clients print with the same certificates (the missing-certificate alert aside)", async function () {
    requires(this, 'dockerd');
    const port = await tcpPort(engine);
    const dockerdPort = await freePort();
    const reference = await ReferenceDockerd.start('boxlab-tls-ref', ['-H', `tcp://127.0.0.1:${dockerdPort}`, '--tlsverify', '--tlscacert', pki.ca, '--tlscert', pki.serverCert, '--tlskey', pki.serverKey]);
    try {
      for (const [name, flags] of Object.entries(clients(pki))) {
        const ours = await dockerAt(port, flags, certPath);
        const theirs = await dockerAt(dockerdPort, flags, certPath);
        assert.equal(ours.exitCode === 0, theirs.exitCode === 0, `${name}: boxlabd exit ${ours.exitCode}, dockerd exit ${theirs.exitCode}`);
        if (ours.exitCode === 0) continue;
        const a = neutral(ours.stderr, port);
        const b = neutral(theirs.stderr, dockerdPort);
        if (name === 'no client certificate' || name === "another CA's certificate") {
          // dockerd 20.10 (Go before golang/go#52113) sends TLS's bad_certificate alert, which the CLI explains;
          // OpenSSL (and newer Go) send TLS 1.3's certificate_required
          assert.equal(b, 'the server probably has client authentication (--tlsverify) enabled; check your TLS client certification settings: Get "https://127.0.0.1:PORT/vX/version": remote error: tls: bad certificate');
          assert.equal(a, 'error during connect: Get "https://127.0.0.1:PORT/vX/version": remote error: tls: certificate required');
        } else assert.equal(a, b, name);
      }
    } finally {
      await reference.stop();
    }
  });
});

describe('docker CLI: boxlabd over TCP with --tls (no client certificate asked)', function () {
  this.timeout(120_000);
  const tls = useTlsEngine((p) => ['--tls', '--tlscert', p.serverCert, '--tlskey', p.serverKey]);
  const engine = tls.engine;

  it("answers a client that only checks the server's certificate, and still warns: TLS without client certificates is no authentication", async () => {
    const port = await tcpPort(engine);
    const res = await dockerAt(port, ['--tlsverify', '--tlscacert', tls.pki().ca], tls.certPath(), ['version', '--format', '{{.Server.Platform.Name}}']);
    assert.equal(res.exitCode, 0, res.stderr);
    assert.equal(res.stdout.trim(), 'boxlab');
    assert.match(await engine.logTail(200), /Binding to IP address without --tlsverify is insecure/);
  });
});

describe('boxlab engine start: TLS files that do not fit', function () {
  this.timeout(60_000);
  let pki: TestPki | undefined;
  before(async function () {
    requires(this, 'root', 'openssl');
    pki = await makeTestPki(await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-tls-bad-')));
  });
  after(async () => {
    if (pki) await fs.rm(pki.dir, { recursive: true, force: true });
  });

  it('refuses to start with a key that is not the certificate\'s, or a CA file that is missing, naming the files', async () => {
    const p = pki!;
    const start = (flags: string[]) =>
      run(process.execPath, [BOXLAB_BIN, 'engine', 'start', '--socket', path.join(p.dir, 's.sock'), '--root', path.join(p.dir, 'root'), '-H', 'tcp://127.0.0.1:0', ...flags], { allowFailure: true, timeout: 30_000 });
    const mismatch = await start(['--tlsverify', '--tlscacert', p.ca, '--tlscert', p.serverCert, '--tlskey', p.clientKey]);
    assert.equal(mismatch.exitCode, 1);
    assert.match(mismatch.stderr, new RegExp(`error: Could not load X509 key pair \\(cert: "${p.serverCert}", key: "${p.clientKey}", CA: "${p.ca}"\\): the key does not belong to the certificate`));
    const noCa = await start(['--tlsverify', '--tlscacert', path.join(p.dir, 'nope.pem'), '--tlscert', p.serverCert, '--tlskey', p.serverKey]);
    assert.equal(noCa.exitCode, 1);
    assert.match(noCa.stderr, /error: could not read the TLS CA certificate \(--tlscacert\) ".*nope\.pem": ENOENT/);
  });
});

describe('docker CLI: boxlabd over TCP without TLS', function () {
  this.timeout(120_000);
  const engine = useEngine({ busybox: false, prepare: () => ({ args: ['-H', 'tcp://127.0.0.1:0'] }) });

  it("answers, after dockerd's warning that the port gives root to whoever reaches it", async () => {
    const port = await tcpPort(engine);
    const res = await run(NEW_DOCKER, ['-H', `tcp://127.0.0.1:${port}`, 'version', '--format', '{{.Server.Platform.Name}}'], { env: { DOCKER_HOST: '' }, allowFailure: true });
    assert.equal(res.exitCode, 0, res.stderr);
    assert.equal(res.stdout.trim(), 'boxlab');
    const log = await engine.logTail(200);
    assert.match(log, /warn {2}Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network\. host="tcp:\/\/127\.0\.0\.1:0"/);
    assert.match(log, /warn {2}Binding to an IP address, even on localhost, can also give access to scripts run in a browser\. Be safe out there! host="tcp:\/\/127\.0\.0\.1:0"/);
  });
});
