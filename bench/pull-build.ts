// `node dist/bench/pull-build.js [pull] [build] [--rounds N]`: the pull and build parts of `npm run bench`
// alone (issue 19), each with its references measured in the same run: `docker pull` of the 100 MB image
// against skopeo (+ umoci unpack), `docker build` of samples/hello-web against Debian's dockerd. On a
// machine shared with other work one run is noise: --rounds repeats the whole part and prints the median
// of the rounds' medians and ratios. Needs root, runc, docker, skopeo, umoci, docker-registry, dockerd.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineHarness, NEW_DOCKER } from '../test/helpers/engine-harness.js';
import { benchBuild } from './build.js';
import { formatSample, median, type Sample } from './measure.js';
import { startReferenceDockerd } from './reference-dockerd.js';
import { benchRegistry } from './registry.js';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 1;
const parts = args.filter((a, i) => !a.startsWith('--') && (roundsAt < 0 || i !== roundsAt + 1));
const wanted = (part: string) => parts.length === 0 || parts.includes(part);

/** the median over rounds of one figure, with the rounds' values */
function summary(label: string, values: number[], unit: string): string {
  return `${label.padEnd(58)} median ${median(values).toFixed(unit === 'x' ? 2 : 0).padStart(7)} ${unit}  (rounds: ${values.map((v) => v.toFixed(unit === 'x' ? 2 : 0)).join(', ')})`;
}

async function pullRound(work: string, show: (line: string) => void): Promise<{ boxlabd: Sample; unpack: Sample; skopeo: Sample }> {
  const result = await benchRegistry(path.join(work, 'registry'), { pullOnly: true, runs: Number(process.env.BENCH_RUNS ?? 3) });
  for (const line of result.lines) show(line);
  return { boxlabd: result.pull.boxlabd, unpack: result.pull.skopeoUnpack, skopeo: result.pull.skopeo };
}

async function buildRound(work: string, show: (line: string) => void): Promise<{ boxlabd: { cold: Sample; cached: Sample }; dockerd?: { cold: Sample; cached: Sample } }> {
  const runs = process.env.BENCH_RUNS === undefined ? undefined : Number(process.env.BENCH_RUNS);
  const engine = await EngineHarness.start();
  let boxlabd: { cold: Sample; cached: Sample };
  try {
    await engine.loadBusybox();
    boxlabd = await benchBuild({ env: engine.env, label: 'boxlabd', work, docker: NEW_DOCKER, runs });
  } finally {
    await engine.stop();
  }
  show(formatSample(boxlabd.cold));
  show(formatSample(boxlabd.cached));
  const dockerd = await startReferenceDockerd(path.join(work, 'dockerd'));
  if (!dockerd) {
    show("Debian's dockerd is not there: no build reference");
    return { boxlabd };
  }
  try {
    const ref = await benchBuild({ env: { DOCKER_HOST: `unix://${dockerd.socket}` }, label: 'dockerd', work, docker: NEW_DOCKER, runs });
    show(formatSample(ref.cold));
    show(formatSample(ref.cached));
    return { boxlabd, dockerd: ref };
  } finally {
    await dockerd.stop();
  }
}

async function main(): Promise<void> {
  const show = (line: string) => console.log(line);
  show(`boxlab pull/build benchmarks, ${new Date().toISOString()}, ${os.cpus().length} cpus, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ${rounds} round(s)`);
  const pulls: Array<{ boxlabd: Sample; unpack: Sample; skopeo: Sample }> = [];
  const builds: Array<Awaited<ReturnType<typeof buildRound>>> = [];
  for (let r = 0; r < rounds; r++) {
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-bench-pb-'));
    try {
      if (wanted('pull')) pulls.push(await pullRound(work, show));
      if (wanted('build')) builds.push(await buildRound(work, show));
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }
  if (rounds < 2) return;
  show(`summary over ${rounds} rounds (load now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  if (pulls.length > 0) {
    show(summary('docker pull (boxlabd)', pulls.map((p) => p.boxlabd.medianMs), 'ms'));
    show(summary('skopeo copy + umoci raw unpack', pulls.map((p) => p.unpack.medianMs), 'ms'));
    show(summary('pull: boxlabd / (skopeo + umoci unpack)   goal: within 1.2x', pulls.map((p) => p.boxlabd.medianMs / p.unpack.medianMs), 'x'));
  }
  if (builds.length > 0) {
    show(summary('docker build --no-cache, boxlabd', builds.map((b) => b.boxlabd.cold.medianMs), 'ms'));
    show(summary('docker build, all cached, boxlabd', builds.map((b) => b.boxlabd.cached.medianMs), 'ms'));
    const withRef = builds.filter((b) => b.dockerd !== undefined);
    if (withRef.length > 0) {
      show(summary('docker build --no-cache, dockerd', withRef.map((b) => b.dockerd!.cold.medianMs), 'ms'));
      show(summary('docker build, all cached, dockerd', withRef.map((b) => b.dockerd!.cached.medianMs), 'ms'));
      show(summary('cached build: boxlabd / dockerd   goal: below 1x', withRef.map((b) => b.boxlabd.cached.medianMs / b.dockerd!.cached.medianMs), 'x'));
      show(summary('--no-cache build: boxlabd / dockerd   goal: below 1x', withRef.map((b) => b.boxlabd.cold.medianMs / b.dockerd!.cold.medianMs), 'x'));
    }
  }
}

await main();
