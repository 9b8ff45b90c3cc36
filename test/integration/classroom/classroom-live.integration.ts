// A live class, as the teacher and two students meet it: the class server runs with `--dead-after 3s`;
// Ana and Bo join (each `class join` starts their `boxlab class agent` in the background) and start lab
// 03-overlayfs in their own sandbox (this host, provider local). Then: both seats are heard; Ana's agent
// stops and her seat turns dead since her last heartbeat (Bo's does not), and comes back when an agent
// runs again; the teacher's broadcast reaches both, shown once by their next `lab` command, in their
// language; the teacher resets Bo's lab and his boxlab does it at its next heartbeat, tells him, and the
// teacher sees it done. Every new endpoint refuses a missing or wrong token.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';
import { boxlab, sh } from './class-cli.js';
import { serveClass, type ServedClass } from '../../helpers/class-server.js';
import { requires } from '../../helpers/requires.js';
import { waitFor } from '../../helpers/wait-for.js';

interface Row {
  name: string;
  state: string;
  step: number;
  heartbeatAt?: string;
  dead?: { since: string; why: string };
  reset?: { state: string; step: number; message?: string };
}

describe('classroom live: heartbeats, a dead seat, broadcasts and resets (class server, agents, real labs)', function () {
  this.timeout(300_000);
  let dir: string;
  let teacher: NodeJS.ProcessEnv;
  let server: ServedClass | undefined;
  let url = '';
  let teacherToken = '';
  const students: Record<string, { env: NodeJS.ProcessEnv; token: string; seatId: string }> = {};
  const agents: ChildProcess[] = [];

  const api = (pathname: string, token?: string, init: RequestInit = {}) =>
    fetch(`${url}${pathname}`, { ...init, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const rows = async (): Promise<Row[]> => {
    const s = await boxlab(teacher, 'class', 'status', 'c-live', '--json');
    assert.equal(s.code, 0, s.stderr);
    return (JSON.parse(s.stdout) as { students: Row[] }).students;
  };
  const row = async (name: string) => (await rows()).find((r) => r.name === name)!;
  const agentPid = async (name: string) => Number((await fs.readFile(path.join(students[name].env.BOXLAB_HOME!, 'class-agent.pid'), 'utf8').catch(() => '')).trim());

  before(async function () {
    requires(this, 'root', 'overlayfs');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-classroom-live-'));
    const base: NodeJS.ProcessEnv = { ...process.env, BOXLAB_LANG: 'en', BOXLAB_PROVIDER: 'local' };
    delete base.BOXLAB_LABS;
    delete base.BOXLAB_VM;
    teacher = { ...base, BOXLAB_HOME: path.join(dir, 'teacher') };
    for (const name of ['Ana', 'Bo']) {
      const key = name.toLowerCase();
      students[name] = { env: { ...base, BOXLAB_HOME: path.join(dir, key, 'home'), BOXLAB_LAB_DIR: path.join(dir, key, 'work') }, token: '', seatId: '' };
    }
    assert.equal((await boxlab(teacher, 'class', 'create', 'c-live', '--lab', '03-overlayfs', '--seats', '3')).code, 0);
    server = await serveClass('c-live', teacher, '--listen', '127.0.0.1:0', '--dead-after', '3s');
    ({ url, teacherToken } = server);
    assert.match(server.out(), /shows dead on the grid when their boxlab is silent for 3s/);
    const code = server.code;
    for (const [name, s] of Object.entries(students)) {
      const j = await boxlab(s.env, 'class', 'join', url, '--code', code, '--name', name);
      assert.equal(j.code, 0, j.stderr);
      assert.match(j.stdout, /boxlab class agent runs in the background \(pid \d+\)/);
      const m = JSON.parse(await fs.readFile(path.join(s.env.BOXLAB_HOME!, 'class.json'), 'utf8')) as { token: string; seatId: string };
      s.token = m.token;
      s.seatId = m.seatId;
      assert.equal((await boxlab(s.env, 'lab', 'start', '03-overlayfs')).code, 0);
    }
  });

  after(async () => {
    for (const s of Object.values(students)) if (s.env.BOXLAB_HOME) await boxlab(s.env, 'class', 'leave');
    for (const a of agents) if (a.exitCode === null) a.kill('SIGTERM');
    await server?.stop();
    if (!dir) return;
    for (const s of Object.values(students)) await sh('while mountpoint -q "$BOXLAB_LAB_DIR/merged" 2>/dev/null; do umount "$BOXLAB_LAB_DIR/merged"; done', s.env);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("both seats are heard; when Ana's boxlab stops, her seat is dead since her last heartbeat, and back when it runs again", async () => {
    await waitFor('both agents heard', async () => (await rows()).every((r) => r.heartbeatAt !== undefined));
    const pid = await waitFor("Ana's agent pid", () => agentPid('Ana'));
    process.kill(pid, 'SIGKILL');
    const dead = await waitFor('Ana dead', async () => {
      const r = await row('Ana');
      return r.state === 'dead' ? r : undefined;
    }, { timeoutMs: 30_000 });
    assert.deepEqual(dead.dead, { since: dead.heartbeatAt, why: 'silent' });
    assert.ok(Date.now() - Date.parse(dead.dead!.since) >= 3000, 'dead only after the 3 s the teacher set');
    const all = await rows();
    assert.deepEqual(all.map((r) => [r.name, r.state === 'dead']), [['Ana', true], ['Bo', false]], 'the dead seat comes first, Bo is alive');
    const text = await boxlab(teacher, 'class', 'status', 'c-live');
    assert.match(text.stdout.split('\n').find((l) => l.includes('Ana'))!, /^dead \(silent since \d\d:\d\d:\d\d UTC\)\s+Ana\s+03-overlayfs\s+1\/4/);
    assert.match(text.stdout, /silent for 3s shows dead/);
    // her boxlab runs again (by hand here): she is back
    const agent = spawn(process.execPath, [BOXLAB_BIN, 'class', 'agent'], { env: students.Ana.env, stdio: 'ignore' });
    agents.push(agent);
    await waitFor('Ana back', async () => (await row('Ana')).state !== 'dead', { timeoutMs: 30_000 });
    await waitFor('the server to say Ana is back', () => /Ana is back \(sandbox up\)/.test(server!.out()));
  });

  it('the new endpoints refuse a missing or wrong token', async () => {
    const { Ana: ana, Bo: bo } = students;
    const post = (p: string, token: string | undefined, body: unknown) => api(p, token, { method: 'POST', body: JSON.stringify(body) });
    assert.equal((await post('/api/seats/me/heartbeat', undefined, { sandbox: 'up' })).status, 401);
    assert.equal((await post('/api/seats/me/heartbeat', 'not-a-token', { sandbox: 'up' })).status, 403);
    assert.equal((await post('/api/seats/me/heartbeat', teacherToken, { sandbox: 'up' })).status, 403);
    assert.equal((await post('/api/broadcasts', undefined, { text: 'x' })).status, 401);
    assert.equal((await post('/api/broadcasts', ana.token, { text: 'x' })).status, 403, 'a student cannot broadcast');
    assert.equal((await post(`/api/seats/${bo.seatId}/reset`, undefined, {})).status, 401);
    assert.equal((await post(`/api/seats/${bo.seatId}/reset`, ana.token, {})).status, 403, "a student cannot reset another's lab");
    assert.equal((await post(`/api/seats/${ana.seatId}/reset`, ana.token, {})).status, 403, 'nor their own from the API');
    assert.equal((await post('/api/seats/me/commands/abcdef', undefined, { ok: true, message: 'x' })).status, 401);
    assert.equal((await api('/api/broadcasts')).status, 401);
    assert.equal((await (await post('/api/seats/me/heartbeat', bo.token, { sandbox: 'sideways' })).json() as { message: string }).message, 'heartbeat: "sandbox" must be one of up, down, found "sideways"');
    assert.equal((await api('/api/status', teacherToken)).status, 200);
  });

  it("the teacher's message reaches every student, shown once by their next lab command, in their language", async () => {
    const sent = await boxlab(teacher, 'class', 'broadcast', 'c-live', 'ten minutes left: finish step 1');
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /sent to class c-live at \S+Z: .*\(2 of 2 seats have an agent running\)/);
    for (const s of Object.values(students)) {
      await waitFor('the message in the inbox', async () => (await fs.readFile(path.join(s.env.BOXLAB_HOME!, 'class-inbox.jsonl'), 'utf8').catch(() => '')).includes('ten minutes left'), { timeoutMs: 30_000 });
    }
    const bo = await boxlab(students.Bo.env, 'lab', 'status');
    assert.match(bo.stderr, /^message from your teacher \(\d\d:\d\d UTC\): ten minutes left: finish step 1$/m);
    assert.equal((await boxlab(students.Bo.env, 'lab', 'status')).stderr.includes('ten minutes left'), false, 'shown once');
    const ana = await boxlab({ ...students.Ana.env, BOXLAB_LANG: 'zh' }, 'lab', 'status');
    assert.match(ana.stderr, /^老师的消息（\d\d:\d\d UTC）：ten minutes left: finish step 1$/m);
    // kept with its time: the teacher's page and a seat read them back
    const list = (await (await api('/api/broadcasts', students.Ana.token)).json()) as { broadcasts: { text: string; at: string }[] };
    assert.deepEqual(list.broadcasts.map((b) => b.text), ['ten minutes left: finish step 1']);
    assert.ok(!Number.isNaN(Date.parse(list.broadcasts[0].at)));
    const tooLong = await boxlab(teacher, 'class', 'broadcast', 'c-live', 'x'.repeat(501));
    assert.match(tooLong.stderr, /a message to the class is 1 to 500 characters, not 501/);
  });

  it("the teacher resets Bo's lab: his boxlab does it at its next heartbeat, tells him, and the teacher sees it done", async () => {
    const bo = students.Bo;
    const mounted = await sh('cd "$BOXLAB_LAB_DIR" && mkdir -p upper work merged && mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged', bo.env);
    assert.equal(mounted.code, 0, mounted.stderr);
    assert.equal((await boxlab(bo.env, 'lab', 'check')).code, 0);
    assert.match((await boxlab(bo.env, 'lab', 'status')).stdout, /step 2\/4|2\/4/);
    const asked = await boxlab(teacher, 'class', 'reset', 'c-live', 'Bo');
    assert.equal(asked.code, 0, asked.stderr);
    assert.match(asked.stdout, /reset of Bo's lab 03-overlayfs to step 1 asked/);
    const done = await waitFor('the reset done', async () => {
      const r = await row('Bo');
      return r.reset?.state === 'done' ? r : undefined;
    }, { timeoutMs: 60_000 });
    assert.equal(done.reset!.message, 'your teacher reset lab 03-overlayfs to step 1: now at step 1/4');
    // his sandbox is back at the start: the overlay is gone, the lab folder set up again
    assert.equal((await sh('mountpoint -q "$BOXLAB_LAB_DIR/merged"', bo.env)).code, 1, 'the teardown unmounted his overlay');
    assert.equal((await sh('test -f "$BOXLAB_LAB_DIR/lower/a.txt"', bo.env)).code, 0, 'the setup ran again');
    const status = await boxlab(bo.env, 'lab', 'status');
    assert.match(status.stderr, /^your teacher reset lab 03-overlayfs to step 1: now at step 1\/4$/m);
    assert.doesNotMatch(status.stdout, /2\/4/);
    // the grades stay: his passed step is still passed in the export
    const rowsOut = JSON.parse((await boxlab(teacher, 'class', 'export', 'c-live', '--format', 'json')).stdout) as { student: string; step_id: string; passed: boolean }[];
    assert.equal(rowsOut.find((r) => r.student === 'Bo' && r.step_id === 'mount')?.passed, true);
    const bad = await boxlab(teacher, 'class', 'reset', 'c-live', 'Nobody');
    assert.match(bad.stderr, /no student "Nobody" in class "c-live"/);
    const past = await boxlab(teacher, 'class', 'reset', 'c-live', 'Bo', '--step', '9');
    assert.match(past.stderr, /lab "03-overlayfs" has 4 steps: there is no step 9 to reset Bo to/);
  });

  it('an agent stops by itself when the class closes', async () => {
    const pid = await agentPid('Bo');
    assert.ok(pid > 0);
    assert.equal((await boxlab(teacher, 'class', 'close', 'c-live')).code, 0);
    await waitFor("Bo's agent to stop", () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, { timeoutMs: 30_000 });
    assert.match(await fs.readFile(path.join(bo().BOXLAB_HOME!, 'class-agent.log'), 'utf8'), /stopped: class "c-live" is closed/);
  });
  const bo = () => students.Bo.env;
});
