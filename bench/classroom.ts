// Classroom benchmarks (issue 18 "Measured"): a real `boxlab class serve` child with 100 simulated
// students on loopback, each reporting a check every few seconds (a student pressing Check while they
// work) and its agent's heartbeat: the class server's memory per student (its RSS, from /proc) and the
// grid's update latency (a report sent -> the teacher's WebSocket status that shows it), p50/p99 against
// the goal of 200 ms p99. Then hosted seats (ADR 0025) over the ssh provider against a local sshd: the
// time until 1, 2 and 3 students joining at once all have a lab page that answers, warm (from the pool)
// and cold (the pool empty). QEMU seats are not provisioned here: a TCG boot is bench/vm.ts's figure.
// Terminal output at a typing rate belongs to the terminal watch (ADR 0024), measured with it.
// bench/run.ts calls benchClassroom() and prints formatClassroomBench(). Set BENCH_CLASS=0 to skip.
import { spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { ClassStore } from '../src/classroom/class-store.js';
import { hostedPoolOf } from '../src/classroom/hosted/hosted-choice.js';
import { HostedStore } from '../src/classroom/hosted/hosted-store.js';
import { hostedSeatsFor } from '../src/cli/hosted-seats-wiring.js';
import { BOXLAB_BIN } from '../test/helpers/repo-paths.js';
import { startLocalSshd } from '../test/integration/vm/local-sshd.js';

export interface ClassroomBenchResult {
  students: number;
  reports: number;
  rssBaseMiB: number;
  rssPerStudentKiB: number;
  gridP50Ms: number;
  gridP99Ms: number;
  /** seats joining at once -> ms until every one's lab page answered */
  warm: Record<number, number>;
  cold: Record<number, number>;
  /** the ssh provider's one-seat provisioning (create: a login and `true`), median of the cold ones */
  sshSeatProvisionMs?: number;
}

const LAB = '01-containers-are-processes';
const STEPS = ['uts', 'pid-and-root', 'nsenter', 'compare'];

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function gridBench(home: string, students: number, seconds: number): Promise<Omit<ClassroomBenchResult, 'warm' | 'cold'>> {
  const env = { ...process.env, BOXLAB_HOME: home, BOXLAB_LANG: 'en' };
  const run = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const c = spawn(process.execPath, [BOXLAB_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`boxlab ${args.join(' ')} exited ${code}`))));
    });
  const created = JSON.parse(await run('class', 'create', 'bench-100', '--lab', LAB, '--seats', String(students), '--json')) as { code: { code: string } };
  const server = spawn(process.execPath, [BOXLAB_BIN, 'class', 'serve', 'bench-100', '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    const teacherUrl = await new Promise<string>((resolve, reject) => {
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /teacher page[^:]*: (http\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      server.on('exit', () => reject(new Error(`class serve exited: ${out}`)));
    });
    const base = new URL(teacherUrl).origin;
    const teacherToken = new URL(teacherUrl).searchParams.get('token')!;
    const rssBaseMiB = rssMiB(server.pid!);
    const tokens: string[] = [];
    for (let i = 0; i < students; i++) {
      const r = await fetch(`${base}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: created.code.code, name: `Student ${i + 1}` }) });
      tokens.push(((await r.json()) as { token: string }).token);
    }
    // the teacher's grid: every status push; a report is shown when its seat's last check has its time
    const waiting = new Map<string, number>();
    const latencies: number[] = [];
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/teacher/events`, { headers: { authorization: `Bearer ${teacherToken}` } });
    ws.on('message', (d) => {
      const status = (JSON.parse(String(d)) as { status: { students: { lastCheck?: { at: string } }[] } }).status;
      const t = performance.now();
      for (const row of status.students) {
        const sent = row.lastCheck && waiting.get(row.lastCheck.at);
        if (sent !== undefined && row.lastCheck) {
          latencies.push(t - sent);
          waiting.delete(row.lastCheck.at);
        }
      }
    });
    await new Promise((r) => ws.once('open', r));
    let reports = 0;
    const deadline = Date.now() + seconds * 1000;
    let clock = Date.now();
    const student = async (token: string, i: number) => {
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      await fetch(`${base}/api/seats/me/heartbeat`, { method: 'POST', headers, body: JSON.stringify({ sandbox: 'up' }) });
      let attempt = 0;
      // spread the class over the first interval, then one Check every ~3 s each
      await new Promise((r) => setTimeout(r, (i * 3000) / students));
      while (Date.now() < deadline) {
        const step = attempt % STEPS.length;
        // a time no other report has (a ms apart), so the grid row that shows it is this report's
        const at = new Date(Math.max(Date.now(), ++clock)).toISOString();
        clock = Date.parse(at);
        waiting.set(at, performance.now());
        const r = await fetch(`${base}/api/reports`, { method: 'POST', headers, body: JSON.stringify({ kind: 'check', id: `${i}-${attempt}`, labId: LAB, stepIndex: step, stepId: STEPS[step], stepCount: STEPS.length, passed: attempt % 3 === 2, checksPassed: 0, checksTotal: 2, at }) });
        await r.arrayBuffer();
        attempt++;
        reports++;
        await new Promise((r) => setTimeout(r, 2500 + Math.random() * 1000));
      }
    };
    await Promise.all(tokens.map(student));
    const rssActive = rssMiB(server.pid!);
    ws.close();
    return { students, reports, rssBaseMiB, rssPerStudentKiB: ((rssActive - rssBaseMiB) * 1024) / students, gridP50Ms: percentile(latencies, 50), gridP99Ms: percentile(latencies, 99) };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

async function hostedBench(home: string): Promise<Pick<ClassroomBenchResult, 'warm' | 'cold' | 'sshSeatProvisionMs'>> {
  const saved = process.env.BOXLAB_HOME;
  process.env.BOXLAB_HOME = home;
  const sshd = await startLocalSshd();
  const hostsFile = path.join(home, 'hosts');
  await fs.writeFile(hostsFile, `root@127.0.0.1:${sshd.port} identity=${sshd.identity} slots=20\n`);
  const store = new ClassStore(path.join(home, 'classroom.db'));
  const hostedStore = new HostedStore(store.database);
  const warm: Record<number, number> = {};
  const cold: Record<number, number> = {};
  let sshSeatProvisionMs: number | undefined;
  try {
    for (const kind of ['cold', 'warm'] as const) {
      for (const n of [1, 2, 3]) {
        const name = `${kind}-${n}`;
        const { code } = store.create(name, [{ id: LAB, steps: STEPS }], 3);
        hostedStore.setPool(await hostedPoolOf(name, `hosts:${hostsFile}`, n, 3));
        const hosted = (await hostedSeatsFor(store, name, '127.0.0.1', 'en', () => undefined))!;
        try {
          if (kind === 'warm') await hosted.fill();
          const seats = Array.from({ length: n }, (_, i) => store.join(code.code, `s${i}`).seat.id);
          const t0 = performance.now();
          await Promise.all(
            seats.map(async (id) => {
              const j = await hosted.join(id);
              const r = await fetch(j.labUrl, { redirect: 'manual' });
              if (r.status !== 302) throw new Error(`the lab page of ${id} answered ${r.status}`);
            }),
          );
          (kind === 'warm' ? warm : cold)[n] = performance.now() - t0;
          if (name === 'cold-1') sshSeatProvisionMs = hostedStore.sandboxes(name).find((s) => s.phase === 'bound')?.provisionMs;
        } finally {
          await hosted.destroyAll();
        }
      }
    }
    return { warm, cold, ...(sshSeatProvisionMs !== undefined ? { sshSeatProvisionMs } : {}) };
  } finally {
    store.close();
    await sshd.stop();
    if (saved === undefined) delete process.env.BOXLAB_HOME;
    else process.env.BOXLAB_HOME = saved;
  }
}

export async function benchClassroom(options: { students?: number; seconds?: number } = {}): Promise<ClassroomBenchResult> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-bench-class-'));
  try {
    const grid = await gridBench(path.join(home, 'grid'), options.students ?? 100, options.seconds ?? 30);
    const hosted = await hostedBench(await fs.mkdtemp(path.join(home, 'hosted-')));
    return { ...grid, ...hosted };
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
}

export function formatClassroomBench(r: ClassroomBenchResult): string[] {
  const times = (m: Record<number, number>) => [1, 2, 3].map((n) => `${n}: ${m[n] === undefined ? '?' : (m[n] / 1000).toFixed(2)} s`).join(', ');
  return [
    `${`class server, ${r.students} students reporting checks`.padEnd(58)} RSS ${r.rssBaseMiB.toFixed(1)} MiB + ${r.rssPerStudentKiB.toFixed(0)} KiB per student (${r.reports} reports)`,
    `${'class grid update (report -> teacher WebSocket)'.padEnd(58)} p50 ${r.gridP50Ms.toFixed(1)} ms  p99 ${r.gridP99Ms.toFixed(1)} ms   goal: p99 < 200 ms`,
    `${'hosted seats (ssh host) joined at once, warm (pool)'.padEnd(58)} ${times(r.warm)}  (until every lab page answers)`,
    `${'hosted seats (ssh host) joined at once, cold (no pool)'.padEnd(58)} ${times(r.cold)}${r.sshSeatProvisionMs === undefined ? '' : `  (one ssh seat's provisioning ${r.sshSeatProvisionMs} ms)`}`,
  ];
}

// `node dist/bench/classroom.js` runs it alone
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  benchClassroom().then(
    (r) => {
      for (const line of formatClassroomBench(r)) console.log(line);
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
