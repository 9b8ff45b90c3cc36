// Debian's dockerd (docker.io, 20.10) as a test oracle: a private daemon (own data root, exec root and
// socket, no bridge, no iptables) so nothing on the host changes, given boxlab's baked busybox with
// `docker load` so both engines start from the same image id. See ../shared/notes/reference-engine.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, type RunResult } from '../../src/core/exec.js';
import { busyboxArchive, NEW_DOCKER } from './engine-harness.js';

export const DOCKERD = '/usr/sbin/dockerd';

export class ReferenceDockerd {
  private constructor(
    readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  get env(): Record<string, string> {
    return { ...(process.env as Record<string, string>), DOCKER_HOST: `unix://${path.join(this.dir, 'd.sock')}`, DOCKER_CONFIG: path.join(this.dir, 'docker-config') };
  }

  static available(): boolean {
    return existsSync(DOCKERD);
  }

  /** starts dockerd in /tmp/<prefix>-* (with more arguments, e.g. -H tcp://... --tlsverify), waits for its socket, loads boxlab's busybox */
  static async start(prefix: string, extraArgs: string[] = []): Promise<ReferenceDockerd> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
    await fs.mkdir(path.join(dir, 'docker-config'));
    const log = await fs.open(path.join(dir, 'dockerd.log'), 'w');
    const child = spawn(
      DOCKERD,
      ['--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'), '--pidfile', path.join(dir, 'dockerd.pid'),
        '-H', `unix://${path.join(dir, 'd.sock')}`, '--bridge=none', '--iptables=false', '--ip-masq=false', '--storage-driver=overlay2', ...extraArgs],
      { stdio: ['ignore', log.fd, log.fd] },
    );
    await log.close();
    const ref = new ReferenceDockerd(dir, child);
    for (let i = 0; i < 60; i++) {
      if ((await ref.docker(['version'])).exitCode === 0) {
        await ref.dockerOk(['load', '-i', await busyboxArchive()]);
        return ref;
      }
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const text = await fs.readFile(path.join(dir, 'dockerd.log'), 'utf8');
    await ref.stop();
    throw new Error(`dockerd did not start: ${text.slice(-2000)}`);
  }

  docker(args: string[], env: Record<string, string> = {}, timeout = 120_000): Promise<RunResult> {
    return run(NEW_DOCKER, args, { env: { ...this.env, ...env }, allowFailure: true, timeout });
  }

  async dockerOk(args: string[], env: Record<string, string> = {}): Promise<string> {
    const res = await this.docker(args, env);
    if (res.exitCode !== 0) throw new Error(`docker ${args.join(' ')} (dockerd) failed: ${res.stdout}\n${res.stderr}`);
    return res.stdout;
  }

  /** stops dockerd by its pid, unmounts what it left under its folder, removes the folder */
  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    const mounts = (await fs.readFile('/proc/mounts', 'utf8')).split('\n').map((l) => l.split(' ')[1]).filter((m): m is string => !!m && m.startsWith(this.dir));
    for (const m of mounts.reverse()) await run('umount', ['-l', m], { allowFailure: true });
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
