// Hosted seats over a hosts file of two real OpenSSH servers on this host (the ssh provider, ADR 0025):
// the class server's warm pool fills, a browser join binds a seat to its own sandbox and lab page, a
// seat's page refuses another seat's token, a reset hands the seat a fresh sandbox at the same page
// address, a host whose sshd dies turns its seat red and the seat is moved to a live host, and a
// restarted class server opens the same pages for the same seats. The health watch is driven by the test
// (check()), so nothing waits on a timer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startClassServer, type ClassServer } from '../../../src/classroom/class-server.js';
import { ClassStore } from '../../../src/classroom/class-store.js';
import { hostedPoolOf } from '../../../src/classroom/hosted/hosted-choice.js';
import type { HostedSeats } from '../../../src/classroom/hosted/hosted-seats.js';
import { classLabs } from '../../../src/classroom/class-service.js';
import { defaultLabsRoot } from '../../../src/labs/lab-loader.js';
import { destroyHostedSandboxes, hostedSeatsFor } from '../../../src/cli/hosted-seats-wiring.js';
import { HostedStore } from '../../../src/classroom/hosted/hosted-store.js';
import { SEAT_WIPE_SCRIPT, VmSeatSandboxes } from '../../../src/classroom/hosted/seat-sandboxes.js';
import { requires } from '../../helpers/requires.js';
import { waitFor } from '../../helpers/wait-for.js';
import { startLocalSshd, type LocalSshd } from '../vm/local-sshd.js';

describe('hosted seats: a warm pool over a hosts file of two sshd hosts', function () {
  this.timeout(120_000);
  let tmp: string;
  let hostA: LocalSshd;
  let hostB: LocalSshd;
  let store: ClassStore;
  let hostedStore: HostedStore;
  let sandboxes: VmSeatSandboxes;
  let hosted: HostedSeats;
  let server: ClassServer;
  let teacherToken: string;
  let code: string;
  const lines: string[] = [];
  let savedHome: string | undefined;
  const seats: Record<string, { id: string; lab: string; vm: string }> = {};

  const boot = async () => {
    // as `class serve` wires them (its vms and the pages' progress under this test's BOXLAB_HOME)
    hosted = (await hostedSeatsFor(store, 'hosted-101', '127.0.0.1', 'en', (l) => lines.push(l)))!;
    server = await startClassServer({ store, className: 'hosted-101', host: '127.0.0.1', port: 0, hosted, hostedCheckMs: 3_600_000, log: (l) => lines.push(l) });
  };
  const join = async (name: string) => {
    const r = await fetch(`${server.url}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name, hosted: true }) });
    const body = (await r.json()) as { seat: { id: string }; lab: string };
    assert.equal(r.status, 201, JSON.stringify(body));
    return body;
  };
  /** opens a lab page as a browser does: the link with the token sets the cookie, then the page itself */
  const openLab = async (link: string, then = '/', method = 'GET') => {
    const first = await fetch(link, { redirect: 'manual' });
    if (first.status !== 302) return { status: first.status, text: await first.text() };
    const page = await fetch(new URL(then, link), { method, headers: { cookie: first.headers.get('set-cookie')!.split(';')[0] } });
    return { status: page.status, text: await page.text() };
  };
  /** every sandbox the test saw bound to a seat: their folders on the hosts */
  const seen = new Set<string>();
  const bound = (seatId: string) => {
    const s = hostedStore.sandboxes('hosted-101').find((x) => x.seatId === seatId)!;
    seen.add(s.vm);
    return s;
  };
  const ready = () => hostedStore.sandboxes('hosted-101').filter((s) => s.phase === 'ready');

  before(async function () {
    requires(this, 'root', 'sshd');
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-hosted-'));
    savedHome = process.env.BOXLAB_HOME;
    process.env.BOXLAB_HOME = path.join(tmp, 'home');
    hostA = await startLocalSshd();
    hostB = await startLocalSshd();
    const hostsFile = path.join(tmp, 'hosts');
    await fs.writeFile(hostsFile, `# the class's two hosts\nroot@127.0.0.1:${hostA.port} identity=${hostA.identity} slots=3\nroot@127.0.0.1:${hostB.port} identity=${hostB.identity} slots=3\n`);
    store = new ClassStore(path.join(tmp, 'classroom.db'));
    const created = store.create('hosted-101', await classLabs(['01-containers-are-processes'], defaultLabsRoot()), 3);
    teacherToken = created.teacherToken;
    code = created.code.code;
    hostedStore = new HostedStore(store.database);
    hostedStore.setPool(await hostedPoolOf('hosted-101', `hosts:${hostsFile}`, 2, 3));
    sandboxes = new VmSeatSandboxes({ provider: 'ssh' });
    await boot();
  });
  after(async () => {
    await server?.close();
    await hosted?.destroyAll().catch(() => undefined);
    store?.close();
    await hostA?.stop();
    await hostB?.stop();
    if (savedHome === undefined) delete process.env.BOXLAB_HOME;
    else process.env.BOXLAB_HOME = savedHome;
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
    // a seat folder left on a host that was down when its sandbox went (Bo's first)
    for (const vm of seen) {
      const dir = `/tmp/boxlab-seats/${vm}`;
      if (existsSync(dir)) execFileSync('sh', ['-c', `${SEAT_WIPE_SCRIPT}`, 'sh', dir]);
    }
  });

  it('class serve fills the pool to its size, one sandbox on each host (the least used first)', async () => {
    await hosted.fill();
    const warm = ready();
    assert.equal(warm.length, 2);
    assert.deepEqual(warm.map((s) => s.host).sort(), [`root@127.0.0.1:${hostA.port}`, `root@127.0.0.1:${hostB.port}`].sort());
    for (const s of warm) assert.equal((await sandboxes.vms.inspect(s.vm))?.state, 'running');
  });

  it('two students joining from the browser get two different sandboxes from the pool, each with its own lab page and token', async () => {
    const warm = ready().map((s) => s.vm);
    for (const name of ['Ana', 'Bo']) {
      const j = await join(name);
      seats[name] = { id: j.seat.id, lab: j.lab, vm: bound(j.seat.id).vm };
    }
    assert.notEqual(seats.Ana.vm, seats.Bo.vm);
    assert.deepEqual([seats.Ana.vm, seats.Bo.vm].sort(), warm.sort(), 'both came warm from the pool');
    assert.notEqual(new URL(seats.Ana.lab).port, new URL(seats.Bo.lab).port);
    for (const s of Object.values(seats)) {
      const page = await openLab(s.lab);
      assert.equal(page.status, 200);
      assert.match(page.text, /<html/i);
    }
    // the pool is topped up behind the joins (3 seats, 2 taken: one more warm)
    await hosted.fill();
    assert.equal(ready().length, 1);
  });

  it("a seat's lab page refuses another seat's token: a student never gets another's sandbox", async () => {
    const anaToken = new URL(seats.Ana.lab).searchParams.get('token')!;
    const boPage = new URL(seats.Bo.lab);
    boPage.searchParams.set('token', anaToken);
    assert.equal((await fetch(boPage)).status, 403);
    const bare = new URL(seats.Bo.lab);
    bare.search = '';
    assert.equal((await fetch(bare)).status, 401);
  });

  it("the teacher resets Ana's seat: a fresh sandbox at the same page address, the old one destroyed and what she left on the host removed", async () => {
    // Ana opens the class's lab on her page: its folder is her seat's own on the host (both hosts are this machine)
    const opened = await openLab(seats.Ana.lab, '/api/labs/01-containers-are-processes', 'POST');
    assert.equal(opened.status, 200, opened.text);
    const anaDir = (JSON.parse(opened.text) as { workDir: string }).workDir;
    assert.equal(anaDir, `/tmp/boxlab-seats/${seats.Ana.vm}/01-containers-are-processes`);
    const boOpened = await openLab(seats.Bo.lab, '/api/labs/01-containers-are-processes', 'POST');
    const boDir = (JSON.parse(boOpened.text) as { workDir: string }).workDir;
    assert.equal(boDir, `/tmp/boxlab-seats/${seats.Bo.vm}/01-containers-are-processes`, "Bo's labs are in a folder of his own");
    // what a student leaves: a file, and a mount (lab 03 leaves an overlay mounted at $LAB_DIR/merged)
    await fs.writeFile(path.join(anaDir, 'left-by-ana.txt'), 'mine\n');
    await fs.mkdir(path.join(anaDir, 'merged'));
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', path.join(anaDir, 'merged')]);
    await fs.writeFile(path.join(anaDir, 'merged', 'in-the-mount.txt'), 'mine\n');
    const r = await fetch(`${server.url}/api/seats/${seats.Ana.id}/reset`, { method: 'POST', headers: { authorization: `Bearer ${teacherToken}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 201);
    const body = (await r.json()) as { hosted: { vm: string; inPlace: boolean } };
    assert.equal(body.hosted.inPlace, false, 'the ssh provider has no snapshots: the seat gets a fresh sandbox');
    assert.notEqual(body.hosted.vm, seats.Ana.vm);
    assert.equal(bound(seats.Ana.id).vm, body.hosted.vm);
    assert.equal(await sandboxes.vms.inspect(seats.Ana.vm), undefined, 'the old sandbox is gone');
    assert.equal(existsSync(`/tmp/boxlab-seats/${seats.Ana.vm}`), false, "Ana's folder on the host is removed");
    assert.doesNotMatch(readFileSync('/proc/self/mounts', 'utf8'), new RegExp(`/tmp/boxlab-seats/${seats.Ana.vm}/`), 'and unmounted first');
    assert.ok(existsSync(boDir), "Bo's folder is his and stays");
    assert.equal((await openLab(seats.Ana.lab)).status, 200, 'the same link opens the page of the new sandbox');
    seats.Ana.vm = body.hosted.vm;
  });

  it("a host whose sshd dies: its seat turns red on the teacher's grid and moves to a live host", async () => {
    const bo = bound(seats.Bo.id);
    const killed = bo.host === `root@127.0.0.1:${hostA.port}` ? hostA : hostB;
    const other = killed === hostA ? hostB : hostA;
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/teacher/events`, { headers: { authorization: `Bearer ${teacherToken}` } });
    const statuses: { students: { seatId: string; dead?: { why: string } }[] }[] = [];
    ws.on('message', (d) => statuses.push((JSON.parse(String(d)) as { status: (typeof statuses)[number] }).status));
    await new Promise((r) => ws.once('open', r));
    await killed.stop();
    // the server's watch, one round now: red at once, the seat kept (one missed answer is not death)
    await hosted.check();
    await waitFor("Bo's seat shown red (sandbox down) on the grid", () => statuses.find((s) => s.students.find((row) => row.seatId === seats.Bo.id)?.dead?.why === 'sandbox-down'));
    assert.equal(bound(seats.Bo.id).vm, bo.vm);
    // two more rounds: three in a row, the seat moves
    await hosted.check();
    await hosted.check();
    ws.close();
    const now = bound(seats.Bo.id);
    assert.notEqual(now.vm, bo.vm);
    assert.equal(now.host, `root@127.0.0.1:${other.port}`, 'the new sandbox is on the live host');
    assert.equal((await openLab(seats.Bo.lab)).status, 200, "Bo's link opens his page again");
    assert.equal(hostedStore.sandboxes('hosted-101').some((s) => s.vm === bo.vm), false);
    assert.equal(store.heartbeats('hosted-101').find((h) => h.seatId === seats.Bo.id)?.sandbox, 'up');
  });

  it("a check on Ana's lab page runs in her sandbox and reaches the teacher's status as her attempt", async () => {
    const r = await openLab(seats.Ana.lab, '/api/labs/01-containers-are-processes/steps/0/check', 'POST');
    assert.equal(r.status, 200, r.text);
    assert.equal((JSON.parse(r.text) as { passed: boolean }).passed, false, 'nothing was done yet: uts.pid is missing');
    const results = store.results('hosted-101');
    assert.deepEqual(results.map((x) => [x.seatId, x.stepId, x.passed, x.attempt]), [[seats.Ana.id, 'uts', false, 1]]);
  });

  it('a restarted class server keeps the seat bindings and opens the same pages with the same tokens', async () => {
    const before = hostedStore.seats('hosted-101');
    await server.close();
    assert.equal(await openLab(seats.Ana.lab).catch(() => 'refused'), 'refused', 'the pages closed with the server');
    await boot();
    assert.deepEqual(hostedStore.seats('hosted-101'), before);
    for (const s of [seats.Ana, seats.Bo]) assert.equal((await openLab(s.lab)).status, 200);
  });

  it('closing the class destroys every sandbox it made, the seats\' and the warm ones', async () => {
    // both students' labs open in their current sandboxes: their folders on the hosts
    const current = [seats.Ana.id, seats.Bo.id].map((id) => bound(id).vm);
    for (const s of [seats.Ana, seats.Bo]) assert.equal((await openLab(s.lab, '/api/labs/01-containers-are-processes', 'POST')).status, 200);
    for (const vm of current) assert.ok(existsSync(`/tmp/boxlab-seats/${vm}/01-containers-are-processes`));
    await server.close();
    const before = hostedStore.sandboxes('hosted-101').length;
    assert.ok(before >= 2);
    assert.equal(await destroyHostedSandboxes(store, 'hosted-101', (l) => lines.push(l)), before);
    assert.deepEqual(hostedStore.sandboxes('hosted-101'), []);
    assert.deepEqual((await sandboxes.vms.list()).map((v) => v.name), []);
    // every folder is gone but the one on the host that was down when Bo's sandbox went (nothing answered there)
    assert.deepEqual(readdirSync('/tmp/boxlab-seats').filter((d) => seen.has(d)), [seats.Bo.vm]);
  });
});
