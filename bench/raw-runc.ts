// The floor: `runc run` of a prepared busybox bundle running `true`, no engine in between.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../src/core/exec.js';
import { makeBusyboxRootfs } from './busybox-rootfs.js';
import { timeCommand, type Sample } from './measure.js';

export async function benchRawRunc(work: string, runs: number): Promise<Sample> {
  const bundle = path.join(work, 'bundle');
  await makeBusyboxRootfs(path.join(bundle, 'rootfs'));
  await run('runc', ['spec'], { cwd: bundle });
  const config = JSON.parse(await fs.readFile(path.join(bundle, 'config.json'), 'utf8'));
  config.process.terminal = false;
  config.process.args = ['true'];
  await fs.writeFile(path.join(bundle, 'config.json'), JSON.stringify(config));
  const root = path.join(work, 'runc-state');
  // a fresh container id per run, as an engine uses
  return timeCommand('raw runc run (busybox true)', 'runc', (i) => ['--root', root, 'run', '--bundle', bundle, `bench-${process.pid}-${i}`], { runs });
}
