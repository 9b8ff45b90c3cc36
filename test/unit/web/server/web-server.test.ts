// The web server over real HTTP and WebSocket connections, with fake labs, engine and shells.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { notFound } from '../../../../src/core/errors.js';
import { portUrl } from '../../../../src/web/server/published-ports.js';
import { TraceFeed } from '../../../../src/web/server/trace-feed.js';
import type { CheckReport, EngineControl, EngineStatus, LabBackend, TutorialBackend } from '../../../../src/web/server/web-backend.js';
import { startWebServer, type RunningWebServer } from '../../../../src/web/server/web-server.js';
import { decodeServerMessage, encodeMessage, type ServerMessage } from '../../../../src/web/terminal/terminal-protocol.js';
import { fakeFactory, type FakeTerminalSession } from '../terminal/fake-terminal-session.js';

const report: CheckReport = { stepIndex: 0, passed: true, checks: [{ name: 'ok', status: 'passed', message: 'fine' }], currentStep: 1, finished: false };

const labs: LabBackend = {
  async catalog(lang) {
    return [{ id: 'lab1', title: lang === 'zh' ? '实验一' : 'Lab one', description: '', steps: 2, currentStep: 0, finished: false }];
  },
  async open(id) {
    if (id !== 'lab1') throw notFound(`lab "${id}" not found`, { suggestions: ['pick one from the catalog'] });
    return { id, title: 'Lab one', introHtml: '', steps: [{ id: 's1', title: 'one' }], currentStep: 0, finished: false, workDir: '/tmp/x' };
  },
  async step(id, index) {
    return { index, count: 2, id: 's1', title: 'one', html: '<p>x</p>', hints: [], passed: [] };
  },
  async check() {
    return report;
  },
  async watch(_id, _i, _l, signal, onChange) {
    onChange({ ...report, passed: false });
    await new Promise((r) => setTimeout(r, 20));
    if (!signal.aborted) onChange(report);
  },
  async terminalEnv(id, node): Promise<Record<string, string>> {
    if (node === undefined) return { LAB_ID: id };
    if (node !== 'worker1') throw notFound(`lab "${id}" has no node "${node}"; its nodes: worker1`);
    return { LAB_ID: id, LAB_NODE: node };
  },
  async reset(id) {
    labCalls.push(`reset ${id}`);
    return { id, title: 'Lab one', introHtml: '', steps: [{ id: 's1', title: 'one' }], currentStep: 0, finished: false, workDir: '/tmp/x' };
  },
  async solve(id, index) {
    labCalls.push(`solve ${id} ${index}`);
    return { ok: true, steps: [{ index: 0, id: 's1', passed: true }], currentStep: index };
  },
  async hint(_id, index, lang) {
    return { hints: [lang === 'zh' ? `第 ${index + 1} 步的提示` : `a nudge for step ${index + 1}`], count: 3 };
  },
  async answer(_id, index, text) {
    answers.push(`${index}:${text}`);
    return { file: `/tmp/x/answer-s${index + 1}` };
  },
};
const answers: string[] = [];
const labCalls: string[] = [];

const tutorialCalls: string[] = [];
const tutorials: TutorialBackend = {
  async catalog(lang) {
    return [{ id: 'tut1', title: lang === 'zh' ? '教程一' : 'Tutorial one', lang, steps: 1, features: [] }];
  },
  async open(id, lang) {
    if (id !== 'tut1') throw notFound(`tutorial "${id}" not found`);
    return { id, title: 'Tutorial one', lang, steps: [{ number: 1, html: '<p>x</p>', script: 'echo hi', expected: 'hi', exit: 0, skip: false, cleanup: false }], outroHtml: '', workDir: '/tmp/t' };
  },
  async run(id, number) {
    tutorialCalls.push(`run ${id} ${number}`);
    return { number, status: 'failed', exitCode: 0, output: 'ho\n', expected: 'hi', problems: ['output differs\n  line 1:\n- hi\n+ ho'], durationMs: 3 };
  },
  async reset(id) {
    tutorialCalls.push(`reset ${id}`);
  },
  async terminalEnv(id) {
    return { env: { TUTORIAL_DIR: `/tmp/${id}` }, cwd: `/tmp/${id}` };
  },
  async close() {
    tutorialCalls.push('close');
  },
};

class FakeEngine implements EngineControl {
  retries = 0;
  status(): EngineStatus {
    return { state: 'ready', socket: '/nowhere', message: 'ok', log: [] };
  }
  retry(): void {
    this.retries++;
  }
  onChange(): () => void {
    return () => undefined;
  }
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, method: string, p: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** the first `count` server-sent events of a stream */
function readEvents(port: number, p: string, cookie: string, count: number): Promise<Array<{ event: string; data: unknown }>> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, headers: { cookie } }, (res) => {
      let buf = '';
      const events: Array<{ event: string; data: unknown }> = [];
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(block);
          const data = /^data: (.*)$/m.exec(block);
          if (ev && data) events.push({ event: ev[1], data: JSON.parse(data[1]) });
          if (events.length >= count) {
            req.destroy();
            resolve(events);
          }
        }
      });
      res.on('end', () => resolve(events));
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
  });
}

interface OpenSocket {
  ws: WebSocket;
  messages: ServerMessage[];
  next(pred: (m: ServerMessage) => boolean): Promise<ServerMessage>;
}

function openSocket(url: string, headers: Record<string, string>): Promise<OpenSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const messages: ServerMessage[] = [];
    const waiters: Array<{ pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }> = [];
    ws.on('message', (d: Buffer) => {
      const m = decodeServerMessage(d.toString('utf8'));
      if (!m.ok) return;
      messages.push(m.message);
      for (const w of [...waiters]) if (w.pred(m.message)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(m.message));
    });
    const next = (pred: (m: ServerMessage) => boolean) =>
      new Promise<ServerMessage>((res) => {
        const hit = messages.find(pred);
        if (hit) res(hit);
        else waiters.push({ pred, resolve: res });
      });
    ws.on('open', () => resolve({ ws, messages, next }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

describe('web server', () => {
  let server: RunningWebServer;
  let staticDir: string;
  let made: FakeTerminalSession[];
  /** the shells opened on a multi-node lab's nodes, by node */
  const onNodes: Record<string, FakeTerminalSession[]> = {};
  let trace: TraceFeed;
  /** each node's own trace (a multi-node lab's boxlabd nodes) */
  const nodeTraces: Record<string, TraceFeed> = {};
  let engine: FakeEngine;
  const token = 'test-token-123';
  const cookie = `boxlab_token=${token}`;
  let origin: string;

  // a container's web server, published on a host port of the sandbox (this host here)
  let app: http.Server;
  let appPort = 0;

  before(async () => {
    app = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Set-Cookie': 'boxlab_token=stolen; Path=/', 'X-Seen-Cookie': String(req.headers.cookie ?? '') });
      res.end(`hello from the container: ${req.method} ${req.url}`);
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appPort = (app.address() as net.AddressInfo).port;
    staticDir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-web-unit-'));
    writeFileSync(path.join(staticDir, 'app.js'), 'console.log("app")');
    made = [];
    trace = new TraceFeed('/nonexistent.sock');
    engine = new FakeEngine();
    server = await startWebServer({ host: '127.0.0.1', port: 0, token, lang: 'en', sandbox: { provider: 'local' }, labs, tutorials, engine, trace, terminals: fakeFactory(made), staticDir, graceMs: 60_000,
      nodeTerminals: (node) => fakeFactory((onNodes[node] ??= [])),
      nodeTrace: (node) => (nodeTraces[node] ??= new TraceFeed('/nonexistent.sock')),
      classInbox: async () => [{ from: 'teacher', text: 'ten minutes left', at: '2026-12-06T21:05:00.000Z', broadcastId: 1 }],
      ports: {
        containers: async () => [{ Names: ['/web'], Ports: [{ PrivatePort: 80, PublicPort: appPort, Type: 'tcp' }, { PrivatePort: 53, PublicPort: 5353, Type: 'udp' }] }],
        open: (port) => new Promise((resolve, reject) => { const c = net.connect(port, '127.0.0.1', () => resolve(c)); c.once('error', reject); }),
      },
    });
    origin = `http://127.0.0.1:${server.port}`;
  });

  after(async () => {
    app.close();
    await server.close();
    assert.equal(tutorialCalls.at(-1), 'close', 'closing the server cleans up the tutorials');
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('serves tutorials: catalog, page, a step run with expected vs actual, start over', async () => {
    assert.equal((await request(server.port, 'GET', '/api/tutorials')).status, 401);
    assert.equal(JSON.parse((await request(server.port, 'GET', '/api/tutorials?lang=zh', { cookie })).body)[0].title, '教程一');
    assert.equal(JSON.parse((await request(server.port, 'POST', '/api/tutorials/tut1', { cookie })).body).steps[0].script, 'echo hi');
    assert.equal((await request(server.port, 'POST', '/api/tutorials/nosuch', { cookie })).status, 404);
    const run = JSON.parse((await request(server.port, 'POST', '/api/tutorials/tut1/steps/1/run', { cookie })).body);
    assert.deepEqual([run.status, run.output, run.expected], ['failed', 'ho\n', 'hi']);
    assert.equal((await request(server.port, 'POST', '/api/tutorials/tut1/reset', { cookie })).status, 200);
    assert.deepEqual(tutorialCalls, ['run tut1 1', 'reset tut1']);
    assert.equal((await request(server.port, 'GET', '/api/tutorials/tut1/steps/1/run', { cookie })).status, 404);
  });

  it('starts a lab over and solves it up to a step, with the token only, from the page origin', async () => {
    assert.equal((await request(server.port, 'POST', '/api/labs/lab1/reset')).status, 401);
    assert.equal((await request(server.port, 'POST', '/api/labs/lab1/steps/1/solve', { cookie, origin: 'http://evil.example' })).status, 403);
    assert.deepEqual(labCalls, [], 'refused before the backend was asked');
    assert.equal(JSON.parse((await request(server.port, 'POST', '/api/labs/lab1/reset', { cookie, origin })).body).currentStep, 0);
    assert.deepEqual(JSON.parse((await request(server.port, 'POST', '/api/labs/lab1/steps/1/solve', { cookie })).body), { ok: true, steps: [{ index: 0, id: 's1', passed: true }], currentStep: 1 });
    assert.deepEqual(labCalls, ['reset lab1', 'solve lab1 1']);
    assert.equal((await request(server.port, 'GET', '/api/labs/lab1/reset', { cookie })).status, 404, 'only POST changes the sandbox');
  });

  it("gives the page the class teacher's messages, with the token only", async () => {
    assert.equal((await request(server.port, 'GET', '/api/class/messages')).status, 401);
    assert.deepEqual(JSON.parse((await request(server.port, 'GET', '/api/class/messages', { cookie })).body).map((e: { text: string }) => e.text), ['ten minutes left']);
  });

  it('prints a URL on 127.0.0.1 with the token', () => {
    assert.equal(server.url, `http://127.0.0.1:${server.port}/?token=${token}`);
  });

  it('refuses the page, the static files and the API without the token (401) or with a wrong one (403)', async () => {
    for (const p of ['/', '/app.js', '/api/labs', '/api/trace', '/api/engine']) {
      assert.equal((await request(server.port, 'GET', p)).status, 401, p);
      assert.equal((await request(server.port, 'GET', `${p}?token=wrong`)).status, 403, p);
      assert.equal((await request(server.port, 'GET', p, { cookie: 'boxlab_token=wrong' })).status, 403, p);
    }
    assert.equal((await request(server.port, 'POST', '/api/labs/lab1')).status, 401);
    assert.match((await request(server.port, 'GET', '/')).body, /open the URL with \?token=/);
  });

  it('trades the token in the URL for an HttpOnly cookie, then serves the page with a strict CSP', async () => {
    const first = await request(server.port, 'GET', `/?token=${token}`);
    assert.equal(first.status, 302);
    assert.equal(first.headers.location, '/');
    assert.deepEqual(first.headers['set-cookie'], [`boxlab_token=${token}; Path=/; HttpOnly; SameSite=Strict`]);
    const page = await request(server.port, 'GET', '/', { cookie });
    assert.equal(page.status, 200);
    assert.match(page.body, /<script type="module" src="\/app.js"><\/script>/);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    const js = await request(server.port, 'GET', '/app.js', { cookie });
    assert.equal(js.body, 'console.log("app")');
  });

  it('refuses a request from another origin even with the cookie', async () => {
    const r = await request(server.port, 'POST', '/api/labs/lab1', { cookie, origin: 'http://evil.example' });
    assert.equal(r.status, 403);
    assert.equal((await request(server.port, 'POST', '/api/labs/lab1', { cookie, origin })).status, 200);
  });

  it('serves the catalog in both languages and maps errors to statuses with the message', async () => {
    assert.equal(JSON.parse((await request(server.port, 'GET', '/api/labs?lang=zh', { cookie })).body)[0].title, '实验一');
    const missing = await request(server.port, 'POST', '/api/labs/nosuch', { cookie });
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.body), { message: 'lab "nosuch" not found', code: 'NOT_FOUND', suggestions: ['pick one from the catalog'] });
    assert.equal((await request(server.port, 'GET', '/api/nothing', { cookie })).status, 404);
  });

  it('runs a check, streams automatic checks, and retries the engine', async () => {
    const check = await request(server.port, 'POST', '/api/labs/lab1/steps/0/check', { cookie });
    assert.deepEqual(JSON.parse(check.body), report);
    const events = await readEvents(server.port, '/api/labs/lab1/steps/0/watch', cookie, 2);
    assert.deepEqual(events.map((e) => [e.event, (e.data as CheckReport).passed]), [['check', false], ['check', true]]);
    assert.equal((await request(server.port, 'POST', '/api/engine/retry', { cookie })).status, 202);
    assert.equal(engine.retries, 1);
  });

  it("gives the next progressive hint and passes a predict step's answer (the request body) to the labs", async () => {
    assert.deepEqual(JSON.parse((await request(server.port, 'POST', '/api/labs/lab1/steps/1/hint?lang=zh', { cookie })).body), { hints: ['第 2 步的提示'], count: 3 });
    const saved = await request(server.port, 'POST', '/api/labs/lab1/steps/0/answer', { cookie, 'content-type': 'text/plain' }, '3 processes');
    assert.deepEqual([saved.status, JSON.parse(saved.body)], [200, { file: '/tmp/x/answer-s1' }]);
    assert.deepEqual(answers, ['0:3 processes']);
    const long = await request(server.port, 'POST', '/api/labs/lab1/steps/0/answer', { cookie }, 'x'.repeat(2000));
    assert.equal(long.status, 400);
    assert.match(JSON.parse(long.body).message, /the answer is longer than 1000 bytes/);
  });

  it('streams trace events with a link to the lab step that teaches them, recent ones first', async () => {
    trace.publish({ time: '2026-01-01T00:00:00.000Z', objectId: 'c1', step: 'mount.overlay', details: { target: '/x' }, text: { en: 'mounted', zh: '挂载' }, lesson: { lab: '03-overlayfs', step: 'mount' } });
    const events = await readEvents(server.port, '/api/trace', cookie, 1);
    assert.equal(events[0].event, 'trace');
    assert.deepEqual((events[0].data as { lesson: unknown }).lesson, { lab: '03-overlayfs', step: 'mount' });
  });

  it("streams a lab node's own trace for ?lab=&node= (the panel follows the node tab in front); a node the lab lacks gets an error, no feed", async () => {
    // the sandbox's event above, then one on worker1's engine: each stream has only its own engine's events
    const events = readEvents(server.port, '/api/trace?lab=lab1&node=worker1', cookie, 2);
    for (let i = 0; i < 100 && !nodeTraces.worker1; i++) await new Promise((r) => setTimeout(r, 10));
    nodeTraces.worker1!.publish({ time: '2026-01-01T00:00:01.000Z', objectId: 'c9', step: 'runc.run', details: {}, text: { en: 'ran', zh: '运行' } });
    assert.deepEqual((await events).map((e) => [e.event, (e.data as { objectId?: string }).objectId]), [['live', undefined], ['trace', 'c9']]);
    const bad = await request(server.port, 'GET', '/api/trace?lab=lab1&node=nowhere', { cookie });
    assert.equal(bad.status, 404);
    assert.match(JSON.parse(bad.body).message, /lab "lab1" has no node "nowhere"; its nodes: worker1/);
    assert.equal(nodeTraces.nowhere, undefined);
  });

  it("lists the published TCP ports and opens one through its own key, never the page's token", async () => {
    assert.equal((await request(server.port, 'GET', '/api/ports')).status, 401);
    const ports = JSON.parse((await request(server.port, 'GET', '/api/ports', { cookie })).body) as Array<{ container: string; hostPort: number; url: string }>;
    assert.deepEqual(ports.map((p) => [p.container, p.hostPort]), [['web', appPort]]);
    assert.match(ports[0].url, new RegExp(`^/ports/${appPort}/[A-Za-z0-9_-]{22}/$`));
    assert.ok(!ports[0].url.includes(token));

    const page = await request(server.port, 'GET', `${ports[0].url}a/b?x=1`, { cookie });
    assert.equal(page.status, 200);
    assert.equal(page.body, 'hello from the container: GET /a/b?x=1');
    assert.equal(page.headers['x-seen-cookie'], '', "the page's cookie does not reach the container");
    assert.equal(page.headers['set-cookie'], undefined, "the container's cookies do not land on the page's origin");
    assert.match(String(page.headers['content-security-policy']), /^sandbox /);
    assert.doesNotMatch(String(page.headers['content-security-policy']), /allow-same-origin/);

    assert.equal((await request(server.port, 'GET', `/ports/${appPort}/${'x'.repeat(22)}/`)).status, 403, 'a made-up key');
    assert.equal((await request(server.port, 'GET', ports[0].url.replace(String(appPort), String(appPort + 1)))).status, 403, "one port's key opens no other port");
    // what a script of that page (an opaque origin) would send to the API: refused
    assert.equal((await request(server.port, 'GET', '/api/labs', { cookie, origin: 'null' })).status, 403);
  });

  it('says plainly when nothing listens on a published port', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const r = await request(server.port, 'GET', portUrl(token, closed));
    assert.equal(r.status, 502);
    assert.match(r.body, new RegExp(`nothing answers on port ${closed} in the sandbox .*does it listen on the port you published\\?`));
  });

  describe('terminal WebSocket', () => {
    const wsUrl = (q = '') => `ws://127.0.0.1:${server.port}/ws/terminal?lab=lab1${q}`;

    it('refuses an upgrade without the token, with a wrong one, or from another origin', async () => {
      await assert.rejects(openSocket(wsUrl(), { origin }), /refused with 401/);
      await assert.rejects(openSocket(wsUrl('&token=bad'), { origin }), /refused with 403/);
      await assert.rejects(openSocket(wsUrl(), { origin: 'http://evil.example', cookie }), /refused with 403/);
      assert.equal(made.length, 0, 'no shell was started for them');
    });

    it('opens a shell with the lab environment, types into it and reports bad frames', async () => {
      const s = await openSocket(wsUrl('&cols=100&rows=30'), { origin, cookie });
      const hello = await s.next((m) => m.t === 'hello');
      assert.equal(hello.t === 'hello' && hello.resumed, false);
      const shell = made.at(-1)!;
      assert.deepEqual(shell.options, { cols: 100, rows: 30, env: { LAB_ID: 'lab1' }, cwd: undefined });
      s.ws.send(encodeMessage({ t: 'data', d: 'echo hi\r' }));
      assert.deepEqual(await s.next((m) => m.t === 'data'), { t: 'data', d: 'echo hi\r' });
      s.ws.send('{"t":"shell","cmd":"x"}');
      assert.match(((await s.next((m) => m.t === 'error')) as { message: string }).message, /unknown terminal message type/);
      s.ws.close();
    });

    it('a tutorial shell starts in its folder with its environment, apart from the lab one', async () => {
      const s = await openSocket(`ws://127.0.0.1:${server.port}/ws/terminal?tutorial=tut1`, { origin, cookie });
      await s.next((m) => m.t === 'hello');
      assert.deepEqual(made.at(-1)!.options, { cols: 80, rows: 24, env: { TUTORIAL_DIR: '/tmp/tut1' }, cwd: '/tmp/tut1' });
      s.ws.close();
    });

    it("a multi-node lab's tab opens its shell on the node it names, with LAB_NODE; an unknown node gets an error, no shell", async () => {
      const before = made.length;
      const s = await openSocket(wsUrl('&node=worker1'), { origin, cookie });
      const hello = (await s.next((m) => m.t === 'hello')) as { session: string };
      assert.equal(onNodes.worker1?.length, 1, "the shell opened on worker1's guest");
      assert.deepEqual(onNodes.worker1[0].options.env, { LAB_ID: 'lab1', LAB_NODE: 'worker1' });
      assert.equal(made.length, before, 'not in the sandbox of the page');
      // the node's session is its own: the lab's first tab with that id gets a new shell, not worker1's
      const other = await openSocket(wsUrl(`&session=${hello.session}`), { origin, cookie });
      const otherHello = (await other.next((m) => m.t === 'hello')) as { session: string; resumed: boolean };
      assert.notEqual(otherHello.session, hello.session);
      assert.equal(made.length, before + 1);
      const bad = await openSocket(wsUrl('&node=nowhere'), { origin, cookie });
      assert.match(((await bad.next((m) => m.t === 'error')) as { message: string }).message, /could not open a terminal: lab "lab1" has no node "nowhere"; its nodes: worker1/);
      assert.equal(onNodes.nowhere, undefined, 'no shell for a node the lab lacks');
      for (const x of [s, other, bad]) x.ws.close();
    });

    it('a reconnect with the session id gets the same shell back', async () => {
      const s1 = await openSocket(wsUrl(), { origin, cookie });
      const hello = (await s1.next((m) => m.t === 'hello')) as { session: string; pid: number };
      s1.ws.send(encodeMessage({ t: 'data', d: 'before\r' }));
      await s1.next((m) => m.t === 'data');
      s1.ws.terminate(); // as a dropped network would
      await new Promise((r) => setTimeout(r, 50));
      const s2 = await openSocket(wsUrl(`&session=${hello.session}`), { origin, cookie });
      assert.deepEqual(await s2.next((m) => m.t === 'hello'), { t: 'hello', session: hello.session, pid: hello.pid, resumed: true });
      assert.deepEqual(await s2.next((m) => m.t === 'data'), { t: 'data', d: 'before\r' }, 'the scrollback is replayed');
      s2.ws.close();
    });

    it('a yes flood through a socket whose client never acknowledges pauses the shell; acks let it go on', async () => {
      const s = await openSocket(wsUrl(), { origin, cookie });
      await s.next((m) => m.t === 'hello');
      const shell = made.at(-1)!;
      shell.startFlood();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(shell.paused, true);
      const produced = shell.produced;
      assert.ok(produced < 2 * 1024 * 1024, `the shell produced ${produced} characters, not an unbounded amount`);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(shell.produced, produced, 'nothing more while paused');
      const received = s.messages.reduce((n, m) => n + (m.t === 'data' ? m.d.length : 0), 0);
      s.ws.send(encodeMessage({ t: 'ack', n: received }));
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(shell.produced > produced, 'it resumes once the client caught up');
      shell.stopFlood();
      s.ws.close();
    });
  });
});
