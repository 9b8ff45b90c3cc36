// Lab benchmarks (issue 7): time for one check round trip through the Guest (local provider: a
// bash runner script, one check, parsed results) and for a whole `lab test` of real labs. Goal for
// a check over SSH: under 300 ms; local is the floor that number is compared against. Prints, never
// asserts. `benchLabs()` is exported for bench/run.ts; `node dist/bench/labs.js` runs it alone.
// `benchLabSuite()` replays every lab in labs/ (snippets and solutions), a few at a time as the
// integration tier does (test/helpers/lab-replay.ts): the time CI spends on the whole course.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStepChecks } from '../src/labs/check-engine.js';
import { labEnv, loadValidLab } from '../src/labs/lab-loader.js';
import type { Step } from '../src/labs/lab-model.js';
import { testLab } from '../src/labs/lab-tester.js';
import type { Guest } from '../src/vm/guest.js';
import { LocalGuest } from '../src/vm/providers/local/local-guest.js';
import { median, type Sample } from './measure.js';
import { labEngineNames, runPool, shareEngineNames } from '../test/helpers/lab-replay.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface LabBenchOptions {
  runs?: number;
  /** a guest to measure (default: this host, the local provider) */
  guest?: Guest;
  /** DOCKER_HOST of a running boxlabd with busybox: adds a docker check and lab 04 */
  dockerHost?: string;
  /** labs to replay whole (folders); default labs/03-overlayfs, plus labs/04-container-lifecycle with an engine */
  labs?: string[];
}

async function timeAsync(label: string, runs: number, fn: () => Promise<void>): Promise<Sample> {
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    // the first run warms up (module loading, page cache)
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { label, runs, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) };
}

function oneCheckStep(script: string): Step {
  const pos = { file: 'bench', line: 1 };
  return { id: 'bench', title: {}, text: {}, snippets: [], hints: [], covers: [], pos, checks: [{ name: 'c', script, timeoutMs: 10_000, needs: [], pos }] };
}

export async function benchLabs(options: LabBenchOptions = {}): Promise<Sample[]> {
  const runs = options.runs ?? 15;
  const guest = options.guest ?? new LocalGuest({ warn: null });
  const samples: Sample[] = [];
  const check = async (label: string, script: string, env: Record<string, string> = {}) => {
    const step = oneCheckStep(script);
    samples.push(
      await timeAsync(label, runs, async () => {
        const r = await runStepChecks(guest, step, { lang: 'en', env });
        if (!r.passed) throw new Error(`${label}: the check failed: ${r.checks[0].message || r.checks[0].stderr}`);
      }),
    );
  };
  await check(`lab check round trip, one "true" check (${guest.name})`, 'true');
  if (options.dockerHost) await check(`lab check round trip, docker version (${guest.name})`, 'docker version >/dev/null', { DOCKER_HOST: options.dockerHost });

  const labs = options.labs ?? [path.join(REPO, 'labs/03-overlayfs'), ...(options.dockerHost ? [path.join(REPO, 'labs/04-container-lifecycle')] : [])];
  for (const dir of labs) {
    const lab = await loadValidLab(dir);
    const work = `/tmp/boxlab-labs-bench-${process.pid}-${lab.id}`;
    const env = labEnv(lab, work, { BOXLAB_DOCKER_HOST: options.dockerHost });
    samples.push(
      await timeAsync(`lab test ${lab.id} (${guest.name})`, 1, async () => {
        const r = await testLab(guest, lab, { env });
        if (!r.ok) throw new Error(`lab test ${lab.id} failed: ${JSON.stringify(r.steps.flatMap((s) => s.problems).concat(r.problems))}`);
      }),
    );
  }
  return samples;
}

export interface LabSuiteBench {
  sample: Sample;
  /** per lab: seconds, or why it did not run / failed */
  labs: { id: string; seconds?: number; note?: string }[];
  jobs: number;
}

/** every lab of labs/ replayed once (engine labs only with a dockerHost), `jobs` at a time; one sample: the wall time */
export async function benchLabSuite(options: { dockerHost?: string; jobs?: number; guest?: Guest } = {}): Promise<LabSuiteBench> {
  const jobs = options.jobs ?? Number(process.env.BOXLAB_LAB_REPLAY_JOBS ?? 3);
  const guest = options.guest ?? new LocalGuest({ warn: null });
  const root = path.join(REPO, 'labs');
  const dirs = readdirSync(root).filter((n) => existsSync(path.join(root, n, 'lab.md'))).sort().map((n) => path.join(root, n));
  const labs: LabSuiteBench['labs'] = [];
  const names = new Map(dirs.map((d) => [d, labEngineNames(readFileSync(path.join(d, 'lab.md'), 'utf8'))]));
  const t0 = process.hrtime.bigint();
  await runPool(dirs, jobs, (a, b) => shareEngineNames(names.get(a)!, names.get(b)!), async (dir) => {
    const lab = await loadValidLab(dir);
    const missing = (lab.needs.commands ?? []).filter((c) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', c], { stdio: 'ignore' }).status !== 0);
    if (lab.needs.engine && !options.dockerHost) return void labs.push({ id: lab.id, note: 'needs the engine' });
    if (missing.length > 0) return void labs.push({ id: lab.id, note: `needs ${missing.join(', ')}` });
    const started = Date.now();
    const env = labEnv(lab, `/tmp/boxlab-labs-bench-${process.pid}-${lab.id}`, { BOXLAB_DOCKER_HOST: options.dockerHost });
    const r = await testLab(guest, lab, { env });
    labs.push({ id: lab.id, seconds: (Date.now() - started) / 1000, ...(r.ok ? {} : { note: 'FAILED' }) });
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const ran = labs.filter((l) => l.seconds !== undefined).length;
  return { sample: { label: `lab test of the whole course, ${ran} labs, ${jobs} at a time (${guest.name})`, runs: 1, medianMs: ms, minMs: ms, maxMs: ms }, labs, jobs };
}

export function formatLabSuite(b: LabSuiteBench): string {
  const sum = b.labs.reduce((t, l) => t + (l.seconds ?? 0), 0);
  const per = b.labs.map((l) => `${l.id.slice(0, 2)} ${l.seconds !== undefined ? `${l.seconds.toFixed(0)} s` : ''}${l.note ? ` (${l.note})` : ''}`.trim()).join(', ');
  return `  one after another they would take ${sum.toFixed(0)} s: ${per}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { formatSample } = await import('./measure.js');
  const dockerHost = process.env.BOXLAB_DOCKER_HOST;
  for (const s of await benchLabs({ runs: Number(process.env.BENCH_RUNS ?? 15), dockerHost })) console.log(formatSample(s));
  const suite = await benchLabSuite({ dockerHost });
  console.log(formatSample(suite.sample));
  console.log(formatLabSuite(suite));
}
