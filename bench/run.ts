// `npm run bench`: speed of boxlab against references measured in the same run (raw runc, Debian's dockerd
// when it can start, bare node). Prints medians and ratios; never asserts. Needs root, runc and docker.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineHarness, NEW_DOCKER } from '../test/helpers/engine-harness.js';
import { benchBuild } from './build.js';
import { benchCliStart, formatCliStart } from './cli-start.js';
import { bakeComposeImages, benchCompose, loadComposeImages, type ComposeBenchResult } from './compose.js';
import { benchLabs, benchLabSuite, formatLabSuite } from './labs.js';
import { benchLoad, writeLoadBenchArchive } from './load.js';
import { benchNetwork } from './network.js';
import { benchPhases, formatPhases } from './phases.js';
import { benchRawRunc } from './raw-runc.js';
import { benchRegistry } from './registry.js';
import { benchVm, formatVmBench } from './vm.js';
import { benchLabNodes, formatLabNodesBench } from './lab-nodes.js';
import { benchWeb, formatWebBench } from './web.js';
import { benchClassroom, formatClassroomBench } from './classroom.js';
import { startReferenceDockerd, timeDockerdStart } from './reference-dockerd.js';
import { formatSample, ratio, type Sample } from './measure.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

async function main(): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-bench-'));
  const lines: string[] = [];
  const show = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  try {
    show(`boxlab benchmarks, ${new Date().toISOString()}, ${os.cpus().length} cpus, node ${process.version}`);

    // CLI start-up: bare node, --version, and a lab command's whole process with its parts (cli-start.ts)
    for (const line of formatCliStart(await benchCliStart(RUNS))) show(line);

    // container start: raw runc, boxlabd, dockerd
    const runc = await benchRawRunc(path.join(work, 'runc'), RUNS);
    show(formatSample(runc));

    const manyFiles = await writeLoadBenchArchive(path.join(work, 'many-files.tar'));
    // the engine notes each phase of a container start (src/core/phase-timing.ts): the table below
    const timingFile = path.join(work, 'phases.jsonl');
    const engine = await EngineHarness.start({ env: { BOXLAB_PHASE_TIMING: timingFile } });
    let boxlabd: Sample;
    let load: Sample;
    const composeImages = path.join(work, 'python-redis.tar');
    let composeBoxlabd: ComposeBenchResult | undefined;
    try {
      await engine.loadBusybox();
      // like for like with raw runc and with the dockerd reference below: no network beyond loopback
      const phases = await benchPhases('docker run --rm --network none busybox true (boxlabd)', NEW_DOCKER, ['run', '--rm', '--network', 'none', 'busybox', 'true'], {
        timingFile,
        runs: RUNS,
        env: { ...process.env, ...engine.env },
      });
      boxlabd = phases.wall;
      show(formatSample(boxlabd));
      show(ratio('boxlabd / raw runc', boxlabd, runc, 'within 2x'));
      for (const line of formatPhases(phases)) show(line);
      const build = await benchBuild({ env: engine.env, label: 'boxlabd', work, docker: NEW_DOCKER });
      show(formatSample(build.cold));
      show(formatSample(build.cached) + '   goal: < 500 ms');
      for (const sample of await benchLabs({ dockerHost: engine.env.DOCKER_HOST })) show(formatSample(sample));
      // the whole course replayed as the integration tier does: its time must stay flat as labs are added
      const suite = await benchLabSuite({ dockerHost: engine.env.DOCKER_HOST });
      show(formatSample(suite.sample));
      show(formatLabSuite(suite));
      const net = await benchNetwork({ env: engine.env, label: 'boxlabd', docker: NEW_DOCKER });
      show(formatSample(net.bridge));
      show(formatSample(net.none));
      show(`${'networking cost (bridge - none)'.padEnd(58)} ${net.overheadMs.toFixed(1)} ms   goal: < 50 ms`);
      show(formatSample(net.publishToFirstResponse));
      load = benchLoad({ archive: manyFiles, env: engine.env, label: 'boxlabd', docker: NEW_DOCKER });
      show(formatSample(load));
      try {
        bakeComposeImages(engine.socketPath, engine.env, composeImages);
        composeBoxlabd = benchCompose({ env: engine.env, label: 'boxlabd', port: 15671 });
        show(formatSample(composeBoxlabd.up));
        show(formatSample(composeBoxlabd.down));
      } catch (err) {
        show(`compose benchmark skipped on boxlabd: ${(err as Error).message.split('\n')[0]} (apt-get install docker-compose)`);
      }
    } finally {
      await engine.stop();
    }

    const dockerd = await startReferenceDockerd(path.join(work, 'dockerd')).catch((err: Error) => {
      show(`Debian's dockerd could not start (${err.message}): no dockerd comparison`);
      return undefined;
    });
    if (dockerd) {
      try {
        const ref = timeDockerdStart(dockerd, NEW_DOCKER, RUNS);
        show(formatSample(ref));
        show(ratio('dockerd / boxlabd (speed-up)', ref, boxlabd, 'at least 4x'));
        const build = await benchBuild({ env: { DOCKER_HOST: `unix://${dockerd.socket}` }, label: 'dockerd', work, docker: NEW_DOCKER });
        show(formatSample(build.cold));
        show(formatSample(build.cached));
        const refLoad = benchLoad({ archive: manyFiles, env: { DOCKER_HOST: `unix://${dockerd.socket}` }, label: 'dockerd', docker: NEW_DOCKER });
        show(formatSample(refLoad));
        show(ratio('docker load of many files, boxlabd / dockerd', load, refLoad, 'within 2x'));
        if (composeBoxlabd) {
          const dockerdEnv = { DOCKER_HOST: `unix://${dockerd.socket}` };
          loadComposeImages(dockerdEnv, composeImages);
          const refCompose = benchCompose({ env: dockerdEnv, label: 'dockerd', port: 15681 });
          show(formatSample(refCompose.up));
          show(formatSample(refCompose.down));
          show(ratio('docker-compose up -d, dockerd / boxlabd (speed-up)', refCompose.up, composeBoxlabd.up, 'above 1x'));
          show(ratio('docker-compose down, dockerd / boxlabd (speed-up)', refCompose.down, composeBoxlabd.down, 'above 1x'));
        }
      } finally {
        await dockerd.stop();
      }
    } else {
      show('Debian dockerd is not installed (apt-get install docker.io): no dockerd comparison');
    }

    for (const line of (await benchRegistry(path.join(work, 'registry'))).lines) show(line);
    for (const line of formatWebBench(await benchWeb())) show(line);
    if (process.env.BENCH_CLASS === '0') show('classroom benchmark skipped (BENCH_CLASS=0)');
    else for (const line of formatClassroomBench(await benchClassroom())) show(line);
    if (process.env.BENCH_VM === '0') show('vm benchmark skipped (BENCH_VM=0)');
    else for (const line of formatVmBench(await benchVm())) show(line);
    if (process.env.BENCH_VM === '0' || process.env.BENCH_LAB_NODES === '0') show('multi-node lab benchmark skipped (BENCH_VM=0 or BENCH_LAB_NODES=0)');
    else for (const line of formatLabNodesBench(await benchLabNodes())) show(line);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

await main();
