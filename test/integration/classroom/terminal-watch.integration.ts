// Terminal watch, help with consent and replay (ADR 0020, 0024), with the real pieces: a `boxlab class
// serve`, and Ana's and Bo's own `boxlab serve` (their homes joined the class), whose page terminal is a
// real bash under a pty, opened here as the page opens it (/ws/terminal). The teacher's side is the watch
// WebSocket the teacher page opens. Proven: the seat socket and the watch socket refuse the wrong tokens;
// an unwatched class sends no terminal frame (counted on the class server) while Ana types; a teacher who
// starts watching sees her last screen and what she types next; the teacher's keystrokes before her
// consent never reach her shell, after "allow" they do, and after "stop" they no longer do; a recorded
// class replays her terminal output and her check in the order they happened.
import assert from 'node:assert/strict';
import { mkdirSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { boxlab } from './class-cli.js';
import { serveClass, type ServedClass } from '../../helpers/class-server.js';
import { waitFor } from '../../helpers/wait-for.js';
import { serveWithoutEngine, type ServedPage } from '../../e2e/web/serve-without-engine.js';

interface Stats {
  seatId: string;
  online: boolean;
  sessions: number;
  watchers: number;
  frames: number;
}

/** a WebSocket and every text frame it received so far */
function socket(url: string, headers: Record<string, string> = {}): { ws: WebSocket; frames: string[]; opened: Promise<void>; refused: Promise<number> } {
  const ws = new WebSocket(url, { headers });
  const frames: string[] = [];
  ws.on('message', (d: Buffer) => frames.push(d.toString('utf8')));
  ws.on('error', () => undefined);
  const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()));
  const refused = new Promise<number>((resolve) => ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)));
  return { ws, frames, opened, refused };
}

/** the text a terminal socket's data frames carried */
const output = (frames: string[]) =>
  frames
    .map((f) => JSON.parse(f) as { t: string; d?: string })
    .filter((f) => f.t === 'data' || f.t === 'screen')
    .map((f) => f.d)
    .join('');

describe('classroom terminal watch: help with consent and replay (class server, two students\' boxlab serve, real shells)', function () {
  this.timeout(300_000);
  let dir: string;
  let teacher: NodeJS.ProcessEnv;
  let cls: ServedClass;
  const pages: Record<string, ServedPage> = {};
  const seats: Record<string, { token: string; seatId: string }> = {};
  let anaTerm: ReturnType<typeof socket>;

  const stats = async (): Promise<Stats[]> => ((await (await fetch(`${cls.url}/api/teacher/terminals`, { headers: { authorization: `Bearer ${cls.teacherToken}` } })).json()) as { seats: Stats[] }).seats;
  const seatStats = async (name: string) => (await stats()).find((s) => s.seatId === seats[name].seatId);
  const wsUrl = (p: string) => `${cls.url.replace(/^http/, 'ws')}${p}`;
  const page = (name: string, p: string) => {
    const u = new URL(pages[name].url);
    return `${u.origin}${p}${p.includes('?') ? '&' : '?'}token=${u.searchParams.get('token')}`;
  };
  /** the student's consent bar's state, as their page reads it (the first server-sent event) */
  const helpState = async (name: string): Promise<string> => {
    const res = await fetch(page(name, '/api/class/help'));
    const reader = res.body!.getReader();
    let text = '';
    while (!/\n\n/.test(text.replace(/^: boxlab\n\n/, ''))) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    return (JSON.parse(/data: (.*)\n/.exec(text)![1]) as { help: string }).help;
  };
  const answer = async (name: string, a: 'allow' | 'refuse' | 'stop') => assert.equal((await fetch(page(name, `/api/class/help/${a}`), { method: 'POST' })).status, 200);

  before(async function () {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-class-watch-'));
    const base: NodeJS.ProcessEnv = { ...process.env, BOXLAB_LANG: 'en', BOXLAB_PROVIDER: 'local' };
    delete base.BOXLAB_LABS;
    delete base.BOXLAB_VM;
    teacher = { ...base, BOXLAB_HOME: path.join(dir, 'teacher') };
    assert.equal((await boxlab(teacher, 'class', 'create', 'c-watch', '--lab', '03-overlayfs', '--seats', '3')).code, 0);
    cls = await serveClass('c-watch', teacher, '--listen', '127.0.0.1:0');
    for (const name of ['Ana', 'Bo']) {
      const own = path.join(dir, name.toLowerCase());
      mkdirSync(path.join(own, 'labs'), { recursive: true });
      const env = { ...base, BOXLAB_HOME: path.join(own, 'home') };
      const j = await boxlab(env, 'class', 'join', cls.url, '--code', cls.code, '--name', name, '--no-agent');
      assert.equal(j.code, 0, j.stderr);
      seats[name] = JSON.parse(await fs.readFile(path.join(own, 'home', 'class.json'), 'utf8')) as { token: string; seatId: string };
      pages[name] = await serveWithoutEngine(own, { BOXLAB_LANG: 'en', BOXLAB_LAB_DIR: path.join(own, 'work') });
    }
    await waitFor("both students' boxlab connected to the class", async () => (await stats()).filter((s) => s.online).length === 2);
  });

  after(async () => {
    anaTerm?.ws.terminate();
    for (const p of Object.values(pages)) await p.stop();
    await cls?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('the seat socket needs a seat token of this class; a seat token cannot watch', async () => {
    assert.equal(await socket(wsUrl('/api/seats/me/terminal')).refused, 401);
    assert.equal(await socket(wsUrl('/api/seats/me/terminal'), { authorization: 'Bearer not-a-seat-token' }).refused, 403);
    assert.equal(await socket(wsUrl('/api/seats/me/terminal'), { authorization: `Bearer ${cls.teacherToken}` }).refused, 403);
    // Bo's token asking to watch Ana (or himself) is refused, by header or in the address
    assert.equal(await socket(wsUrl(`/api/teacher/watch/${seats.Ana.seatId}`), { authorization: `Bearer ${seats.Bo.token}` }).refused, 403);
    assert.equal(await socket(wsUrl(`/api/teacher/watch/${seats.Bo.seatId}`), { authorization: `Bearer ${seats.Bo.token}` }).refused, 403);
    assert.equal(await socket(wsUrl(`/api/teacher/watch/${seats.Ana.seatId}?token=${encodeURIComponent(seats.Bo.token)}`)).refused, 401);
    assert.equal(await socket(wsUrl('/api/teacher/watch/0123456789abcdef?token=' + encodeURIComponent(cls.teacherToken))).refused, 404);
    assert.equal((await fetch(`${cls.url}/api/teacher/terminals`, { headers: { authorization: `Bearer ${seats.Ana.token}` } })).status, 403);
    assert.equal((await fetch(`${cls.url}/api/teacher/replay/${seats.Ana.seatId}`, { headers: { authorization: `Bearer ${seats.Ana.token}` } })).status, 403);
  });

  it('an unwatched class sends no terminal frames while Ana types', async () => {
    anaTerm = socket(page('Ana', '/ws/terminal?cols=100&rows=30').replace(/^http/, 'ws'));
    await anaTerm.opened;
    // her page acknowledges what it drew, as xterm.js does (the terminal's flow control)
    anaTerm.ws.on('message', (d: Buffer) => {
      const f = JSON.parse(d.toString('utf8')) as { t: string; d?: string };
      if (f.t === 'data') anaTerm.ws.send(JSON.stringify({ t: 'ack', n: f.d!.length }));
    });
    anaTerm.ws.send(JSON.stringify({ t: 'data', d: 'echo "unwatched-$((6*7))"\r' }));
    await waitFor("Ana's shell to answer", () => output(anaTerm.frames).includes('unwatched-42'));
    const s = await waitFor('the class server to know Ana has a terminal', async () => ((await seatStats('Ana'))?.sessions === 1 ? seatStats('Ana') : undefined));
    assert.deepEqual({ online: s!.online, sessions: s!.sessions, watchers: s!.watchers, frames: s!.frames }, { online: true, sessions: 1, watchers: 0, frames: 0 });
    const bo = await seatStats('Bo');
    assert.deepEqual({ sessions: bo!.sessions, frames: bo!.frames }, { sessions: 0, frames: 0 });
  });

  it('the teacher watching Ana sees her last screen, then what she types; Bo has no terminal to watch', async () => {
    const bo = socket(wsUrl(`/api/teacher/watch/${seats.Bo.seatId}?token=${encodeURIComponent(cls.teacherToken)}`));
    await waitFor("Bo's seat frame", () => bo.frames.length > 0);
    assert.deepEqual(JSON.parse(bo.frames[0]), { t: 'seat', online: true, sessions: 0 });
    bo.ws.close();

    const w = socket(wsUrl(`/api/teacher/watch/${seats.Ana.seatId}?token=${encodeURIComponent(cls.teacherToken)}`));
    await waitFor('her last screen', () => output(w.frames).includes('unwatched-42'));
    assert.deepEqual(JSON.parse(w.frames[0]), { t: 'seat', online: true, sessions: 1 });
    anaTerm.ws.send(JSON.stringify({ t: 'data', d: 'echo "watched-$((6*7))"\r' }));
    await waitFor('what she typed next', () => output(w.frames).includes('watched-42'));
    assert.ok((await seatStats('Ana'))!.frames > 0);
    w.ws.close();
    await waitFor('the watch to stop when the teacher leaves', async () => (await seatStats('Ana'))?.watchers === 0);
  });

  it("the teacher's keystrokes reach Ana's shell only between her allow and her stop", async () => {
    const w = socket(wsUrl(`/api/teacher/watch/${seats.Ana.seatId}?token=${encodeURIComponent(cls.teacherToken)}`));
    await w.opened;
    const say = (f: object) => w.ws.send(JSON.stringify(f));
    const helpFrames = () => w.frames.map((f) => JSON.parse(f) as { t: string; state?: string }).filter((f) => f.t === 'help').map((f) => f.state);
    // typed before she was asked: her boxlab drops it (the frames go in order, so it is dropped before she is asked)
    say({ t: 'input', d: 'echo "before-$((6*7))"\r' });
    say({ t: 'help-request' });
    await waitFor('her page to ask her', async () => (await helpState('Ana')) === 'asked');
    await answer('Ana', 'allow');
    await waitFor('the teacher to see her allow', () => helpFrames().includes('allowed'));
    await waitFor('the marker line in her terminal', () => /your teacher is helping/.test(output(anaTerm.frames)));
    say({ t: 'input', d: 'echo "helped-$((6*7))"\r' });
    await waitFor('the teacher\'s command run in her shell', () => output(anaTerm.frames).includes('helped-42'));
    await waitFor('...and seen by the teacher', () => output(w.frames).includes('helped-42'));
    await answer('Ana', 'stop');
    await waitFor('the teacher to see her stop', () => helpFrames().includes('stopped'));
    assert.match(output(anaTerm.frames), /your teacher stopped helping/);
    say({ t: 'input', d: 'echo "after-$((6*7))"\r' });
    // asked again: the input sent before is handled (dropped) before her page shows the question
    say({ t: 'help-request' });
    await waitFor('her page to ask her again', async () => (await helpState('Ana')) === 'asked');
    await answer('Ana', 'refuse');
    await waitFor('the teacher to see her refuse', () => helpFrames().includes('refused'));
    anaTerm.ws.send(JSON.stringify({ t: 'data', d: 'echo "mine-$((6*7))"\r' }));
    await waitFor('her own command', () => output(anaTerm.frames).includes('mine-42'));
    const seen = output(anaTerm.frames);
    for (const never of ['before-42', 'after-42']) assert.ok(!seen.includes(never), `${never} reached her shell:\n${seen}`);
    w.ws.close();
  });

  it('a teacher page that does not keep up gets the last screen, not every byte', async () => {
    // this watcher never acknowledges: past 256 K characters in flight the relay stops sending it data
    const w = socket(wsUrl(`/api/teacher/watch/${seats.Ana.seatId}?token=${encodeURIComponent(cls.teacherToken)}`));
    await waitFor('her last screen', () => output(w.frames).includes('unwatched-42'));
    anaTerm.ws.send(JSON.stringify({ t: 'data', d: 'head -c 1000000 /dev/zero | tr "\\0" x; echo; echo "flood-$((6*7))"\r' }));
    await waitFor('the flood to end in her terminal', () => output(anaTerm.frames).includes('flood-42'), { timeoutMs: 60_000 });
    const sent = output(w.frames).length;
    assert.ok(sent < 400_000, `the slow page was sent ${sent} characters of a 1 MB flood`);
    assert.ok(!output(w.frames).includes('flood-42'));
    // it catches up: one frame with the last screen, ending with what she sees now
    w.ws.send(JSON.stringify({ t: 'ack', n: sent * 2 }));
    const screen = await waitFor('the last screen', () => w.frames.map((f) => JSON.parse(f) as { t: string; d?: string }).find((f) => f.t === 'screen' && f.d!.includes('flood-42')));
    assert.ok(screen.d!.length <= 64 * 1024, `a last screen of ${screen.d!.length} characters`);
    w.ws.close();
    await waitFor('the watch to stop', async () => (await seatStats('Ana'))?.watchers === 0);
  });

  it('a recorded class replays her terminal and her check in the order they happened', async () => {
    await cls.stop();
    const listen = new URL(cls.url).host;
    cls = await serveClass('c-watch', teacher, '--listen', listen, '--record');
    assert.match(cls.out(), /recording: each student's terminals/);
    await waitFor("Ana's boxlab back, sending (the class records)", async () => (await seatStats('Ana'))?.online === true, { timeoutMs: 60_000 });
    await waitFor('her help bar to say the class records', async () => (await helpState('Ana')) === 'none');
    anaTerm.ws.send(JSON.stringify({ t: 'data', d: 'echo "first-$((6*7))"\r' }));
    await waitFor('first', () => output(anaTerm.frames).includes('first-42'));
    await waitFor('the class server to have her first command', async () => ((await seatStats('Ana'))?.frames ?? 0) > 0);
    const report = { kind: 'check', id: 'r1', labId: '03-overlayfs', stepIndex: 0, stepId: 'mount', stepCount: 4, passed: true, checksPassed: 2, checksTotal: 2, at: new Date().toISOString() };
    const posted = await fetch(`${cls.url}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${seats.Ana.token}` }, body: JSON.stringify(report) });
    assert.equal(posted.status, 201, await posted.text());
    anaTerm.ws.send(JSON.stringify({ t: 'data', d: 'echo "second-$((6*7))"\r' }));
    await waitFor('second', () => output(anaTerm.frames).includes('second-42'));
    const replay = await waitFor('the replay with both commands', async () => {
      const r = (await (await fetch(`${cls.url}/api/teacher/replay/${seats.Ana.seatId}`, { headers: { authorization: `Bearer ${cls.teacherToken}` } })).json()) as { events: Array<{ t: string; d?: string; at: string }>; capChars: number };
      return r.events.some((e) => e.d?.includes('second-42')) ? r : undefined;
    });
    const at = (pred: (e: { t: string; d?: string }) => boolean) => replay.events.findIndex(pred);
    const open = at((e) => e.t === 'open');
    const first = at((e) => e.t === 'data' && e.d!.includes('first-42'));
    const check = at((e) => e.t === 'check');
    const second = at((e) => e.t === 'data' && e.d!.includes('second-42'));
    assert.ok(open >= 0 && open < first && first < check && check < second, `open ${open} < first ${first} < check ${check} < second ${second}`);
    assert.deepEqual([...replay.events.map((e) => e.at)], [...replay.events.map((e) => e.at)].sort(), 'in time order');
    assert.equal(replay.capChars, 1024 * 1024);
    // Bo's replay is his own: none of Ana's output
    const bo = (await (await fetch(`${cls.url}/api/teacher/replay/${seats.Bo.seatId}`, { headers: { authorization: `Bearer ${cls.teacherToken}` } })).json()) as { events: Array<{ d?: string }> };
    assert.ok(!bo.events.some((e) => e.d?.includes('42')));
  });
});
