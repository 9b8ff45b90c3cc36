// The two engines the compose tests drive with docker-compose 1.29 (and `docker compose`, the plugin of
// ADR 0015): boxlabd (EngineHarness) and Debian's dockerd 20.10 (ReferenceDockerd), each given the baked
// python and redis images and the conformance images built from test/fixtures/compose-conformance.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from '../../../src/core/exec.js';
import { installComposePluginLocally } from '../../../src/vm/images/compose-stage.js';
import type { EngineHarness } from '../../helpers/engine-harness.js';
import type { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { waitFor } from '../../helpers/wait-for.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const CONFORMANCE = path.join(REPO, 'test/fixtures/compose-conformance');
export const COUNTER_APP = path.join(REPO, 'samples/compose-counter');

export interface ComposeEngine {
  name: 'boxlabd' | 'dockerd';
  env: Record<string, string>;
  docker(args: string[]): Promise<RunResult>;
}

export const onBoxlabd = (e: EngineHarness): ComposeEngine => ({ name: 'boxlabd', get env() { return e.env; }, docker: (args) => e.docker(args, { timeout: 120_000 }) });
export const onDockerd = (d: ReferenceDockerd): ComposeEngine => ({ name: 'dockerd', env: d.env, docker: (args) => d.docker(args) });

/** `docker-compose <args>` (or `docker compose <args>` with via: 'plugin') in cwd against the engine */
export async function compose(engine: ComposeEngine, cwd: string, args: string[], options: { via?: 'docker-compose' | 'plugin'; env?: Record<string, string>; allowFailure?: boolean; timeout?: number } = {}): Promise<RunResult> {
  const [bin, pre] = options.via === 'plugin' ? ['docker', ['compose']] : ['docker-compose', []];
  const res = await run(bin, [...pre, ...args], { cwd, env: { ...(process.env as Record<string, string>), ...engine.env, ...options.env }, allowFailure: true, timeout: options.timeout ?? 180_000 });
  if (res.exitCode !== 0 && !options.allowFailure) throw new Error(`${bin} ${[...pre, ...args].join(' ')} on ${engine.name} exited ${res.exitCode}\n${res.stdout}\n${res.stderr}`);
  return res;
}

export async function dockerOk(engine: ComposeEngine, args: string[]): Promise<string> {
  const res = await engine.docker(args);
  if (res.exitCode !== 0) throw new Error(`docker ${args.join(' ')} on ${engine.name} exited ${res.exitCode}: ${res.stderr}`);
  return res.stdout;
}

/** bakes python and redis into boxlabd, copies them into dockerd, builds the conformance images on both */
export async function prepareImages(boxlab: EngineHarness, dockerd: ReferenceDockerd | undefined): Promise<void> {
  const bake = await run(process.execPath, [path.join(REPO, 'bin/run.js'), 'image', 'bake', 'python', 'redis', '--socket', boxlab.socketPath], { timeout: 15 * 60_000, allowFailure: true });
  if (bake.exitCode !== 0) throw new Error(`boxlab image bake python redis: ${bake.stderr}`);
  if (dockerd) {
    const tar = path.join(boxlab.dir, 'python-redis.tar');
    await boxlab.dockerOk(['save', '-o', tar, 'python:3', 'redis:latest'], { timeout: 120_000 });
    await dockerd.dockerOk(['load', '-i', tar]);
  }
  for (const engine of [onBoxlabd(boxlab), ...(dockerd ? [onDockerd(dockerd)] : [])]) {
    for (const image of ['server', 'client']) {
      await dockerOk(engine, ['build', '-q', '-t', `composespec/conformance-tests-${image}`, path.join(CONFORMANCE, 'images', image)]);
    }
  }
  await installComposePluginLocally();
}

/** GET http://127.0.0.1:<port><path>: the body, or undefined while nothing answers */
export async function httpGet(port: number, urlPath: string, timeoutMs = 5_000): Promise<string | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, { signal: AbortSignal.timeout(timeoutMs) });
    return await res.text();
  } catch {
    return undefined;
  }
}

/** the conformance server's {"response": "..."} once it answers */
export async function serverAnswer(urlPath: string, accept: (s: string) => boolean = () => true, timeoutMs = 60_000): Promise<string> {
  return waitFor(`:8080${urlPath}`, async () => {
    // dockerd's embedded DNS (no upstream reachable in the test daemon) takes 10 s to fail a name
    const body = await httpGet(8080, urlPath, 25_000);
    if (body === undefined) return undefined;
    const answer = (JSON.parse(body) as { response: string }).response;
    return accept(answer) ? answer : undefined;
  }, { timeoutMs, intervalMs: 200 });
}

/**
 * what a project leaves behind: containers (every container, as upstream's `docker ps -aq`, or with
 * scope 'project' those with the project's label), and networks and volumes named after the project
 */
export async function leftovers(engine: ComposeEngine, project: string, scope: 'all' | 'project' = 'all'): Promise<string[]> {
  const containers = (await dockerOk(engine, ['ps', '-aq', ...(scope === 'project' ? ['--filter', `label=com.docker.compose.project=${project}`] : [])])).split('\n').filter(Boolean).map((id) => `container ${id}`);
  const networks = (await dockerOk(engine, ['network', 'ls', '--format', '{{.Name}}'])).split('\n').filter((n) => n.startsWith(`${project}_`)).map((n) => `network ${n}`);
  const volumes = (await dockerOk(engine, ['volume', 'ls', '-q'])).split('\n').filter((n) => n.startsWith(`${project}_`)).map((n) => `volume ${n}`);
  return [...containers, ...networks, ...volumes];
}
