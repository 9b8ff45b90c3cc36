// `npm run bench:start`: the container-start part of `npm run bench` alone (issue 19), with the phase
// table: raw runc, boxlabd (--network none, then the default bridge) with where each start's time goes,
// Debian's dockerd when it can start (BENCH_DOCKERD=0 skips it), and the CLI's own start for lab commands.
// BENCH_ONLY=engine or BENCH_ONLY=cli runs one of the two parts.
// Prints medians and ratios to the references of the same run; never asserts. Needs root, runc and docker.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineHarness, NEW_DOCKER } from '../test/helpers/engine-harness.js';
import { benchCliStart, formatCliStart } from './cli-start.js';
import { formatSample, ratio } from './measure.js';
import { benchPhases, formatPhases } from './phases.js';
import { benchRawRunc } from './raw-runc.js';
import { startReferenceDockerd, timeDockerdStart } from './reference-dockerd.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const ONLY = process.env.BENCH_ONLY;

async function main(): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-bench-start-'));
  const show = (line: string) => console.log(line);
  try {
    show(`boxlab container start benchmark, ${new Date().toISOString()}, ${os.cpus().length} cpus, load ${os.loadavg()[0].toFixed(1)}, node ${process.version}`);
    if (ONLY !== 'cli') await benchEngine(work, show);
    if (ONLY !== 'engine') for (const line of formatCliStart(await benchCliStart(RUNS))) show(line);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function benchEngine(work: string, show: (line: string) => void): Promise<void> {
  const runc = await benchRawRunc(path.join(work, 'runc'), RUNS);
  show(formatSample(runc));

  const timingFile = path.join(work, 'phases.jsonl');
  const engine = await EngineHarness.start({ env: { BOXLAB_PHASE_TIMING: timingFile } });
  let none;
  try {
    await engine.loadBusybox();
    const env = { ...process.env, ...engine.env };
    none = await benchPhases('docker run --rm --network none busybox true (boxlabd)', NEW_DOCKER, ['run', '--rm', '--network', 'none', 'busybox', 'true'], { timingFile, runs: RUNS, env });
    show(formatSample(none.wall));
    show(ratio('boxlabd / raw runc', none.wall, runc, 'within 2x'));
    for (const line of formatPhases(none)) show(line);
    const bridge = await benchPhases('docker run --rm busybox true, default bridge (boxlabd)', NEW_DOCKER, ['run', '--rm', 'busybox', 'true'], { timingFile, runs: RUNS, env });
    show(formatSample(bridge.wall));
    show(`${'networking cost (bridge - none)'.padEnd(58)} ${(bridge.wall.medianMs - none.wall.medianMs).toFixed(1)} ms   goal: < 50 ms`);
    for (const line of formatPhases(bridge)) show(line);
  } finally {
    await engine.stop();
  }

  const dockerd = process.env.BENCH_DOCKERD === '0' ? undefined : await startReferenceDockerd(path.join(work, 'dockerd')).catch(() => undefined);
  if (dockerd) {
    try {
      const ref = timeDockerdStart(dockerd, NEW_DOCKER, RUNS);
      show(formatSample(ref));
      show(ratio('dockerd / boxlabd (speed-up)', ref, none.wall, 'at least 4x'));
    } finally {
      await dockerd.stop();
    }
  } else show('no dockerd comparison (BENCH_DOCKERD=0, or Debian dockerd could not start)');
}

await main();
