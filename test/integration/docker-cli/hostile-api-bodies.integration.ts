// Request bodies a broken or hostile client sends, raw over the engine's socket (the docker CLI checks
// its flags before it sends anything, so these never come from it): each is refused with 400 and Docker's
// message, none takes the engine down, and a slow body does not hold anyone else's request.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { useEngine } from '../../helpers/engine-suite.js';
import { openRequest, rawRequest } from '../../helpers/raw-http.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';

interface HostileCase {
  name: string;
  file: string;
  what: string;
  method: string;
  path: string;
  status: number;
  message?: string;
  messageStartsWith?: string;
  contentLength?: number;
  upgrade?: boolean;
}

const CORPUS = path.join(REPO_ROOT, 'test/fixtures/hostile/api');
const CASES: HostileCase[] = JSON.parse(readFileSync(path.join(CORPUS, 'cases.json'), 'utf8'));

describe('docker API: hostile request bodies', function () {
  this.timeout(120_000);
  const engine = useEngine();
  let container: string;
  const newExec = async () => {
    const res = await rawRequest(engine.socketPath, { method: 'POST', path: `/containers/${container}/exec`, body: '{"Cmd":["true"],"AttachStdout":true}' });
    assert.equal(res.status, 201, res.body);
    return (JSON.parse(res.body) as { Id: string }).Id;
  };
  const stillServing = async () => {
    const ping = await rawRequest(engine.socketPath, { method: 'GET', path: '/_ping' });
    assert.equal(ping.status, 200);
    assert.match(await engine.dockerOk(['ps', '--format', '{{.ID}}']), new RegExp(container.slice(0, 12)));
  };

  before(async function () {
    container = (await engine.dockerOk(['run', '-d', 'busybox', 'sleep', '1000'])).trim();
  });

  for (const c of CASES) {
    it(`refuses ${c.name}: ${c.what}`, async () => {
      const requestPath = c.path.replace('{container}', container).replace('{exec}', c.path.includes('{exec}') ? await newExec() : '');
      const answer = await rawRequest(engine.socketPath, { method: c.method, path: requestPath, body: readFileSync(path.join(CORPUS, c.file)), contentLength: c.contentLength, upgrade: c.upgrade });
      assert.equal(answer.status, c.status, `${answer.status} ${answer.body}`);
      if (c.message !== undefined) assert.equal(answer.message, c.message);
      if (c.messageStartsWith !== undefined) assert.ok(answer.message?.startsWith(c.messageStartsWith), answer.body);
    });
  }

  it('still answers /_ping and docker ps after the whole corpus, and created nothing', async () => {
    await stillServing();
    assert.equal((await engine.dockerOk(['ps', '-a', '-q'])).trim().split('\n').length, 1);
    assert.doesNotMatch(await engine.dockerOk(['network', 'ls', '--format', '{{.Name}}']), /hostile-n1/);
  });

  it('serves docker ps while a body is still being trickled in, and refuses a body too large before it is sent', async () => {
    // a create body within the limit, sent in two halves: between them the engine is waiting for it
    const body = Buffer.from(JSON.stringify({ Image: 'busybox', Cmd: ['true'], Labels: { pad: 'x'.repeat(3 * 1024 * 1024) } }));
    const slow = openRequest(engine.socketPath, { method: 'POST', path: '/containers/create', body: body.subarray(0, 1024 * 1024), contentLength: body.length });
    for (let sent = 1024 * 1024; sent < 2 * 1024 * 1024; sent += 64 * 1024) assert.ok(await slow.write(body.subarray(sent, sent + 64 * 1024)));
    await stillServing();
    assert.equal(slow.answered(), false, 'the slow request is still open while docker ps answered');
    assert.ok(await slow.write(body.subarray(2 * 1024 * 1024)));
    const created = await slow.answer;
    slow.socket.destroy();
    assert.equal(created.status, 201, created.body);
    await engine.dockerOk(['rm', JSON.parse(created.body).Id]);

    // exec start declaring 1 GiB, trickled in 64 KiB pieces: the engine answers 400 before the client got far
    const trickle = openRequest(engine.socketPath, { method: 'POST', path: `/exec/${await newExec()}/start`, body: '{"Detach":false,', contentLength: 1024 * 1024 * 1024, upgrade: true });
    const piece = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    let open = true;
    while (open && !trickle.answered() && sent < 32 * 1024 * 1024) {
      open = await trickle.write(piece);
      if (open) sent += piece.length;
    }
    assert.ok(trickle.answered() || !open, `no answer after ${sent} bytes of a body declared as 1 GiB`);
    const refused = await trickle.answer;
    trickle.socket.destroy();
    assert.equal(refused.status, 400);
    assert.equal(refused.message, 'request body is too large: 1073741824 bytes, the limit for this request is 65536 bytes');
    await stillServing();
  });
});
