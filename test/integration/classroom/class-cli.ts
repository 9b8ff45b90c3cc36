// What the classroom tests share: running `boxlab` and `sh` as a teacher or a student (their own
// BOXLAB_HOME in env) and collecting what they printed, whatever the exit code.
import { execFile } from 'node:child_process';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export function boxlab(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BOXLAB_BIN, ...args], { env, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

export function sh(script: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => execFile('sh', ['-c', script], { env }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr })));
}
