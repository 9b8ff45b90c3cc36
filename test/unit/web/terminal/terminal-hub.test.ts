import assert from 'node:assert/strict';
import { TerminalHub, type TerminalSocket } from '../../../../src/web/terminal/terminal-hub.js';
import { decodeServerMessage, type ServerMessage } from '../../../../src/web/terminal/terminal-protocol.js';
import { fakeFactory, type FakeTerminalSession } from './fake-terminal-session.js';

class FakeSocket implements TerminalSocket {
  bufferedAmount = 0;
  closed?: { code?: number; reason?: string };
  readonly messages: ServerMessage[] = [];
  send(text: string): void {
    const m = decodeServerMessage(text);
    assert.ok(m.ok, text);
    this.messages.push(m.message);
  }
  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
  }
  output(): string {
    return this.messages.flatMap((m) => (m.t === 'data' ? [m.d] : [])).join('');
  }
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
const size = { cols: 80, rows: 24 };

describe('TerminalHub', () => {
  let made: FakeTerminalSession[];
  let hub: TerminalHub;

  beforeEach(() => {
    made = [];
    hub = new TerminalHub({ factory: fakeFactory(made), graceMs: 50, flow: { highWater: 64 * 1024, lowWater: 8 * 1024 }, scrollbackChars: 1000 });
  });
  afterEach(() => hub.closeAll());

  it('greets a new socket with a new session, and passes keys and resizes to the shell', async () => {
    const ws = new FakeSocket();
    const a = await hub.attach(ws, { ...size, env: { LAB_ID: 'x' } });
    assert.deepEqual(ws.messages[0], { t: 'hello', session: a.session, pid: made[0].pid, resumed: false });
    assert.deepEqual(made[0].options.env, { LAB_ID: 'x' });
    a.receive({ t: 'data', d: 'echo hi\r' });
    a.receive({ t: 'resize', cols: 100, rows: 30 });
    assert.deepEqual(made[0].written, ['echo hi\r']);
    assert.deepEqual(made[0].sizes, [[100, 30]]);
    assert.equal(ws.output(), 'echo hi\r'); // the fake shell echoes
  });

  it('a yes flood pauses the shell until the browser acknowledges, and the server buffers a bounded amount', async () => {
    const ws = new FakeSocket();
    const a = await hub.attach(ws, size);
    const shell = made[0];
    shell.startFlood();
    await tick(50);
    assert.equal(shell.paused, true, 'the shell is paused');
    const sentBeforeAck = ws.output().length;
    assert.ok(sentBeforeAck > 64 * 1024 && sentBeforeAck < 64 * 1024 + 8192, `sent ${sentBeforeAck}, about the high-water mark`);
    await tick(30);
    assert.equal(ws.output().length, sentBeforeAck, 'nothing more is sent while paused');
    a.receive({ t: 'ack', n: sentBeforeAck });
    assert.equal(shell.paused, false, 'acknowledging everything resumes it');
    await tick(30);
    assert.ok(ws.output().length > sentBeforeAck, 'output flows again');
    assert.equal(shell.paused, true, 'and pauses again at the mark');
    shell.stopFlood();
  });

  it('pauses on a full socket buffer even if the client never acknowledges, and resumes when it drains', async () => {
    hub = new TerminalHub({ factory: fakeFactory(made), flow: { highWater: 1000, lowWater: 100 }, drainPollMs: 5 });
    const ws = new FakeSocket();
    const a = await hub.attach(ws, size);
    ws.bufferedAmount = 5000;
    made[0].emitData('x');
    assert.equal(made[0].paused, true);
    a.receive({ t: 'ack', n: 1 });
    assert.equal(made[0].paused, true, 'an ack does not help while the socket is full');
    ws.bufferedAmount = 0;
    await tick(30);
    assert.equal(made[0].paused, false);
  });

  it('reconnecting with the session id gets the same shell and a replay of its recent output', async () => {
    const ws1 = new FakeSocket();
    const a = await hub.attach(ws1, { ...size, key: 'lab1' });
    made[0].emitData('$ echo $$\r\n4242\r\n');
    a.detach();
    made[0].emitData('written while away\r\n');
    const ws2 = new FakeSocket();
    const b = await hub.attach(ws2, { cols: 90, rows: 20, key: 'lab1', session: a.session });
    assert.equal(made.length, 1, 'no new shell');
    assert.deepEqual(ws2.messages[0], { t: 'hello', session: a.session, pid: made[0].pid, resumed: true });
    assert.equal(ws2.output(), '$ echo $$\r\n4242\r\nwritten while away\r\n');
    assert.deepEqual(made[0].sizes, [[90, 20]], 'the new window size applies');
    b.receive({ t: 'data', d: 'x' });
    assert.deepEqual(made[0].written, ['x']);
  });

  it('an unknown, expired or other-lab session id starts a new shell', async () => {
    const ws1 = new FakeSocket();
    const a = await hub.attach(ws1, { ...size, key: 'lab1' });
    const other = await hub.attach(new FakeSocket(), { ...size, key: 'lab2', session: a.session });
    assert.notEqual(other.session, a.session);
    const unknown = await hub.attach(new FakeSocket(), { ...size, key: 'lab1', session: 'nosuch' });
    assert.equal(unknown.resumed, false);
    a.detach();
    await tick(80);
    assert.equal(made[0].closed, true, 'the shell ends after the grace period');
    assert.equal(hub.has(a.session), false);
    const late = await hub.attach(new FakeSocket(), { ...size, key: 'lab1', session: a.session });
    assert.equal(late.resumed, false);
  });

  it('a second page takes the session over and the first socket is closed', async () => {
    const ws1 = new FakeSocket();
    const a = await hub.attach(ws1, size);
    const ws2 = new FakeSocket();
    await hub.attach(ws2, { ...size, session: a.session });
    assert.equal(ws1.closed?.code, 4000);
    a.receive({ t: 'data', d: 'from the old page' });
    assert.deepEqual(made[0].written, [], 'the old socket no longer types');
    a.detach();
    assert.equal(made[0].closed, false, 'detaching the old socket does not end the shell');
  });

  it('tells the page when the shell exits and forgets it', async () => {
    const ws = new FakeSocket();
    const a = await hub.attach(ws, size);
    made[0].exit(3);
    assert.deepEqual(ws.messages.at(-1), { t: 'exit', code: 3 });
    assert.equal(hub.has(a.session), false);
  });

  it('answers pings', async () => {
    const ws = new FakeSocket();
    const a = await hub.attach(ws, size);
    a.receive({ t: 'ping' });
    assert.deepEqual(ws.messages.at(-1), { t: 'pong' });
  });
});
