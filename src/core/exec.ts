// The process boundary. Every external program boxlab runs (runc, mount, iptables, mknod, ...) goes
// through `run`, with an argument array (never a shell string built from input), so that failures
// become COMMAND_FAILED errors naming the command and its stderr.
// It is node's own child_process.spawn, not execa: each process the engine waits for on a container's
// path (mount, umount, ip, ...) cost 3-7 ms of JavaScript more through execa on a loaded host, and likely more
// in a sandbox VM under TCG (issue 19, docs/adr/0031). What boxlab used of execa is kept: stdin a
// pipe (ended after `input`, left open without), the environment over process.env, a timeout that sends
// SIGTERM and SIGKILL 5 s later, output as UTF-8 with one final newline stripped, at most 100 MB of it.
import { spawn } from 'node:child_process';
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

/** what one stream may hold before the process is killed (execa's default) */
const MAX_OUTPUT = 100_000_000;
/** after a timeout's SIGTERM, SIGKILL (execa's forceKillAfterDelay) */
const FORCE_KILL_MS = 5_000;

/** a process's end: its exit code, or why it has none (not started, a signal, a timeout, too much output) */
interface Ended {
  exitCode?: number;
  stdout: string;
  stderr: string;
  /** set when there is no exit code */
  why?: string;
}

export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const t0 = phaseStart();
  const result = await spawned(file, args, options);
  // opt-in (phase-timing.ts): each process the engine waits for, e.g. spawn.mount, spawn.runc delete
  if (phaseTimingOn) notePhase('', `spawn.${processName(file, args)}`, t0);
  if (result.exitCode === undefined) {
    throw new AppError('COMMAND_FAILED', `${file} could not be run: ${result.why}`, {
      suggestions: [`check that ${file} is installed (see the README's set-up command)`],
    });
  }
  const out: RunResult = { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  if (out.exitCode !== 0 && !options.allowFailure) {
    const detail = out.stderr.trim() || out.stdout.trim() || `exit code ${out.exitCode}`;
    throw new AppError('COMMAND_FAILED', `${file} ${args.join(' ')} failed: ${detail}`);
  }
  return out;
}

function spawned(file: string, args: readonly string[], options: RunOptions): Promise<Ended> {
  return new Promise((resolve) => {
    const command = [file, ...args].join(' ');
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ? { ...process.env, ...options.env } : undefined, stdio: 'pipe' });
    const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const sizes = { stdout: 0, stderr: 0 };
    let why: string | undefined;
    let forceKill: NodeJS.Timeout | undefined;
    const kill = (reason: string) => {
      why ??= reason;
      child.kill('SIGTERM');
      forceKill ??= setTimeout(() => child.kill('SIGKILL'), FORCE_KILL_MS);
    };
    for (const name of ['stdout', 'stderr'] as const) {
      child[name].on('data', (chunk: Buffer) => {
        sizes[name] += chunk.length;
        if (sizes[name] > MAX_OUTPUT) return kill(`Command's ${name} was larger than ${MAX_OUTPUT} bytes: ${command}`);
        chunks[name].push(chunk);
      });
    }
    // a program that exits without reading all its input is no error of ours (EPIPE)
    child.stdin.on('error', () => undefined);
    if (options.input !== undefined) child.stdin.end(options.input);
    const timer = options.timeout ? setTimeout(() => kill(`Command timed out after ${options.timeout} milliseconds: ${command}`), options.timeout) : undefined;
    let done = false;
    const finish = (ended: Ended) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(forceKill);
      resolve(ended);
    };
    const text = (name: 'stdout' | 'stderr') => stripFinalNewline(Buffer.concat(chunks[name]).toString('utf8'));
    child.on('error', (err) => {
      // not started (ENOENT, EACCES): no close follows
      if (child.pid === undefined) finish({ stdout: '', stderr: '', why: `Command failed with ${(err as NodeJS.ErrnoException).code ?? 'an error'}: ${command}
${err.message}` });
    });
    child.on('close', (code, signal) => {
      const ended = { stdout: text('stdout'), stderr: text('stderr') };
      // an exit code is the answer even after a timeout's SIGTERM (a program that handles it), as execa's
      if (code !== null) finish({ ...ended, exitCode: code });
      else finish({ ...ended, why: why ?? `Command was killed with ${signal ?? 'a signal'}: ${command}` });
    });
  });
}

/** one final newline (\n or \r\n) off, as execa's stripFinalNewline */
export function stripFinalNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
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
