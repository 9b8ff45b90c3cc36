// The CLI's own start for lab commands (issue 19: `boxlab lab check`, whole process, goal under 250 ms):
// the whole command in a started lab (local provider, a temp BOXLAB_HOME), and its parts, each a process
// of its own so each figure is a cold start as a student's: bare node, node importing the CLI framework
// (@oclif/core, from the CLI's bundle: ADR 0028), node importing the command's bundled module (its imports: lab session, SQLite, sandbox, ...),
// `lab check --help` (oclif finds the command through the manifest and loads it, runs nothing), and
// `lab status` (the progress store opened, read and closed, no check run).
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatSample, median, ratio, type Sample } from './measure.js';

const LAB = '01-containers-are-processes';

/** times a command that may exit 0 or 1 (a check that fails is still a whole `lab check`) */
function timeProcess(label: string, args: string[], env: NodeJS.ProcessEnv, runs: number): Sample {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${label}: node ${args.join(' ')} exited ${r.status}: ${r.stderr?.toString().trim()}`);
    if (i >= 2) times.push(ms);
  }
  return { label, runs: times.length, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) };
}

export interface CliStartBench {
  node: Sample;
  version: Sample;
  oclif: Sample;
  command: Sample;
  help: Sample;
  status: Sample;
  check: Sample;
}

export async function benchCliStart(runs: number): Promise<CliStartBench> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-bench-cli-'));
  // the lab's folder too is the bench's own (BOXLAB_LAB_DIR), not /tmp/boxlab-lab/<id> a student's lab uses
  const env = { ...process.env, BOXLAB_HOME: home, BOXLAB_LAB_DIR: path.join(home, 'lab'), BOXLAB_PROVIDER: 'local', BOXLAB_LANG: 'en' };
  const bin = path.resolve('bin/run.js');
  try {
    const start = spawnSync(process.execPath, [bin, 'lab', 'start', LAB, '--provider', 'local'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (start.status !== 0) throw new Error(`boxlab lab start ${LAB}: ${start.stderr.toString().trim()}`);
    const importOf = (file: string) => ['--input-type=module', '-e', `await import(${JSON.stringify(path.resolve(file))})`];
    return {
      node: timeProcess('node -e 0', ['-e', '0'], env, runs),
      version: timeProcess('boxlab --version', [bin, '--version'], env, runs),
      oclif: timeProcess("node: import oclif from the CLI's bundle", importOf('dist/cli/oclif-entry.js'), env, runs),
      command: timeProcess('node: import the lab check command (bundled)', importOf('dist/cli/commands/lab/check.js'), env, runs),
      help: timeProcess('boxlab lab check --help', [bin, 'lab', 'check', '--help'], env, runs),
      status: timeProcess('boxlab lab status (opens the progress store)', [bin, 'lab', 'status'], env, runs),
      check: timeProcess(`boxlab lab check (${LAB}, local), whole process`, [bin, 'lab', 'check'], env, runs),
    };
  } finally {
    // the lab's folder is in BOXLAB_HOME (lab 01 leaves no process or mount behind)
    await fs.rm(home, { recursive: true, force: true });
  }
}

export function formatCliStart(b: CliStartBench): string[] {
  return [
    formatSample(b.node),
    formatSample(b.version),
    ratio('boxlab --version / node -e 0', b.version, b.node, 'within 1.5x'),
    formatSample(b.oclif),
    formatSample(b.command),
    formatSample(b.help),
    formatSample(b.status),
    formatSample(b.check) + '   goal: < 250 ms',
    ratio('boxlab lab check / node -e 0', b.check, b.node, ''),
  ];
}
