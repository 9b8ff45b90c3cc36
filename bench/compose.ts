// Compose benchmark (issue 16): `docker-compose up -d` of the counter app (samples/compose-counter: python
// web + redis, web waits for redis' healthcheck) and `docker-compose down`, each timed as a student types
// it, on boxlabd and on Debian's dockerd in the same run. The images are built once first (`build` is not
// timed); both engines run redis' 1 s healthcheck interval, so `up` includes the wait for the first probe.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type Sample } from './measure.js';

const COUNTER_APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../samples/compose-counter');
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ComposeBenchResult {
  up: Sample;
  down: Sample;
}

function composeSync(env: NodeJS.ProcessEnv, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('docker-compose', args, { cwd: COUNTER_APP, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
  if (r.status !== 0) throw new Error(`docker-compose ${args.join(' ')} exited ${r.status}: ${r.stderr?.toString().trim()}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const sample = (label: string, times: number[]): Sample => ({ label, runs: times.length, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) });

/** bakes (boxlabd: `boxlab image bake python redis`) or is given the images; times up -d and down `runs` times */
export function benchCompose(options: { env: Record<string, string>; label: string; runs?: number; port: number }): ComposeBenchResult {
  const runs = options.runs ?? 5;
  const env = { ...process.env, ...options.env, COMPOSE_PROJECT_NAME: 'benchcounter', COUNTER_PORTS: `${options.port}-${options.port + 2}` };
  composeSync(env, ['build']);
  const up: number[] = [];
  const down: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const u = composeSync(env, ['up', '-d']);
    const d = composeSync(env, ['down', '--volumes']);
    if (i === 0) continue; // warm-up
    up.push(u);
    down.push(d);
  }
  composeSync(env, ['down', '--volumes', '--rmi', 'local']);
  return { up: sample(`docker-compose up -d, counter app (${options.label})`, up), down: sample(`docker-compose down, counter app (${options.label})`, down) };
}

/** the baked python and redis images, into boxlabd at socket, and saved to tar for the other engine */
export function bakeComposeImages(socket: string, env: Record<string, string>, tar: string): void {
  const bake = spawnSync(process.execPath, [path.join(REPO, 'bin/run.js'), 'image', 'bake', 'python', 'redis', '--socket', socket], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 15 * 60_000 });
  if (bake.status !== 0) throw new Error(`boxlab image bake python redis: ${bake.stderr?.toString()}`);
  const save = spawnSync('docker', ['save', '-o', tar, 'python:3', 'redis:latest'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  if (save.status !== 0) throw new Error(`docker save: ${save.stderr?.toString()}`);
}

export function loadComposeImages(env: Record<string, string>, tar: string): void {
  const load = spawnSync('docker', ['load', '-i', tar], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  if (load.status !== 0) throw new Error(`docker load: ${load.stderr?.toString()}`);
}
