// A real `boxlab class serve` for the classroom tests: spawned as the teacher (their own BOXLAB_HOME in
// env), read until it printed its address, join code and teacher address; stop() ends it with SIGTERM,
// as Ctrl-C would, and waits for it to exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { BOXLAB_BIN } from './repo-paths.js';
import { waitFor } from './wait-for.js';

export interface ServedClass {
  /** http://127.0.0.1:port: what students join */
  url: string;
  code: string;
  teacherToken: string;
  /** the teacher page's address, with the token */
  teacherUrl: string;
  process: ChildProcess;
  /** everything it printed so far (stdout and stderr) */
  out(): string;
  stop(): Promise<void>;
}

export async function serveClass(name: string, env: NodeJS.ProcessEnv, ...flags: string[]): Promise<ServedClass> {
  let out = '';
  const child = spawn(process.execPath, [BOXLAB_BIN, 'class', 'serve', name, ...flags], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const teacherUrl = await waitFor('the class server to print its teacher address', () => {
    if (child.exitCode !== null) throw new Error(`boxlab class serve exited (${child.exitCode}):\n${out}`);
    return /teacher page .*: (http:\/\/\S+\/teacher\?token=\S+)/.exec(out)?.[1];
  }, { timeoutMs: 60_000 });
  return {
    url: /served at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1],
    code: /join code: ([A-Z0-9]{5})/.exec(out)?.[1] ?? '',
    teacherToken: decodeURIComponent(/token=(\S+)/.exec(teacherUrl)![1]),
    teacherUrl,
    process: child,
    out: () => out,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
