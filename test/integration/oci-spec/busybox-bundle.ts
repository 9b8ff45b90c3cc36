// Test helper: an OCI bundle with a busybox rootfs (cp /bin/busybox + applet links) and a config.json
// from buildSpec, run with runc under a private --root, and removed (runc state, cgroups, files) after.
import { spawn } from 'node:child_process';
import { promises as fs, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { run, type RunResult } from '../../../src/core/exec.js';
import { buildSpec } from '../../../src/engine/containers/oci-spec/build-spec.js';
import type { SpecInput } from '../../../src/engine/containers/oci-spec/spec-input.js';
import { readHostFacts } from '../../../src/engine/host/host-facts.js';
import type { RuntimeSpec } from '../../../src/engine/oci-runtime-spec.js';

const APPLETS = ['sh', 'cat', 'grep', 'echo', 'sleep', 'touch', 'ls', 'dd', 'id', 'head', 'true', 'mkdir', 'ps', 'wc'];

export class BusyboxBundle {
  readonly dir: string;
  readonly rootfs: string;
  readonly runcRoot: string;
  /** the parent cgroup of every container of this bundle, removed at the end */
  readonly cgroupParent: string;
  private ids: string[] = [];
  private host: SpecInput['host'] = {};

  constructor(area: string) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), `boxlab-${area}-`));
    this.rootfs = path.join(this.dir, 'rootfs');
    this.runcRoot = path.join(this.dir, 'runc');
    this.cgroupParent = `/boxlab-test-${randomBytes(4).toString('hex')}`;
  }

  async init(): Promise<this> {
    this.host = await readHostFacts();
    await fs.mkdir(path.join(this.rootfs, 'bin'), { recursive: true });
    for (const d of ['proc', 'sys', 'dev', 'tmp', 'etc']) await fs.mkdir(path.join(this.rootfs, d), { recursive: true });
    await fs.copyFile('/bin/busybox', path.join(this.rootfs, 'bin/busybox'));
    await fs.chmod(path.join(this.rootfs, 'bin/busybox'), 0o755);
    for (const a of APPLETS) await fs.symlink('busybox', path.join(this.rootfs, 'bin', a));
    await fs.writeFile(path.join(this.rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
    await fs.writeFile(path.join(this.rootfs, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
    return this;
  }

  newId(): string {
    const id = `boxlab-it-${randomBytes(5).toString('hex')}`;
    this.ids.push(id);
    return id;
  }

  input(id: string, overrides: Partial<SpecInput> = {}): SpecInput {
    return {
      id,
      rootfs: this.rootfs,
      args: ['true'],
      env: ['PATH=/bin', `HOSTNAME=${id.slice(0, 12)}`],
      cwd: '/',
      user: { uid: 0, gid: 0 },
      hostname: id.slice(0, 12),
      terminal: false,
      mounts: [],
      hostConfig: {},
      cgroupsPath: `${this.cgroupParent}/${id}`,
      network: { mode: 'none' },
      host: this.host,
      ...overrides,
    };
  }

  async write(id: string, spec: RuntimeSpec): Promise<string> {
    const bundle = path.join(this.dir, 'bundles', id);
    await fs.mkdir(bundle, { recursive: true });
    await fs.writeFile(path.join(bundle, 'config.json'), JSON.stringify(spec, null, 2));
    return bundle;
  }

  /** runc run in the foreground; output and exit code */
  async run(overrides: Partial<SpecInput> & { keep?: boolean } = {}): Promise<RunResult & { id: string }> {
    const id = this.newId();
    const { keep, ...rest } = overrides;
    const bundle = await this.write(id, buildSpec(this.input(id, rest)));
    const args = ['--root', this.runcRoot, 'run', ...(keep ? ['--keep'] : []), '--bundle', bundle, id];
    const result = await run('runc', args, { allowFailure: true, timeout: 30000 });
    return { ...result, id };
  }

  /** runc run -d, stdio to /dev/null (a detached container must not hold our pipes open) */
  async runDetached(overrides: Partial<SpecInput> = {}): Promise<string> {
    const id = this.newId();
    const bundle = await this.write(id, buildSpec(this.input(id, overrides)));
    await new Promise<void>((resolve, reject) => {
      const child = spawn('runc', ['--root', this.runcRoot, 'run', '-d', '--bundle', bundle, id], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`runc run -d ${id} exited ${code}`))));
    });
    return id;
  }

  async exec(id: string, args: string[]): Promise<RunResult> {
    return run('runc', ['--root', this.runcRoot, 'exec', id, ...args], { allowFailure: true, timeout: 30000 });
  }

  async delete(id: string): Promise<void> {
    await run('runc', ['--root', this.runcRoot, 'kill', id, 'KILL'], { allowFailure: true });
    await run('runc', ['--root', this.runcRoot, 'delete', '-f', id], { allowFailure: true });
  }

  /** what runc still knows about (should be nothing after cleanup) */
  async runcList(): Promise<string[]> {
    const out = await run('runc', ['--root', this.runcRoot, 'list', '-q'], { allowFailure: true });
    return out.stdout.split('\n').filter((l) => l.trim() !== '');
  }

  async cleanup(): Promise<void> {
    for (const id of this.ids) await this.delete(id);
    // runc removes the container's cgroup but not the parent we chose
    const controllers = await fs.readdir('/sys/fs/cgroup').catch(() => [] as string[]);
    for (const c of ['', ...controllers]) await fs.rmdir(path.join('/sys/fs/cgroup', c, this.cgroupParent)).catch(() => undefined);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
