// `boxlab serve` for a page test that needs no engine (labs of plain files): provider local, the engine's
// socket and root under a plain file so no boxlabd can start, the given labs, progress and lab folder in
// the test's own temp dir. Resolves with the printed address once serve printed it; stop() ends serve.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ServedPage {
  url: string;
  log(): string;
  stop(): Promise<void>;
}

export async function serveWithoutEngine(dir: string, env: Record<string, string> = {}): Promise<ServedPage> {
  writeFileSync(path.join(dir, 'not-a-dir'), '');
  const serve = spawn('node', [path.resolve('bin/run.js'), 'serve', '--no-open', '--port', '0', '--provider', 'local', '--lang', 'en', '--socket', path.join(dir, 'not-a-dir', 'docker.sock'), '--engine-root', path.join(dir, 'not-a-dir', 'root'), '--labs', path.join(dir, 'labs')], {
    env: { ...process.env, BOXLAB_HOME: path.join(dir, 'home'), HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const look = (d: Buffer) => {
      log += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(log);
      if (m) resolve(m[0]);
    };
    serve.stdout?.on('data', look);
    serve.stderr?.on('data', look);
    serve.once('exit', (code) => reject(new Error(`boxlab serve exited (${code}) without a URL:\n${log}`)));
  });
  return {
    url,
    log: () => log,
    async stop() {
      if (serve.exitCode !== null) return;
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    },
  };
}
