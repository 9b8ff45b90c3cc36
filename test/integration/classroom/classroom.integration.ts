// A class with three students in own-sandbox mode, as a teacher and students meet it: the teacher
// creates and serves a class of lab 03-overlayfs (no engine needed); three students, each with their own
// boxlab home and lab folder on this host (provider local), join and do the real `lab start`, `lab check`
// and `lab hint`, mounting their overlays for real. Then: the teacher's status and CSV export hold
// exactly what happened (stuck first, attempts, hints, partial credit, each time inside the window the
// check ran in); a seat token reads its own seat and nothing else, the teacher's pages need the teacher
// token; expired, revoked and unknown codes join no one; the class server restarts on the same address
// and keeps everything, and a check done while it was down arrives with its own time; a closed class
// takes no report.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { serveClass, type ServedClass } from '../../helpers/class-server.js';
import { boxlab, sh, type Ran } from './class-cli.js';
import { requires } from '../../helpers/requires.js';
import { waitFor } from '../../helpers/wait-for.js';

interface Window {
  from: string;
  to: string;
}
const inside = (t: string | null, w: Window) => t !== null && t >= w.from && t <= w.to;

describe('classroom: three students in own-sandbox mode (class server, join, real lab checks)', function () {
  this.timeout(600_000);
  let dir: string;
  let teacher: NodeJS.ProcessEnv;
  let server: ServedClass | undefined;
  let url = '';
  let code = '';
  let teacherToken = '';
  const students: Record<string, { env: NodeJS.ProcessEnv; token: string; seatId: string }> = {};

  const serve = async (...listen: string[]) => {
    server = await serveClass('c-it', teacher, ...listen);
    ({ url, code, teacherToken } = server);
  };
  const stopServer = async () => {
    const s = server!;
    server = undefined;
    await s.stop();
  };
  const api = (pathname: string, token?: string, init: RequestInit = {}) =>
    fetch(`${url}${pathname}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const check = async (name: string): Promise<{ ran: Ran; window: Window }> => {
    const from = new Date().toISOString();
    const ran = await boxlab(students[name].env, 'lab', 'check');
    return { ran, window: { from, to: new Date().toISOString() } };
  };
  const mount = (name: string) => sh('cd "$BOXLAB_LAB_DIR" && mkdir -p upper work merged && mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged', students[name].env);

  before(async function () {
    requires(this, 'root', 'overlayfs');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-classroom-'));
    const base: NodeJS.ProcessEnv = { ...process.env, BOXLAB_LANG: 'en', BOXLAB_PROVIDER: 'local' };
    delete base.BOXLAB_LABS;
    delete base.BOXLAB_VM;
    teacher = { ...base, BOXLAB_HOME: path.join(dir, 'teacher') };
    for (const name of ['Ana', 'Bo', 'Chen 陈']) {
      const key = name.split(' ')[0].toLowerCase();
      students[name] = { env: { ...base, BOXLAB_HOME: path.join(dir, key, 'home'), BOXLAB_LAB_DIR: path.join(dir, key, 'work') }, token: '', seatId: '' };
    }
    const created = await boxlab(teacher, 'class', 'create', 'c-it', '--lab', '03-overlayfs', '--seats', '4');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /class c-it: 4 seats, labs 03-overlayfs \(4 steps\)/);
    await serve('--listen', '127.0.0.1:0');
  });

  after(async () => {
    if (server) await stopServer();
    if (!dir) return;
    for (const s of Object.values(students)) {
      await sh('while mountpoint -q "$BOXLAB_LAB_DIR/merged" 2>/dev/null; do umount "$BOXLAB_LAB_DIR/merged"; done', s.env);
    }
    await fs.rm(dir, { recursive: true, force: true });
  });

  const timeline: Record<string, Window> = {};

  it('three students join with the code and start the lab in their own sandbox', async () => {
    assert.match(server!.out(), /students run: boxlab class join http:\/\/127\.0\.0\.1:\d+ --code [A-Z0-9]{5}/);
    for (const [name, s] of Object.entries(students)) {
      const j = await boxlab(s.env, 'class', 'join', url, '--code', code.toLowerCase(), '--name', name, '--no-agent');
      assert.equal(j.code, 0, j.stderr);
      assert.match(j.stdout, new RegExp(`you joined class c-it as "${name}"`));
      assert.match(j.stdout, /and nothing else/);
      const m = JSON.parse(await fs.readFile(path.join(s.env.BOXLAB_HOME!, 'class.json'), 'utf8')) as { token: string; seatId: string };
      assert.equal((await fs.stat(path.join(s.env.BOXLAB_HOME!, 'class.json'))).mode & 0o777, 0o600);
      s.token = m.token;
      s.seatId = m.seatId;
      const started = await boxlab(s.env, 'lab', 'start', '03-overlayfs');
      assert.equal(started.code, 0, started.stderr);
    }
    await waitFor('the server to log the three joins', () => (server!.out().match(/ joined \(seat /g) ?? []).length === 3);
  });

  it('their checks and hints reach the teacher, pushed on the teacher WebSocket as they happen', async () => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/teacher/events`, { headers: { authorization: `Bearer ${teacherToken}` } });
    const pushed: { status: { students: { name: string; state: string }[] } }[] = [];
    ws.on('message', (d) => pushed.push(JSON.parse(d.toString()) as (typeof pushed)[number]));
    await new Promise((r) => ws.once('open', r));

    // Ana fails, takes two hints, mounts, passes
    timeline.anaFail = (await check('Ana')).window;
    assert.match((await boxlab(students.Ana.env, 'lab', 'hint')).stdout, /hint 1 of 2/);
    assert.match((await boxlab(students.Ana.env, 'lab', 'hint')).stdout, /hint 2 of 2/);
    assert.equal((await mount('Ana')).code, 0);
    const anaPass = await check('Ana');
    assert.equal(anaPass.ran.code, 0, anaPass.ran.stdout + anaPass.ran.stderr);
    assert.equal(anaPass.ran.stderr.includes('not delivered'), false, anaPass.ran.stderr);
    timeline.anaPass = anaPass.window;
    // Bo fails three times
    for (let i = 0; i < 3; i++) {
      const c = await check('Bo');
      assert.equal(c.ran.code, 1);
      timeline[`bo${i}`] = c.window;
    }
    // Chen passes at once, then gets one of the next step's three checks right
    assert.equal((await mount('Chen 陈')).code, 0);
    timeline.chenPass = (await check('Chen 陈')).window;
    await sh('echo hello > "$BOXLAB_LAB_DIR/merged/a.txt"', students['Chen 陈'].env);
    const partial = await check('Chen 陈');
    assert.equal(partial.ran.code, 1);
    timeline.chenPartial = partial.window;

    await waitFor('a pushed status with Bo stuck', () => pushed.some((p) => p.status.students.some((s) => s.name === 'Bo' && s.state === 'stuck')));
    ws.close();
  });

  it("a seat token reads its own seat only; the teacher's status, export and events need the teacher token", async () => {
    const ana = students.Ana;
    const me = (await (await api('/api/seats/me', ana.token)).json()) as { seat: { name: string }; steps: { student: string }[] };
    assert.equal(me.seat.name, 'Ana');
    assert.deepEqual([...new Set(me.steps.map((s) => s.student))], ['Ana']);
    assert.equal((await api(`/api/seats/${students.Bo.seatId}`, ana.token)).status, 403);
    assert.equal((await api(`/api/seats/${ana.seatId}`, ana.token)).status, 200);
    assert.equal((await api('/api/status', ana.token)).status, 403);
    assert.equal((await api('/api/export?format=csv', ana.token)).status, 403);
    assert.equal((await api(`/api/status?token=${encodeURIComponent(ana.token)}`)).status, 401);
    assert.equal((await api('/api/status')).status, 401);
    assert.equal((await api('/api/status', 'not-a-token')).status, 403);
    assert.equal((await api(`/api/seats/${students.Bo.seatId}`, teacherToken)).status, 200);
    assert.equal((await api('/api/status', teacherToken, { headers: { origin: 'http://evil.example' } })).status, 403);
    const asTeacher = await api('/api/reports', teacherToken, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(asTeacher.status, 403);
    // a student cannot report for a lab outside the class, nor watch the class
    const other = await api('/api/reports', ana.token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'check', id: 'x1', labId: '01-containers-are-processes', stepIndex: 0, stepId: 'a', stepCount: 4, passed: true, checksPassed: 1, checksTotal: 1, at: new Date().toISOString() }),
    });
    assert.equal(other.status, 422);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/api/teacher/events`, { headers: { authorization: `Bearer ${ana.token}` } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    assert.equal(refused, 403);
  });

  it('expired, revoked and unknown codes join no one, and a name is taken once', async () => {
    const dee = { ...students.Ana.env, BOXLAB_HOME: path.join(dir, 'dee', 'home') };
    const expired = await boxlab(teacher, 'class', 'code', 'c-it', '--ttl', '1ms', '--json');
    const expiredCode = (JSON.parse(expired.stdout) as { code: string }).code;
    const j1 = await boxlab(dee, 'class', 'join', url, '--code', expiredCode, '--name', 'Dee');
    assert.notEqual(j1.code, 0);
    assert.match(j1.stderr, /this join code has expired/);
    const fresh = JSON.parse((await boxlab(teacher, 'class', 'code', 'c-it', '--json')).stdout) as { code: string };
    const revoked = await boxlab(teacher, 'class', 'code', 'c-it', '--revoke', fresh.code);
    assert.match(revoked.stdout, new RegExp(`${fresh.code} \\(revoked`));
    const j2 = await boxlab(dee, 'class', 'join', url, '--code', fresh.code, '--name', 'Dee');
    assert.match(j2.stderr, /revoked by the teacher/);
    const j3 = await boxlab({ ...dee, BOXLAB_LANG: 'zh' }, 'class', 'join', url, '--code', 'ZZZZZ', '--name', 'Dee');
    assert.match(j3.stderr, /课堂服务器不认识这个加入码/);
    const j4 = await boxlab(dee, 'class', 'join', url, '--code', code, '--name', 'Ana');
    assert.match(j4.stderr, /a student named "Ana" already has a seat in class "c-it"/);
    await assert.rejects(fs.access(path.join(dee.BOXLAB_HOME, 'class.json')), 'no refused join leaves a seat token behind');
    const status = JSON.parse((await boxlab(teacher, 'class', 'status', 'c-it', '--json')).stdout) as { seatsTaken: number };
    assert.equal(status.seatsTaken, 3);
  });

  it('a restarted class server keeps the class on the same address; a check done while it was down arrives with its time', async () => {
    const before = (await (await api('/api/status', teacherToken)).json()) as { students: unknown[] };
    const oldUrl = url;
    await stopServer();
    // Ana checks step 2 with the server down: the report waits on her laptop
    const down = await check('Ana');
    assert.equal(down.ran.code, 1);
    assert.match(down.ran.stderr, /1 report\(s\) not delivered to class c-it yet/);
    timeline.anaDown = down.window;
    await serve();
    assert.equal(url, oldUrl, 'serve listens where it listened last');
    assert.equal((await api('/api/seats/me', students.Bo.token)).status, 200, "Bo's seat token still opens his seat");
    // her next command sends the kept check first, then the hint
    const hint = await boxlab(students.Ana.env, 'lab', 'hint');
    assert.match(hint.stdout, /hint 1 of 2/);
    assert.equal(hint.stderr.includes('not delivered'), false, hint.stderr);
    const after = (await (await api('/api/status', teacherToken)).json()) as { students: { name: string }[] };
    assert.equal(after.students.length, before.students.length);
  });

  it('status holds exactly what happened, the stuck student first', async () => {
    const s = await boxlab(teacher, 'class', 'status', 'c-it', '--json');
    const status = JSON.parse(s.stdout) as { seatsTaken: number; students: Record<string, unknown>[] };
    const rows = status.students.map((r) => ({
      name: r.name, state: r.state, lab: r.labId, step: r.step, of: r.stepCount, passed: r.stepsPassed, failed: r.failedAttempts, hints: r.hintsUsed, last: r.lastCheck && { ...(r.lastCheck as object), at: undefined },
    }));
    assert.deepEqual(rows, [
      { name: 'Bo', state: 'stuck', lab: '03-overlayfs', step: 1, of: 4, passed: 0, failed: 3, hints: 0, last: { stepId: 'mount', passed: false, checksPassed: 0, checksTotal: 2, at: undefined } },
      { name: 'Chen 陈', state: 'working', lab: '03-overlayfs', step: 2, of: 4, passed: 1, failed: 1, hints: 0, last: { stepId: 'copy-up', passed: false, checksPassed: 1, checksTotal: 3, at: undefined } },
      { name: 'Ana', state: 'working', lab: '03-overlayfs', step: 2, of: 4, passed: 1, failed: 1, hints: 3, last: { stepId: 'copy-up', passed: false, checksPassed: 0, checksTotal: 3, at: undefined } },
    ]);
    const text = await boxlab(teacher, 'class', 'status', 'c-it');
    assert.match(text.stdout.split('\n').find((l) => l.includes('Bo'))!, /^stuck\s+Bo\s+03-overlayfs\s+1\/4\s+mount failed 0\/2\s+3\s+0\s+\d+s$/);
  });

  it('the CSV export has a row per student and step with attempts, hints, partial credit and the times the checks ran', async () => {
    const out = path.join(dir, 'grades.csv');
    assert.equal((await boxlab(teacher, 'class', 'export', 'c-it', '--format', 'csv', '--output', out)).code, 0);
    const lines = (await fs.readFile(out, 'utf8')).trimEnd().split('\r\n');
    assert.equal(lines[0], 'class,student,seat,lab,step_number,step_id,passed,passed_at,attempts,hints_used,score,first_attempt_at,last_attempt_at');
    const rows = lines.slice(1).map((l) => l.split(','));
    const seat = (n: string) => students[n].seatId;
    // the columns but the times, as they must be
    assert.deepEqual(
      rows.map((r) => [r[1], r[2], r[4], r[5], r[6], r[8], r[9], r[10]].join(' ')),
      [
        `Ana ${seat('Ana')} 1 mount 1 2 2 1`,
        `Ana ${seat('Ana')} 2 copy-up 0 1 1 0`,
        `Ana ${seat('Ana')} 3 whiteout 0 0 0 0`,
        `Ana ${seat('Ana')} 4 two-layers 0 0 0 0`,
        `Bo ${seat('Bo')} 1 mount 0 3 0 0`,
        `Bo ${seat('Bo')} 2 copy-up 0 0 0 0`,
        `Bo ${seat('Bo')} 3 whiteout 0 0 0 0`,
        `Bo ${seat('Bo')} 4 two-layers 0 0 0 0`,
        `Chen 陈 ${seat('Chen 陈')} 1 mount 1 1 0 1`,
        `Chen 陈 ${seat('Chen 陈')} 2 copy-up 0 1 0 0.33`,
        `Chen 陈 ${seat('Chen 陈')} 3 whiteout 0 0 0 0`,
        `Chen 陈 ${seat('Chen 陈')} 4 two-layers 0 0 0 0`,
      ],
    );
    // and the times: each inside the window its `lab check` ran in (the late one too)
    const [anaMount, anaCopy, , , boMount, , , , chenMount, chenCopy] = rows;
    assert.ok(inside(anaMount[7], timeline.anaPass) && inside(anaMount[11], timeline.anaFail) && inside(anaMount[12], timeline.anaPass), anaMount.join(','));
    assert.ok(inside(anaCopy[11], timeline.anaDown) && anaCopy[7] === '', anaCopy.join(','));
    assert.ok(inside(boMount[11], timeline.bo0) && inside(boMount[12], timeline.bo2), boMount.join(','));
    assert.ok(inside(chenMount[7], timeline.chenPass) && inside(chenCopy[11], timeline.chenPartial), chenCopy.join(','));
    const json = JSON.parse((await boxlab(teacher, 'class', 'export', 'c-it', '--format', 'json')).stdout) as { student: string; score: number }[];
    assert.equal(json.length, 12);
    assert.equal(json[9].score, 0.33);
    // the gradebook sheet: one row per student, the lab's grade in percent
    const sheet = await boxlab(teacher, 'class', 'export', 'c-it', '--per', 'student');
    assert.deepEqual(sheet.stdout.trimEnd().split('\r\n'), [
      'class,student,seat,03-overlayfs,steps_passed,steps_total,hints_used,total',
      `c-it,Ana,${seat('Ana')},25,1,4,3,25`,
      `c-it,Bo,${seat('Bo')},0,0,4,0,0`,
      `c-it,Chen 陈,${seat('Chen 陈')},33.3,1,4,0,33.3`,
    ]);
  });

  it('a closed class takes no report and no one joins it; its grades stay', async () => {
    assert.match((await boxlab(teacher, 'class', 'close', 'c-it')).stdout, /class c-it is closed/);
    const hint = await boxlab(students.Bo.env, 'lab', 'hint');
    assert.match(hint.stderr, /class c-it did not take this report: class "c-it" is closed/);
    const join = await boxlab({ ...students.Ana.env, BOXLAB_HOME: path.join(dir, 'eve', 'home') }, 'class', 'join', url, '--code', code, '--name', 'Eve');
    assert.match(join.stderr, /this class is closed/);
    const rows = JSON.parse((await boxlab(teacher, 'class', 'export', 'c-it', '--format', 'json')).stdout) as { student: string; step_id: string; hints_used: number }[];
    assert.equal(rows.find((r) => r.student === 'Bo' && r.step_id === 'mount')?.hints_used, 0, 'the refused hint was not recorded');
  });
});
