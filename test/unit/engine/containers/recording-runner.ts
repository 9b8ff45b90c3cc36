// A recording double of the container plane's process port (container-deps.ts's ProcessRunner): it keeps
// every argument list it is asked to run, and answers with outputs recorded from the real programs
// (test/fixtures/outputs/runc/, see SOURCE.md there), or exit 0 and no output when no reply matches.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../../src/core/errors.js';
import type { RunOptions, RunResult } from '../../../../src/core/exec.js';
import type { ProcessRunner } from '../../../../src/engine/containers/container-deps.js';
import { REPO_ROOT } from '../../../helpers/repo-paths.js';

/** a file recorded from runc 1.1.5 (test/fixtures/outputs/runc/) */
export function recordedRunc(name: string): string {
  return readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'outputs', 'runc', name), 'utf8');
}

interface Reply {
  /** the program and the words that must follow it, in order, e.g. ['runc', 'delete'] */
  words: string[];
  result: RunResult;
}

export class RecordingProcessRunner {
  /** each call as `program arg arg ...` */
  readonly calls: string[][] = [];
  private readonly replies: Reply[] = [];

  /** answers calls of `file` whose arguments include `words` (in order) with a recorded result */
  reply(file: string, words: string[], result: Partial<RunResult>): this {
    this.replies.push({ words: [file, ...words], result: { exitCode: 0, stdout: '', stderr: '', ...result } });
    return this;
  }

  /** the calls to one program, without the program */
  callsOf(file: string): string[][] {
    return this.calls.filter((c) => c[0] === file).map((c) => c.slice(1));
  }

  readonly run: ProcessRunner = async (file: string, args: readonly string[], options: RunOptions = {}) => {
    const argv = [file, ...args];
    this.calls.push(argv);
    const reply = this.replies.find((r) => r.words[0] === file && inOrder(r.words.slice(1), args));
    const result = reply?.result ?? { exitCode: 0, stdout: '', stderr: '' };
    // as core/exec.ts's run: a non-zero exit throws unless the caller allows it
    if (result.exitCode !== 0 && !options.allowFailure) throw new AppError('COMMAND_FAILED', `${argv.join(' ')} failed: ${result.stderr.trim()}`);
    return result;
  };
}

function inOrder(words: string[], args: readonly string[]): boolean {
  let i = 0;
  for (const a of args) if (a === words[i]) i++;
  return i === words.length;
}
