// The process boundary. Every external program boxlab runs (runc, mount, iptables, mknod, ...) goes
// through `run`, with an argument array (never a shell string built from input), so that failures
// become COMMAND_FAILED errors naming the command and its stderr.
// execa (a hundred modules) is loaded at the first run, not when this file is imported: most CLI commands
// import code that can run processes, but few run one (a `boxlab lab check` on this host spawns its
// checks with node's own spawn), and loading it is a large part of their start (docs/adr/0019).
import type { execa as Execa } from 'execa';
import { AppError } from './errors.js';
import { notePhase, phaseStart, phaseTimingOn } from './phase-timing.js';

export interface RunOptions {
  input?: string | Buffer;
  cwd?: string;
  env?: Record<string, string>;
  /** milliseconds; the process is killed after it */
  timeout?: number;
  /** when true, a non-zero exit is returned instead of thrown */
  allowFailure?: boolean;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

let loaded: Promise<typeof Execa> | undefined;

export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const t0 = phaseStart();
  const execa = await (loaded ??= import('execa').then((m) => m.execa));
  const result = await execa(file, args, {
    input: options.input,
    cwd: options.cwd,
    env: options.env,
    timeout: options.timeout,
    reject: false,
    stripFinalNewline: true,
  });
  // opt-in (phase-timing.ts): each process the engine waits for, e.g. spawn.mount, spawn.runc delete
  if (phaseTimingOn) notePhase('', `spawn.${processName(file, args)}`, t0);
  if (result.failed && result.exitCode === undefined) {
    throw new AppError('COMMAND_FAILED', `${file} could not be run: ${result.shortMessage}`, {
      suggestions: [`check that ${file} is installed (see the README's set-up command)`],
    });
  }
  const exitCode = result.exitCode ?? 1;
  const out: RunResult = { exitCode, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
  if (exitCode !== 0 && !options.allowFailure) {
    const detail = out.stderr.trim() || out.stdout.trim() || `exit code ${exitCode}`;
    throw new AppError('COMMAND_FAILED', `${file} ${args.join(' ')} failed: ${detail}`);
  }
  return out;
}

/** a process's short name for the phase timing: the program, and runc's or ip's subcommand */
function processName(file: string, args: readonly string[]): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (base !== 'runc' && base !== 'ip') return base;
  // runc --root <dir> --log <file> delete ... : the first word that is neither an option nor its value
  const takesValue = (a: string | undefined) => a !== undefined && ((a.startsWith('--') && !a.includes('=')) || a === '-n' || a === '-netns');
  const words = args.filter((a, i) => !a.startsWith('-') && !takesValue(args[i - 1]));
  return `${base} ${words.slice(0, base === 'ip' ? 2 : 1).join(' ')}`;
}
