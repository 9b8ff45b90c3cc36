// Trusting a registry's CA per registry (certs.d/<host:port>/ca.crt), with the docker CLI against boxlabd
// and, where it runs, Debian's dockerd 20.10 against the same TLS registry: without the CA both refuse with
// "x509: certificate signed by unknown authority"; with it both log in and pull, without a restart.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { DEFAULT_CERTS_DIR } from '../../../src/engine/distribution/registry-certs.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { TestRegistry } from './registry-fixture.js';

/** the source address of this host's default route: not loopback, so an engine must verify the registry's certificate */
async function hostAddress(): Promise<string | undefined> {
  const res = await run('ip', ['-4', 'route', 'get', '1.1.1.1'], { allowFailure: true });
  return /\bsrc (\d+\.\d+\.\d+\.\d+)/.exec(res.stdout)?.[1];
}

/** a CA and a server certificate for the address, signed by it (subjectAltName IP, as Go and Node require) */
async function makeCertificates(dir: string, address: string): Promise<void> {
  const o = (args: string[]) => run('openssl', args, { cwd: dir });
  await o(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=boxlab test CA']);
  await o(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${address}`]);
  await fs.writeFile(path.join(dir, 'ext.cnf'), `subjectAltName=IP:${address}\n`);
  await o(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf']);
}

describe('registry CAs per registry in certs.d, as dockerd (root)', function () {
  this.timeout(180_000);
  let work: string;
  let certsDir: string;
  let registry: TestRegistry | undefined;
  const engine = useEngine({
    needs: ['openssl'],
    prepare: async () => {
      work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-certs-d-'));
      certsDir = path.join(work, 'certs.d');
      return { env: { BOXLAB_CERTS_D: certsDir } };
    },
  });

  before(async function () {
    const address = await hostAddress();
    if (!address) this.skip();
    await makeCertificates(work, address!);
    registry = await TestRegistry.start({
      label: 'tls',
      address,
      tls: { certificate: path.join(work, 'server.crt'), key: path.join(work, 'server.key') },
      auth: { user: 'l21', password: 'pw-l21' },
    });
  });
  after(async () => {
    await registry?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  it('refuses a registry whose CA it does not know, in dockerd\'s words', async () => {
    const res = await engine.docker(['login', '-u', 'l21', '--password-stdin', registry!.host], { input: 'pw-l21\n' });
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /x509: certificate signed by unknown authority/);
  });

  it('trusts the CA in certs.d/<host:port>/ca.crt at the next login, push and pull, without a restart', async () => {
    await fs.mkdir(path.join(certsDir, registry!.host), { recursive: true });
    await fs.copyFile(path.join(work, 'ca.crt'), path.join(certsDir, registry!.host, 'ca.crt'));
    const bad = await engine.docker(['login', '-u', 'l21', '--password-stdin', registry!.host], { input: 'wrong\n' });
    assert.notEqual(bad.exitCode, 0);
    assert.match(bad.stderr, /401 Unauthorized/);
    assert.match(await engine.dockerOk(['login', '-u', 'l21', '--password-stdin', registry!.host], { input: 'pw-l21\n' }), /Login Succeeded/);
    const target = `${registry!.host}/l21/box:1`;
    await engine.dockerOk(['tag', 'busybox', target]);
    await engine.dockerOk(['push', target]);
    await engine.dockerOk(['rmi', target]);
    assert.match(await engine.dockerOk(['pull', target]), /Downloaded newer image/);
    await engine.dockerOk(['logout', registry!.host]);
  });

  it('pushes an image of two layers with a password: the layers\' parallel requests all answer the one Basic challenge', async () => {
    await engine.dockerOk(['login', '-u', 'l21', '--password-stdin', registry!.host], { input: 'pw-l21\n' });
    try {
      await engine.dockerOk(['run', '--name', 'certs-two-layers', 'busybox', 'touch', '/second-layer']);
      const target = `${registry!.host}/l21/two:1`;
      await engine.dockerOk(['commit', 'certs-two-layers', target]);
      await engine.dockerOk(['rm', 'certs-two-layers']);
      const out = await engine.dockerOk(['push', target]);
      assert.match(out, /1: digest: sha256:[0-9a-f]{64}/);
      await engine.dockerOk(['rmi', target]);
    } finally {
      await engine.dockerOk(['logout', registry!.host]);
    }
  });

  it('rejects a client certificate without its key, naming the missing file', async () => {
    const folder = path.join(certsDir, registry!.host);
    await fs.writeFile(path.join(folder, 'client.cert'), 'not used');
    try {
      const res = await engine.docker(['pull', `${registry!.host}/l21/box:1`]);
      assert.notEqual(res.exitCode, 0);
      assert.match(res.stderr, /missing key client\.key for client certificate client\.cert/);
    } finally {
      await fs.rm(path.join(folder, 'client.cert'));
    }
  });

  it('Debian\'s dockerd 20.10 answers the same way before and after /etc/docker/certs.d/<host:port>/ca.crt', async function () {
    if (!ReferenceDockerd.available()) this.skip();
    const dockerd = await ReferenceDockerd.start('boxlab-certs-d-ref');
    const folder = path.join(DEFAULT_CERTS_DIR, registry!.host); // a folder for this test's own port only
    try {
      const before = await dockerd.docker(['login', '-u', 'l21', '-p', 'pw-l21', registry!.host]);
      assert.notEqual(before.exitCode, 0);
      assert.match(before.stderr, /x509: certificate signed by unknown authority/);
      await fs.mkdir(folder, { recursive: true });
      await fs.copyFile(path.join(work, 'ca.crt'), path.join(folder, 'ca.crt'));
      const after = await dockerd.docker(['login', '-u', 'l21', '-p', 'pw-l21', registry!.host]);
      assert.equal(after.exitCode, 0, after.stderr);
      assert.match(await dockerd.dockerOk(['pull', `${registry!.host}/l21/box:1`]), /Downloaded newer image/);
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
      await dockerd.stop();
    }
  });
});
