// The API server over a real unix socket, with fake engine services: what the docker CLI would see.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiServer } from '../../../../src/engine/api/api-server.js';
import { dockerApiRouter } from '../../../../src/engine/api/docker-api.js';
import { FrameDecoder } from '../../../../src/engine/api/stream-framing.js';
import { request, RawClient } from './api-client.js';
import { fakeServices } from './fake-services.js';

const UPGRADE = 'Connection: Upgrade\r\nUpgrade: tcp\r\n';

describe('api server', () => {
  let dir: string;
  let socketPath: string;
  let server: ApiServer;
  let services: ReturnType<typeof fakeServices>;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-api-'));
    socketPath = path.join(dir, 'docker.sock');
    await fs.writeFile(socketPath, 'stale'); // a socket file left by a crashed engine
    services = fakeServices();
    services.containers.add('a'.repeat(64), 'web');
    server = new ApiServer(dockerApiRouter(services));
    await server.listenUnix(socketPath);
  });

  afterEach(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('replaces a stale socket file and makes the socket 0660', async () => {
    const stat = await fs.stat(socketPath);
    assert.ok(stat.isSocket());
    assert.equal(stat.mode & 0o777, 0o660);
  });

  it('answers HEAD and GET /_ping with the headers clients negotiate from', async () => {
    for (const method of ['HEAD', 'GET']) {
      const res = await request(socketPath, method, '/_ping');
      assert.equal(res.status, 200);
      assert.equal(res.headers['api-version'], '1.41');
      assert.equal(res.headers['docker-experimental'], 'false');
      assert.equal(res.headers['ostype'], 'linux');
      assert.equal(res.headers['builder-version'], '1');
      assert.equal(res.text, method === 'GET' ? 'OK' : '');
    }
  });

  it('answers /version in Docker\'s shape', async () => {
    const res = await request(socketPath, 'GET', '/v1.41/version');
    const body = JSON.parse(res.text);
    assert.equal(body.ApiVersion, '1.41');
    assert.equal(body.MinAPIVersion, '1.12');
    assert.equal(body.Components[0].Name, 'Engine');
    assert.equal(body.Components[0].Details.ApiVersion, '1.41');
    assert.equal(body.GoVersion, `node${process.version}`);
    assert.equal(body.Os, 'linux');
  });

  it('/version and /info show the host\'s runc and docker-init as it found them, and the network drivers it has', async () => {
    const version = JSON.parse((await request(socketPath, 'GET', '/v1.41/version')).text);
    assert.deepEqual(version.Components.slice(1), [
      { Name: 'runc', Version: '1.1.5+ds1', Details: { GitCommit: '1.1.5+ds1-1+deb12u1' } },
      { Name: 'docker-init', Version: '0.19.0', Details: { GitCommit: '' } },
    ]);
    assert.equal(version.Arch, 'amd64');
    const info = JSON.parse((await request(socketPath, 'GET', '/v1.41/info')).text);
    assert.deepEqual(info.RuncCommit, { ID: '1.1.5+ds1-1+deb12u1', Expected: '1.1.5+ds1-1+deb12u1' });
    assert.deepEqual(info.Plugins.Network, ['host', 'null']); // the fakes have no network plane
    assert.equal(info.Architecture, 'x86_64');
    assert.equal(info.NCPU, 2);
  });

  it('refuses a newer API version with 400 and Docker\'s message', async () => {
    const res = await request(socketPath, 'GET', '/v1.50/version');
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.text), { message: 'client version 1.50 is too new. Maximum supported API version is 1.41' });
  });

  it('answers unknown routes with 404 page not found', async () => {
    const res = await request(socketPath, 'GET', '/v1.41/nosuch/thing');
    assert.equal(res.status, 404);
    assert.deepEqual(JSON.parse(res.text), { message: 'page not found' });
  });

  it('answers a malformed JSON body with 400 invalid JSON', async () => {
    const res = await request(socketPath, 'POST', '/v1.41/containers/create', '{"Image": "busybox",', { 'Content-Type': 'application/json' });
    assert.equal(res.status, 400);
    assert.match(JSON.parse(res.text).message, /^invalid JSON: /);
  });

  it('maps NOT_FOUND to 404 with the service\'s message', async () => {
    const res = await request(socketPath, 'GET', '/v1.41/containers/nosuch/json');
    assert.equal(res.status, 404);
    assert.deepEqual(JSON.parse(res.text), { message: 'No such container: nosuch' });
  });

  it('creates with 201, answers 304 for nothing to do, 409 for removing a running container', async () => {
    const created = await request(socketPath, 'POST', '/v1.41/containers/create?name=db', JSON.stringify({ Image: 'busybox' }));
    assert.equal(created.status, 201);
    assert.equal(JSON.parse(created.text).Id.length, 64);
    assert.equal((await request(socketPath, 'POST', '/v1.41/containers/db/stop')).status, 304);
    assert.equal((await request(socketPath, 'POST', '/v1.41/containers/db/start')).status, 204);
    assert.equal((await request(socketPath, 'POST', '/v1.41/containers/db/start')).status, 304);
    const rm = await request(socketPath, 'DELETE', '/v1.41/containers/db');
    assert.equal(rm.status, 409);
    assert.match(JSON.parse(rm.text).message, /cannot remove a running container/);
    assert.equal((await request(socketPath, 'DELETE', '/v1.41/containers/db?force=1')).status, 204);
  });

  it('hijacks attach: 101 UPGRADED, multiplexed output, a half-close ends stdin but not the output', async () => {
    const client = new RawClient(socketPath);
    client.socket.write(`POST /v1.41/containers/web/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: docker\r\n${UPGRADE}\r\n`);
    await client.until((d) => d.includes('\r\n\r\n'));
    assert.match(client.head, /^HTTP\/1.1 101 UPGRADED\r\n/);
    assert.match(client.head, /Content-Type: application\/vnd.docker.multiplexed-stream/);
    assert.match(client.head, /Upgrade: tcp/);
    const session = services.containers.lastSession!;
    assert.deepEqual(services.containers.lastAttach, { stream: true, logs: false, stdin: true, stdout: true, stderr: true });

    client.socket.write('hello stdin');
    client.socket.end(); // the CLI's half-close at stdin EOF
    assert.equal(await session.stdinText, 'hello stdin');

    session.emit('stdout', 'out\n');
    session.emit('stderr', 'err\n');
    await client.until((d) => d.includes('err\n'));
    const frames = new FrameDecoder().push(client.payload);
    assert.deepEqual(frames.map((f) => [f.stream, f.payload.toString()]), [['stdout', 'out\n'], ['stderr', 'err\n']]);
    assert.equal(session.closed, false);
    session.end();
    await client.closed;
  });

  it('sends raw bytes for a tty container', async () => {
    services.containers.add('f'.repeat(64), 'term', { tty: true });
    const client = new RawClient(socketPath);
    client.socket.write(`POST /containers/term/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: docker\r\n${UPGRADE}\r\n`);
    await client.until((d) => d.includes('\r\n\r\n'));
    assert.match(client.head, /Content-Type: application\/vnd.docker.raw-stream/);
    services.containers.lastSession!.emit('stdout', '$ ');
    await client.until(() => client.payload.toString() === '$ ');
    services.containers.lastSession!.end();
    await client.closed;
  });

  it('detaches on Ctrl-P Ctrl-Q without ending the container\'s stdin', async () => {
    const client = new RawClient(socketPath);
    client.socket.write(`POST /containers/web/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: docker\r\n${UPGRADE}\r\n`);
    await client.until((d) => d.includes('\r\n\r\n'));
    const session = services.containers.lastSession!;
    let stdinEnded = false;
    session.stdin!.on('end', () => (stdinEnded = true));
    const typed: Buffer[] = [];
    session.stdin!.on('data', (c: Buffer) => typed.push(c));
    client.socket.write('ls\x10\x11');
    await client.closed;
    assert.equal(session.closed, true);
    assert.equal(Buffer.concat(typed).toString(), 'ls');
    assert.equal(stdinEnded, false);
  });

  it('reads the exec start body from an upgraded connection and passes the bytes after it to stdin', async () => {
    const exec = await request(socketPath, 'POST', '/v1.41/containers/web/exec', JSON.stringify({ Cmd: ['cat'], AttachStdin: true, AttachStdout: true, Tty: true }));
    assert.equal(exec.status, 201);
    const id = JSON.parse(exec.text).Id as string;
    const body = JSON.stringify({ Detach: false, Tty: true });
    const client = new RawClient(socketPath);
    client.socket.write(
      `POST /v1.41/exec/${id}/start HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${UPGRADE}\r\n${body}typed`,
    );
    await client.until((d) => d.includes('\r\n\r\n'));
    assert.match(client.head, /^HTTP\/1.1 101 UPGRADED/);
    assert.deepEqual(services.containers.lastExecStart, { id, detach: false, tty: true });
    client.socket.end();
    assert.equal(await services.containers.lastSession!.stdinText, 'typed');
    services.containers.lastSession!.end();
    await client.closed;
  });

  it('streams attach on a plain 200 answer when the client does not ask to upgrade', async () => {
    const pending = request(socketPath, 'POST', '/v1.41/containers/web/attach?stream=1&stdout=1');
    await new Promise((r) => setTimeout(r, 100));
    services.containers.lastSession!.emit('stdout', 'x');
    services.containers.lastSession!.end();
    const res = await pending;
    assert.equal(res.status, 200);
    assert.deepEqual(new FrameDecoder().push(res.body).map((f) => f.payload.toString()), ['x']);
  });

  it('sends wait\'s headers at once and its body when the container exits', async () => {
    const client = new RawClient(socketPath);
    client.socket.write('POST /v1.41/containers/web/wait?condition=next-exit HTTP/1.1\r\nHost: docker\r\n\r\n');
    await client.until((d) => d.includes('\r\n\r\n'));
    assert.match(client.head, /^HTTP\/1.1 200 OK/);
    services.containers.waitResult.get('a'.repeat(64))!.resolve(3);
    await client.until((d) => d.includes('StatusCode'));
    assert.match(client.received.toString(), /\{"StatusCode":3,"Error":null\}/);
    client.socket.destroy();
  });

  it('frames logs, honours tail and prefixes timestamps', async () => {
    services.containers.add('9'.repeat(64), 'logger', {
      logs: [
        { stream: 'stdout', log: 'one\n', time: '2026-11-23T10:00:00.000000001Z' },
        { stream: 'stderr', log: 'two\n', time: '2026-11-23T10:00:01.000000001Z' },
      ],
    });
    const res = await request(socketPath, 'GET', '/v1.41/containers/logger/logs?stdout=1&stderr=1&tail=1&timestamps=1');
    assert.deepEqual(
      new FrameDecoder().push(res.body).map((f) => [f.stream, f.payload.toString()]),
      [['stderr', '2026-11-23T10:00:01.000000001Z two\n']],
    );
    const none = await request(socketPath, 'GET', '/v1.41/containers/logger/logs');
    assert.equal(none.status, 400);
  });

  it('puts the path stat header on archive answers and takes uploads', async () => {
    const head = await request(socketPath, 'HEAD', '/v1.41/containers/web/archive?path=/etc');
    const stat = JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat']), 'base64').toString());
    assert.equal(stat.name, '/etc');
    const put = await request(socketPath, 'PUT', '/v1.41/containers/web/archive?path=/tmp', 'TARDATA');
    assert.equal(put.status, 200);
    assert.deepEqual(services.containers.uploads, [{ path: '/tmp', data: 'TARDATA' }]);
  });

  it('streams docker load progress and the loaded names', async () => {
    const res = await request(socketPath, 'POST', '/v1.41/images/load?quiet=0', 'TAR');
    const lines = res.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.at(-1), { stream: 'Loaded image: busybox:latest\n' });
    assert.deepEqual(services.images.loaded, ['TAR']);
  });

  it('answers a pull of an unknown image as Docker Hub would', async () => {
    const res = await request(socketPath, 'POST', '/v1.41/images/create?fromImage=nosuchimage&tag=latest');
    assert.equal(res.status, 404);
    assert.equal(JSON.parse(res.text).message, "pull access denied for nosuchimage, repository does not exist or may require 'docker login'");
  });

  it('lists and inspects images in Docker\'s shapes', async () => {
    const list = JSON.parse((await request(socketPath, 'GET', '/v1.41/images/json')).text);
    assert.equal(list[0].RepoTags[0], 'busybox:latest');
    assert.equal(list[0].SharedSize, -1);
    assert.equal(list[0].Created, Date.parse('2026-11-23T00:00:00Z') / 1000);
    const inspect = JSON.parse((await request(socketPath, 'GET', '/v1.41/images/busybox/json')).text);
    assert.equal(inspect.GraphDriver.Name, 'overlay2');
    assert.deepEqual(inspect.RootFS, { Type: 'layers', Layers: ['sha256:' + 'd'.repeat(64)] });
    assert.equal((await request(socketPath, 'GET', '/v1.41/images/nosuch/json')).status, 404);
  });

  it('keeps /events open and streams container events', async () => {
    const client = new RawClient(socketPath);
    client.socket.write('GET /v1.41/events HTTP/1.1\r\nHost: docker\r\n\r\n');
    await client.until((d) => d.includes('\r\n\r\n'));
    await request(socketPath, 'POST', '/v1.41/containers/create?name=evt', JSON.stringify({ Image: 'busybox' }));
    await client.until((d) => d.includes('"Action":"create"'));
    assert.match(client.received.toString(), /"name":"evt"/);
    client.socket.destroy();
  });

  it('creates, lists and removes volumes', async () => {
    const created = await request(socketPath, 'POST', '/v1.41/volumes/create', JSON.stringify({ Name: 'data', Labels: { a: 'b' } }));
    assert.equal(created.status, 201);
    const list = JSON.parse((await request(socketPath, 'GET', '/v1.41/volumes')).text);
    assert.deepEqual(list.Volumes.map((v: { Name: string }) => v.Name), ['data']);
    assert.equal((await request(socketPath, 'DELETE', '/v1.41/volumes/data')).status, 204);
    assert.equal((await request(socketPath, 'GET', '/v1.41/volumes/data')).status, 404);
  });

  it('serves the recorded trace of a container by name', async () => {
    services.traceEvents.push({ time: 't', objectId: 'a'.repeat(64), step: 'runc.run', details: {}, text: { en: 'x', zh: 'y' } });
    const res = await request(socketPath, 'GET', '/v1.41/boxlab/trace/web');
    assert.deepEqual(JSON.parse(res.text).map((e: { step: string }) => e.step), ['runc.run']);
    assert.equal((await request(socketPath, 'GET', '/boxlab/trace/nothing')).status, 404);
  });
});

describe('api server: events', () => {
  it('ends the /events stream at `until`', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-api-'));
    const socketPath = path.join(dir, 'docker.sock');
    const server = new ApiServer(dockerApiRouter(fakeServices()));
    await server.listenUnix(socketPath);
    try {
      const started = Date.now();
      const res = await request(socketPath, 'GET', `/v1.41/events?until=${(Date.now() + 300) / 1000}`);
      assert.equal(res.status, 200);
      assert.equal(res.text, '');
      assert.ok(Date.now() - started >= 250);
    } finally {
      await server.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('api server: upgrade requests and tcp', () => {
  let dir: string;
  let socketPath: string;
  let server: ApiServer;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-api-'));
    socketPath = path.join(dir, 'docker.sock');
    server = new ApiServer(dockerApiRouter(fakeServices()));
    await server.listenUnix(socketPath);
  });
  afterEach(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('answers an upgrade request for an unknown container with a plain 404, not a hijack', async () => {
    const client = new RawClient(socketPath);
    client.socket.write(`POST /v1.41/containers/nosuch/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: docker\r\n${UPGRADE}\r\n`);
    await client.closed;
    assert.match(client.head, /^HTTP\/1.1 404 Not Found\r\n/);
    assert.deepEqual(JSON.parse(client.payload.toString()), { message: 'No such container: nosuch' });
  });

  it('also serves on 127.0.0.1 when asked', async () => {
    const { port } = await server.listenTcp({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`http://127.0.0.1:${port}/_ping`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'OK');
  });
});
