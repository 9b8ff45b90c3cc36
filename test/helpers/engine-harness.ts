// A real boxlabd for integration tests: started as a child process (`boxlab engine start`) with a temp
// root and socket, a busybox image loaded into it, and a `docker()` runner that runs the REAL docker CLI
// with DOCKER_HOST pointing at the socket. stop() removes every container and user network, then checks
// that nothing leaked: no mounts under the root and no runc state; it fails the suite if something did.
// A describe() that needs one engine calls useEngine() (engine-suite.ts), which writes these hooks.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from '../../src/core/exec.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const NEW_DOCKER = '/usr/local/bin/docker';
export const OLD_DOCKER = '/usr/bin/docker';

export interface DockerOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  /** which docker client: the newer one (negotiates down to 1.41) or Debian's 20.10 */
  cli?: 'new' | 'old';
  timeout?: number;
}

/**
 * a random /24 under 10.<from..from+49>: a test's user networks must not overlap one another, nor the
 * networks other engines on the same host (other test runs, a developer's dockerd) made
 */
export function randomSubnet(secondOctetFrom: number): string {
  const [a, b] = randomBytes(2);
  return `10.${secondOctetFrom + (a % 50)}.${b % 255}.0/24`;
}

let busyboxTarball: Promise<string> | undefined;

/** a docker-archive tarball of busybox, built once per test run with the image plane's bake recipe */
export function busyboxArchive(): Promise<string> {
  busyboxTarball ??= (async () => {
    const { bakeBusybox } = await import('../../src/engine/images/bake/busybox-recipe.js');
    const { writeDockerArchive } = await import('../../src/engine/images/docker-archive-writer.js');
    const file = path.join(os.tmpdir(), `boxlab-dockercli-busybox-${process.pid}.tar`);
    const image = await bakeBusybox();
    const out = createWriteStream(file);
    await writeDockerArchive([image], out);
    await new Promise<void>((resolve, reject) => {
      if (out.writableFinished) return resolve();
      out.once('finish', resolve);
      out.once('error', reject);
    });
    process.once('exit', () => rmSync(file, { force: true }));
    return file;
  })();
  return busyboxTarball;
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ socketPath, path: '/_ping', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

export interface EngineHarnessOptions {
  /** extra environment for the engine process (e.g. a PATH with fake tools first), over the test's own */
  env?: Record<string, string>;
  /** the engine's root (default <temp dir>/root): e.g. a folder on a small tmpfs the test mounted, to fill the disk */
  root?: string;
  /** more `boxlab engine start` arguments, e.g. --config-file, -H tcp://127.0.0.1:0 --tlsverify ... */
  args?: string[];
}

export class EngineHarness {
  private paths?: { dir: string; root: string; socketPath: string };
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  private engineEnv?: Record<string, string>;
  private engineArgs: string[] = [];

  /** an engine of a temp dir of its own; EngineHarness.start() makes one and starts it */
  static async start(options: EngineHarnessOptions = {}): Promise<EngineHarness> {
    const harness = new EngineHarness();
    await harness.open(options);
    return harness;
  }

  /** makes the temp dir (root, socket, the docker CLI's config, the engine's log) and starts boxlabd in it */
  async open(options: EngineHarnessOptions = {}): Promise<void> {
    if (this.paths) throw new Error(`this engine harness is already open in ${this.paths.dir}`);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-dockercli-'));
    await fs.mkdir(path.join(dir, 'docker-config'));
    this.paths = { dir, root: options.root ?? path.join(dir, 'root'), socketPath: path.join(dir, 'docker.sock') };
    this.engineEnv = options.env;
    this.engineArgs = options.args ?? [];
    await this.startEngine();
  }

  /** false before open(): a suite skipped by requires() never started its engine */
  get isOpen(): boolean {
    return this.paths !== undefined;
  }

  private get opened(): { dir: string; root: string; socketPath: string } {
    if (!this.paths) throw new Error('the engine harness is not open: its before hook failed or was skipped');
    return this.paths;
  }

  /** the temp dir of this engine, removed by stop() */
  get dir(): string {
    return this.opened.dir;
  }

  /** boxlabd's --root */
  get root(): string {
    return this.opened.root;
  }

  /** boxlabd's --socket, the DOCKER_HOST of docker() */
  get socketPath(): string {
    return this.opened.socketPath;
  }

  get logFile(): string {
    return path.join(this.dir, 'boxlabd.log');
  }

  async startEngine(): Promise<void> {
    const log = await fs.open(this.logFile, 'a');
    // a daemon.json of its own: the host's /etc/boxlab/daemon.json (a developer's) must not change the tests
    const configArgs = this.engineArgs.includes('--config-file') ? [] : ['--config-file', await this.emptyConfigFile()];
    const child = spawn(process.execPath, [path.join(REPO, 'bin/run.js'), 'engine', 'start', '--socket', this.socketPath, '--root', this.root, '--log-level', 'debug', ...configArgs, ...this.engineArgs], {
      stdio: ['ignore', log.fd, log.fd],
      cwd: REPO,
      env: this.engineEnv ? { ...process.env, ...this.engineEnv } : process.env,
    });
    await log.close();
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    // if a test run ends without stop() (a hook timed out), do not leave an engine running on its own
    const reap = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.once('exit', reap);
    child.once('exit', () => process.off('exit', reap));
    const deadline = Date.now() + 15_000;
    while (!(await ping(this.socketPath))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`boxlabd did not start:\n${await this.logTail()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async emptyConfigFile(): Promise<string> {
    const file = path.join(this.dir, 'daemon.json');
    await fs.writeFile(file, '{}\n');
    return file;
  }

  /** SIGTERM (a clean stop: containers keep running) */
  async stopEngine(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    child.kill(signal);
    // a clean stop that hangs is a bug, but must not leave a stray engine behind the test run
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    try {
      return await this.exited!;
    } finally {
      clearTimeout(timer);
    }
  }

  async restartEngine(): Promise<void> {
    await this.stopEngine();
    await this.startEngine();
  }

  async logTail(lines = 40): Promise<string> {
    const text = await fs.readFile(this.logFile, 'utf8').catch(() => '');
    return text.split('\n').slice(-lines).join('\n');
  }

  get env(): Record<string, string> {
    return { DOCKER_HOST: `unix://${this.socketPath}`, DOCKER_CONFIG: path.join(this.dir, 'docker-config'), DOCKER_CLI_HINTS: 'false' };
  }

  docker(args: string[], options: DockerOptions = {}): Promise<RunResult> {
    const binary = options.cli === 'old' ? OLD_DOCKER : NEW_DOCKER;
    return run(binary, args, { input: options.input, env: { ...this.env, ...options.env }, timeout: options.timeout ?? 30_000, allowFailure: true });
  }

  /** docker that must succeed; returns stdout */
  async dockerOk(args: string[], options: DockerOptions = {}): Promise<string> {
    const res = await this.docker(args, options);
    if (res.exitCode !== 0) {
      throw new Error(`docker ${args.join(' ')} exited ${res.exitCode}\nstdout: ${res.stdout}\nstderr: ${res.stderr}\nboxlabd log:\n${await this.logTail(15)}`);
    }
    return res.stdout;
  }

  async loadBusybox(): Promise<void> {
    await this.dockerOk(['load', '-i', await busyboxArchive()]);
  }

  /** mounts under the engine's root, from /proc/self/mountinfo */
  async mountsUnderRoot(): Promise<string[]> {
    const text = await fs.readFile('/proc/self/mountinfo', 'utf8');
    return text
      .split('\n')
      .map((line) => line.split(' ')[4])
      .filter((mountPoint): mountPoint is string => mountPoint !== undefined && (mountPoint === this.root || mountPoint.startsWith(this.root + '/')));
  }

  /** container ids runc still knows under the engine's runc root */
  async runcContainers(): Promise<string[]> {
    const runcRoot = path.join(this.root, 'runc');
    const res = await run('runc', ['--root', runcRoot, 'list', '-q'], { allowFailure: true });
    return res.exitCode === 0 ? res.stdout.split('\n').filter((l) => l.trim() !== '') : [];
  }

  /** docker rm -f -v of every container, so that one failing test does not leave containers to the next */
  async removeAllContainers(): Promise<void> {
    const ids = (await this.docker(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
    if (ids.length > 0) await this.docker(['rm', '-f', '-v', ...ids]);
  }

  /** docker network rm of every user-defined network (their containers must be gone first) */
  async removeUserNetworks(): Promise<void> {
    const ids = (await this.docker(['network', 'ls', '-q', '--filter', 'type=custom'])).stdout.split('\n').filter(Boolean);
    if (ids.length > 0) await this.docker(['network', 'rm', ...ids]);
  }

  /**
   * Removes every container and user network through the API, stops the engine and checks for leaks.
   * Whatever leaked is cleaned up by hand (so other engineers' tests are not disturbed) and reported as a
   * failure. Nothing to do for a harness that never opened (its suite was skipped).
   */
  async stop(): Promise<void> {
    if (!this.paths) return;
    const problems: string[] = [];
    if (this.child && this.child.exitCode === null) {
      const ids = (await this.docker(['ps', '-aq'], { timeout: 10_000 }).catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean);
      if (ids.length > 0) {
        const rm = await this.docker(['rm', '-f', '-v', ...ids], { timeout: 20_000 }).catch((err: Error) => ({ exitCode: -1, stderr: err.message, stdout: '' }));
        if (rm.exitCode !== 0) problems.push(`docker rm -f ${ids.join(' ')} exited ${rm.exitCode}: ${rm.stderr} ${rm.stdout}`);
      }
      // the suite's user networks go too, so that their bridges and subnets do not outlive the test run
      await this.removeUserNetworks().catch(() => undefined);
    }
    await this.stopEngine();
    const leakedRunc = await this.runcContainers();
    for (const id of leakedRunc) {
      problems.push(`runc container ${id} left behind`);
      await run('runc', ['--root', path.join(this.root, 'runc'), 'delete', '--force', id], { allowFailure: true });
    }
    const leakedMounts = (await this.mountsUnderRoot()).sort((a, b) => b.length - a.length);
    for (const target of leakedMounts) {
      problems.push(`mount left behind: ${target}`);
      await run('umount', ['-l', target], { allowFailure: true });
    }
    if ((await this.mountsUnderRoot()).length === 0) await fs.rm(this.dir, { recursive: true, force: true });
    if (problems.length > 0) throw new Error(`boxlabd leaked:\n  ${problems.join('\n  ')}`);
  }
}
