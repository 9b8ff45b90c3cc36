// Build benchmark: the 10-instruction hello-web sample (samples/hello-web) built with the classic builder,
// cold (--no-cache: every step runs, the RUN in a container) and fully cached (every step a cache hit;
// goal under 0.5 s). Run it against boxlabd and, when it can run, Debian's dockerd, with the same CLI.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeCommand, type Sample } from './measure.js';

const SAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../samples/hello-web');

export interface BuildBenchOptions {
  /** environment for the docker CLI, e.g. { DOCKER_HOST: 'unix:///tmp/x/docker.sock' } */
  env: Record<string, string>;
  /** which engine, for the sample labels ("boxlabd", "dockerd") */
  label: string;
  /** a scratch folder (the sample is copied there) */
  work: string;
  docker?: string;
  runs?: number;
}

export async function benchBuild(options: BuildBenchOptions): Promise<{ cold: Sample; cached: Sample }> {
  const dir = path.join(options.work, `build-${options.label}`);
  await fs.cp(SAMPLE, dir, { recursive: true });
  const env = { ...process.env, ...options.env, DOCKER_BUILDKIT: '0' };
  const docker = options.docker ?? 'docker';
  const runs = options.runs ?? 5;
  const tag = `bench-build-${options.label}`;
  const cold = timeCommand(`docker build --no-cache (10 steps), ${options.label}`, docker, ['build', '-q', '--no-cache', '-t', tag, dir], { runs, warmup: 1, env });
  const cached = timeCommand(`docker build, all steps cached, ${options.label}`, docker, ['build', '-q', '-t', tag, dir], { runs: runs * 2, warmup: 1, env });
  return { cold, cached };
}
