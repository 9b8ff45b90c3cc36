// The runc commands the lifecycle uses besides `runc run` (which the shim runs): kill, pause, resume,
// delete, list, exec. Argument builders are pure; Runc runs them through src/core/exec.ts.
import { promises as fs } from 'node:fs';
import { run } from '../../core/exec.js';

export const runcArgs = {
  kill: (root: string, id: string, signal: string, all = false) => ['--root', root, 'kill', ...(all ? ['--all'] : []), id, signal],
  pause: (root: string, id: string) => ['--root', root, 'pause', id],
  resume: (root: string, id: string) => ['--root', root, 'resume', id],
  delete: (root: string, id: string, force = false) => ['--root', root, 'delete', ...(force ? ['--force'] : []), id],
  list: (root: string) => ['--root', root, 'list', '--format', 'json'],
  exec: (root: string, id: string, processFile: string, pidFile: string, tty: boolean) => [
    '--root', root, 'exec', ...(tty ? ['--tty'] : []), '--process', processFile, '--pid-file', pidFile, id,
  ],
};

/** `runc list --format json` prints null when empty */
export function parseRuncList(stdout: string): Array<{ id: string; pid: number; status: string }> {
  const v = JSON.parse(stdout.trim() || 'null') as Array<{ id: string; pid: number; status: string }> | null;
  return v ?? [];
}

export class Runc {
  constructor(readonly root: string, readonly binary = 'runc') {}

  kill(id: string, signal: string, all = false) {
    return run(this.binary, runcArgs.kill(this.root, id, signal, all));
  }
  pause(id: string) {
    return run(this.binary, runcArgs.pause(this.root, id));
  }
  resume(id: string) {
    return run(this.binary, runcArgs.resume(this.root, id));
  }
  /** removes the container's runc state and cgroup; with force, kills it first if it still runs */
  async delete(id: string, force = false): Promise<boolean> {
    const r = await run(this.binary, runcArgs.delete(this.root, id, force), { allowFailure: true });
    return r.exitCode === 0;
  }
  async list(): Promise<Array<{ id: string; pid: number; status: string }>> {
    // runc keeps a folder per container under its root: with none there is nothing to ask (a fresh
    // engine's start-up skips one spawn, ~0.5 s at a sandbox VM's first boot under TCG)
    if ((await fs.readdir(this.root).catch(() => [])).length === 0) return [];
    const r = await run(this.binary, runcArgs.list(this.root), { allowFailure: true });
    return r.exitCode === 0 ? parseRuncList(r.stdout) : [];
  }
}
