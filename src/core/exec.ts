// The process boundary. Every external program boxlab runs (runc, mount, iptables, mknod, ...) goes
// through `run`, with an argument array (never a shell string built from input), so that failures
// become COMMAND_FAILED errors naming the command and its stderr.
import { execa } from 'execa';
import { AppError } from './errors.js';

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

export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await execa(file, args, {
    input: options.input,
    cwd: options.cwd,
    env: options.env,
    timeout: options.timeout,
    reject: false,
    stripFinalNewline: true,
  });
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
