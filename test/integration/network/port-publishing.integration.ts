// -p and -P at docker create, next to Debian's dockerd 20.10 (test/helpers/reference-dockerd.ts): the
// docker CLI refuses most bad -p itself, so both engines give the user the same exit and words; what it
// lets through is parsed by the engine when it reads the create body, so a port dockerd refuses is a 400
// of create in dockerd's words on both (raw requests, as test/fixtures/outputs/dockerd-api/ports.json
// recorded them), and a port boxlab cannot publish is refused at create too, not at start (before, such a
// container started, and an exposed 80/sctp then made every docker ps fail). A host range
// (-p 8000-8010:80), which dockerd accepts, publishes the first free port of the range.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { EngineHarness } from '../../helpers/engine-harness.js';
import { rawRequest } from '../../helpers/raw-http.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';
import { requires } from '../../helpers/requires.js';

interface Recorded {
  body: string;
  status: number;
  message?: string;
}

const RECORDED: Recorded[] = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/outputs/dockerd-api/ports.json'), 'utf8'));

/** -p values the docker CLI refuses before it sends anything */
const CLI_REFUSES = ['70000:80', '80:70000', '80/foo', '1.2.3:80:80', '8010-8000:80', 'abc:80'];

/** two consecutive host ports nobody holds, the first then held by a listener of ours */
async function heldAndFree(): Promise<{ held: net.Server; port: number }> {
  for (;;) {
    const held = net.createServer();
    await new Promise<void>((resolve) => held.listen(0, resolve));
    const port = (held.address() as net.AddressInfo).port;
    const next = net.createServer();
    const free = await new Promise<boolean>((resolve) => next.once('error', () => resolve(false)).listen(port + 1, () => next.close(() => resolve(true))));
    if (free && port < 65535) return { held, port };
    held.close();
  }
}

describe('network: -p at docker create, next to dockerd 20.10', function () {
  this.timeout(120_000);
  let engine: EngineHarness;
  let dockerd: ReferenceDockerd;

  before(async function () {
    this.timeout(240_000);
    requires(this, 'root', 'runc', 'docker-cli', 'busybox', 'iptables', 'dockerd');
    engine = await EngineHarness.start();
    await engine.loadBusybox();
    dockerd = await ReferenceDockerd.start('boxlab-ports-dockerd');
  });
  afterEach(async () => {
    await engine?.removeAllContainers();
    const left = (await dockerd?.docker(['ps', '-aq']))?.stdout.split('\n').filter(Boolean) ?? [];
    if (left.length) await dockerd.docker(['rm', '-f', ...left]);
  });
  after(async function () {
    this.timeout(90_000);
    await dockerd?.stop();
    await engine?.stop();
  });

  for (const spec of CLI_REFUSES) {
    it(`docker create -p ${spec}: the same exit and message on both engines`, async () => {
      const [ours, theirs] = await Promise.all([engine.docker(['create', '-p', spec, 'busybox']), dockerd.docker(['create', '-p', spec, 'busybox'])]);
      assert.equal(theirs.exitCode, 125, theirs.stderr);
      assert.deepEqual({ exit: ours.exitCode, stderr: ours.stderr.trim() }, { exit: theirs.exitCode, stderr: theirs.stderr.trim() });
    });
  }

  it("a create body with a port dockerd refuses: 400 with dockerd's message from both, and no container", async () => {
    const refused = RECORDED.filter((c) => c.status === 400);
    assert.ok(refused.length >= 8);
    for (const c of refused) {
      const [ours, theirs] = await Promise.all([
        rawRequest(engine.socketPath, { method: 'POST', path: '/containers/create', body: c.body }),
        rawRequest(path.join(dockerd.dir, 'd.sock'), { method: 'POST', path: '/containers/create', body: c.body }),
      ]);
      assert.deepEqual({ status: theirs.status, message: theirs.message }, { status: 400, message: c.message }, `dockerd still answers ${c.body} as recorded`);
      assert.deepEqual({ status: ours.status, message: ours.message }, { status: 400, message: c.message }, c.body);
    }
    assert.equal((await engine.dockerOk(['ps', '-aq'])).trim(), '');
  });

  it('a raw create with an exposed port boxlab cannot show (80/sctp) is refused at create, so docker ps keeps working for everyone', async () => {
    const body = JSON.stringify({ Image: 'busybox', Cmd: ['sleep', '100'], ExposedPorts: { '80/sctp': {} } });
    const theirs = await rawRequest(path.join(dockerd.dir, 'd.sock'), { method: 'POST', path: '/containers/create', body });
    assert.equal(theirs.status, 201, 'dockerd takes it (it has sctp)');
    const ours = await rawRequest(engine.socketPath, { method: 'POST', path: '/containers/create', body });
    assert.deepEqual({ status: ours.status, message: ours.message }, { status: 400, message: 'port 80/sctp: sctp is not supported by boxlab, use tcp or udp' });
    await engine.dockerOk(['run', '-d', '--name', 'still-listed', 'busybox', 'sleep', '100']);
    assert.match(await engine.dockerOk(['ps', '-a', '--format', '{{.Names}}']), /^still-listed$/m);
  });

  it('-p 80/sctp, which the CLI sends and boxlab cannot publish, fails docker run at create: no container is left to fail at start', async () => {
    const theirs = await dockerd.docker(['create', '-p', '80/sctp', 'busybox']);
    assert.equal(theirs.exitCode, 0, theirs.stderr);
    const ours = await engine.docker(['run', '-d', '-p', '80/sctp', 'busybox', 'sleep', '100']);
    assert.equal(ours.exitCode, 125);
    assert.match(ours.stderr, /port 80\/sctp: sctp is not supported by boxlab, use tcp or udp/);
    assert.equal((await engine.dockerOk(['ps', '-aq'])).trim(), '');
  });

  it('-p <a>-<b>:80 is accepted by both engines; boxlab publishes the first port of the range that is free', async () => {
    const { held, port } = await heldAndFree();
    try {
      const range = `${port}-${port + 1}:80`;
      const theirs = await dockerd.docker(['create', '-p', range, 'busybox']);
      assert.equal(theirs.exitCode, 0, theirs.stderr);
      const id = (await engine.dockerOk(['run', '-d', '-p', range, 'busybox', 'sleep', '100'])).trim();
      assert.equal((await engine.dockerOk(['port', id, '80'])).trim(), `0.0.0.0:${port + 1}`);
      const inspect = JSON.parse(await engine.dockerOk(['inspect', '--format', '{{json .HostConfig.PortBindings}}', id]));
      assert.deepEqual(inspect, { '80/tcp': [{ HostIp: '', HostPort: `${port}-${port + 1}` }] }, 'inspect shows what was asked');
    } finally {
      held.close();
    }
  });

  it("-P publishes the ports the image EXPOSEs, which the container's config lists, as dockerd's does", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-expose-'));
    try {
      writeFileSync(path.join(dir, 'Dockerfile'), 'FROM busybox\nEXPOSE 80 8443/tcp\n');
      await engine.dockerOk(['build', '-q', '-t', 'exposer', dir]);
      await dockerd.dockerOk(['build', '-q', '-t', 'exposer', dir], { DOCKER_BUILDKIT: '0' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const exposedOn = async (create: (args: string[]) => Promise<string>, inspect: (args: string[]) => Promise<string>) => {
      const id = (await create(['create', '-P', '-p', '9999', 'exposer'])).trim();
      return JSON.parse(await inspect(['inspect', '-f', '{{json .Config.ExposedPorts}}', id]));
    };
    const ours = await exposedOn((a) => engine.dockerOk(a), (a) => engine.dockerOk(a));
    assert.deepEqual(ours, await exposedOn((a) => dockerd.dockerOk(a), (a) => dockerd.dockerOk(a)));
    assert.deepEqual(Object.keys(ours).sort(), ['80/tcp', '8443/tcp', '9999/tcp']);
    const id = (await engine.dockerOk(['run', '-d', '-P', 'exposer', 'sleep', '100'])).trim();
    const published = (await engine.dockerOk(['port', id])).split('\n').map((l) => l.replace(/:\d+$/, ':N')).sort();
    assert.deepEqual(published, ['80/tcp -> 0.0.0.0:N', '8443/tcp -> 0.0.0.0:N']);
  });
});
