// The runc commands of the lifecycle: run (the shim runs it, see shim.ts), kill, pause, resume, update,
// delete, list, exec. Argument builders are pure and are the only place these argument lists are written;
// Runc runs them through the container plane's process port (core/exec.ts's `run` in the engine).
import { promises as fs } from 'node:fs';
import { run as exec } from '../../core/exec.js';
import type { ProcessRunner } from './container-deps.js';
import { deleteStoppedState } from './stopped-runc-state.js';

/** what `runc run` needs: where runc keeps its state, where it logs, and the bundle */
export interface RuncRunParams {
  root: string;
  /** runc's own log, in json: why a process could not start (shim.ts's lastRuncError reads it) */
  log: string;
  /** runc writes the container's pid here once the process runs (start waits for it) */
  pidFile: string;
  bundle: string;
  id: string;
}

export const runcArgs = {
  /** --keep: the container stays in runc after its exit, so its cgroup (and OOM counter) can still be read */
  run: (p: RuncRunParams) => ['--root', p.root, '--log', p.log, '--log-format', 'json', 'run', '--keep', '--pid-file', p.pidFile, '--bundle', p.bundle, p.id],
  kill: (root: string, id: string, signal: string, all = false) => ['--root', root, 'kill', ...(all ? ['--all'] : []), id, signal],
  pause: (root: string, id: string) => ['--root', root, 'pause', id],
  resume: (root: string, id: string) => ['--root', root, 'resume', id],
  /** the new linux.resources come as JSON on stdin */
  update: (root: string, id: string) => ['--root', root, 'update', '--resources', '-', id],
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
  constructor(
    readonly root: string,
    readonly binary = 'runc',
    private readonly run: ProcessRunner = exec,
  ) {}

  kill(id: string, signal: string, all = false) {
    return this.run(this.binary, runcArgs.kill(this.root, id, signal, all));
  }
  pause(id: string) {
    return this.run(this.binary, runcArgs.pause(this.root, id));
  }
  resume(id: string) {
    return this.run(this.binary, runcArgs.resume(this.root, id));
  }
  /** rewrites the live cgroup of a running (or paused) container: `docker update` */
  update(id: string, resources: object) {
    return this.run(this.binary, runcArgs.update(this.root, id), { input: JSON.stringify(resources) });
  }
  /** removes the container's runc state and cgroup; with force, kills it first if it still runs */
  async delete(id: string, force = false): Promise<boolean> {
    const r = await this.run(this.binary, runcArgs.delete(this.root, id, force), { allowFailure: true });
    return r.exitCode === 0;
  }
  /**
   * After `runc run --keep` returned (its init has exited): the engine removes the cgroup and runc's state
   * itself in the plain case (stopped-runc-state.ts), else `runc delete --force`; says who deleted it,
   * undefined when runc did not know the container.
   */
  async deleteExited(id: string): Promise<'engine' | 'runc' | undefined> {
    const done = await deleteStoppedState(this.root, id);
    if (done === 'removed') return 'engine';
    if (done === 'absent') return undefined;
    return (await this.delete(id, true)) ? 'runc' : undefined;
  }
  async list(): Promise<Array<{ id: string; pid: number; status: string }>> {
    // runc keeps a folder per container under its root: with none there is nothing to ask (a fresh
    // engine's start-up skips one spawn, ~0.5 s at a sandbox VM's first boot under TCG)
    if ((await fs.readdir(this.root).catch(() => [])).length === 0) return [];
    const r = await this.run(this.binary, runcArgs.list(this.root), { allowFailure: true });
    return r.exitCode === 0 ? parseRuncList(r.stdout) : [];
  }
}
