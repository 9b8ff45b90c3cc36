// QemuProvider: a sandbox is one qemu-system-x86_64 process per VM, daemonized, booting the image from
// vm-images/qemu (kernel + tiny initramfs + a qcow2 overlay over the shared ext4 image). Per-VM files
// live in the vm dir: disk.qcow2, id_ed25519 (a key made for this VM, handed to the guest via fw_cfg),
// serial.log, qmp.sock, qemu.pid. Snapshots are QEMU internal snapshots in the overlay (savevm/loadvm):
// a restore brings back the running machine, engine included, without a boot.
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../core/errors.js';
import { run } from '../../../core/exec.js';
import { TCG_SLOWDOWN, type Guest } from '../../guest.js';
import { DOCKERD_FAILED_MARKER, DOCKERD_READY_FILE, DOCKERD_READY_MARKER } from '../../images/docker-engine-variant.js';
import { boxlabCache, vmImagesCache } from '../../vm-home.js';
import type { VmCapability, VmHandle, VmProvider, VmSpec, VmStatus } from '../../vm-provider.js';
import { SshGuest } from '../ssh/ssh-guest.js';
import { freePort, portOpen } from './free-port.js';
import { HOSTFWD_ATTEMPTS, isHostfwdPortTaken } from './port-race.js';
import { probeAccelerator } from './kvm-probe.js';
import { buildQemuArgs, labMac, labMulticast, type QemuAccelerator } from './qemu-args.js';
import { parseInfoSnapshots, QmpClient } from './qmp-client.js';
import { isSshBanner, lastLines, readBanner } from './ssh-readiness.js';

export interface QemuProviderOptions {
  cacheRoot?: string;
  progress?: (line: string) => void;
  /** how long a boot may take until the engine is ready (default 120 s, $BOXLAB_VM_BOOT_TIMEOUT in s) */
  bootTimeoutMs?: number;
}

interface QemuData {
  disk?: string;
  kernel?: string;
  initrd?: string;
  baseDisk?: string;
  image?: string;
  sshPort?: number;
  accel?: QemuAccelerator;
}

export class QemuProvider implements VmProvider {
  readonly name = 'qemu' as const;
  readonly capabilities: readonly VmCapability[] = ['snapshots', 'memorySnapshots', 'portForwarding', 'labNetwork', 'stopStart', 'vmBoundary'];
  private readonly guests = new Map<string, SshGuest>();
  private readonly cacheRoot: string;
  private readonly say: (line: string) => void;
  private readonly bootTimeoutMs: number;

  constructor(options: QemuProviderOptions = {}) {
    this.cacheRoot = options.cacheRoot ?? vmImagesCache();
    this.say = options.progress ?? (() => undefined);
    this.bootTimeoutMs = options.bootTimeoutMs ?? Number(process.env.BOXLAB_VM_BOOT_TIMEOUT ?? 120) * 1000;
  }

  async validate(spec: VmSpec): Promise<void> {
    for (const bin of ['qemu-system-x86_64', 'qemu-img']) {
      const r = await run('sh', ['-c', 'command -v "$1"', 'sh', bin], { allowFailure: true });
      if (r.exitCode !== 0) {
        throw new AppError('FAILED_PRECONDITION', `${bin} is not installed, so the qemu provider cannot run`, {
          suggestions: ['install it: apt-get install qemu-system-x86 qemu-utils', 'or use another provider: --provider multipass|ssh|local'],
        });
      }
    }
    if (spec.memoryMiB < 512) throw new AppError('INVALID_ARGUMENT', `memory ${spec.memoryMiB}M is too small for a sandbox: expected at least 512M`);
    // free memory and disk are checked per vm before qemu starts: src/vm/preflight.ts, run by VmService
    if (spec.cpus < 1 || spec.cpus > os.cpus().length) {
      throw new AppError('INVALID_ARGUMENT', `--cpus ${spec.cpus} is out of range: this host has ${os.cpus().length}`);
    }
  }

  async create(vm: VmHandle, progress?: (line: string) => void): Promise<void> {
    const d = vm.data as QemuData;
    const disk = path.join(vm.dir, 'disk.qcow2');
    if (d.disk && (await exists(disk))) return;
    await fs.mkdir(vm.dir, { recursive: true });
    // the image builder (and the engine's image code it bundles) is loaded here, when a vm is made, not by
    // every command that imports the providers: a lab command on this host starts without it (ADR 0019)
    const { ensureQemuImage } = await import('../../images/qemu-image-builder.js');
    const image = await ensureQemuImage({ cacheRoot: this.cacheRoot, progress: progress ?? this.say, variant: vm.spec.engine });
    if (image.cached) (progress ?? this.say)(`vm image ${image.hash}: cached`);
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', image.disk, '-F', 'raw', disk]);
    // ssh2 (a large library) is loaded here, not by every command that imports the providers
    const { default: ssh2 } = await import('ssh2');
    const keys = ssh2.utils.generateKeyPairSync('ed25519', { comment: `boxlab-${vm.name}` });
    await fs.writeFile(path.join(vm.dir, 'id_ed25519'), keys.private, { mode: 0o600 });
    await fs.writeFile(path.join(vm.dir, 'authorized_keys'), keys.public + '\n');
    await fs.writeFile(path.join(vm.dir, 'hostname'), vm.name);
    if (vm.spec.network) {
      await fs.writeFile(path.join(vm.dir, 'lab-address'), vm.spec.network.address);
      const hosts = Object.entries(vm.spec.network.peers).map(([n, a]) => `${a.replace(/\/\d+$/, '')} ${n}`).join('\n');
      await fs.writeFile(path.join(vm.dir, 'lab-hosts'), hosts + '\n');
    }
    await vm.save({ disk, kernel: image.kernel, initrd: image.initrd, baseDisk: image.disk, image: image.hash } satisfies QemuData);
  }

  async start(vm: VmHandle, loadvm?: string): Promise<void> {
    if ((await this.status(vm)).state === 'running') return;
    const d = vm.data as QemuData;
    if (!d.disk || !d.kernel || !d.initrd) throw new AppError('FAILED_PRECONDITION', `vm "${vm.name}" has no disk yet`, { suggestions: [`recreate it: boxlab vm delete ${vm.name} && boxlab vm create ${vm.name}`] });
    let accel = d.accel;
    if (!accel) {
      const probe = await probeAccelerator(d.kernel, boxlabCache());
      accel = probe.accel;
      // without kvm every guest instruction is emulated: say why, since boots and labs get much slower
      if (accel === 'tcg') this.say(`vm "${vm.name}": kvm is not usable here (${probe.reason}), so qemu emulates the cpu (tcg): slower boots and labs`);
    }
    const fwCfg: Record<string, string> = { authorized_keys: path.join(vm.dir, 'authorized_keys'), hostname: path.join(vm.dir, 'hostname') };
    if (vm.spec.network) Object.assign(fwCfg, { 'lab-address': path.join(vm.dir, 'lab-address'), 'lab-hosts': path.join(vm.dir, 'lab-hosts') });
    await fs.writeFile(path.join(vm.dir, 'serial.log'), '');
    let lastErr = '';
    for (let attempt = 0; attempt < HOSTFWD_ATTEMPTS; attempt++) {
      const sshPort = await freePort();
      const args = buildQemuArgs({
        name: vm.name, vmDir: vm.dir, accel, cpus: vm.spec.cpus, memoryMiB: vm.spec.memoryMiB, kernel: d.kernel, initrd: d.initrd, disk: d.disk, sshPort, fwCfg, loadvm,
        labNetwork: vm.spec.network ? { mcast: labMulticast(vm.spec.network.name, path.dirname(vm.dir)), mac: labMac(vm.name) } : undefined,
      });
      const r = await run('qemu-system-x86_64', args, { allowFailure: true, timeout: 60_000 });
      if (r.exitCode === 0) {
        await vm.save({ sshPort, accel } satisfies QemuData);
        this.say(`vm "${vm.name}": qemu started (${accel}, ssh on 127.0.0.1:${sshPort}), waiting for the engine`);
        await this.waitReady(vm, sshPort, loadvm === undefined);
        return;
      }
      lastErr = r.stderr.trim();
      if (!isHostfwdPortTaken(lastErr)) break; // only a port race is worth a retry
    }
    if (isHostfwdPortTaken(lastErr)) {
      throw new AppError('UNAVAILABLE', `qemu could not start vm "${vm.name}": ${HOSTFWD_ATTEMPTS} free ports for its ssh forwarding were taken before qemu could bind them`, {
        suggestions: ['another program is opening many ports on 127.0.0.1: try again in a moment', `see who listens: ss -ltnp`],
      });
    }
    throw new AppError('COMMAND_FAILED', `qemu could not start vm "${vm.name}": ${lastErr}`, {
      suggestions: ['a port may be taken or memory short: try again, or boxlab vm delete ' + vm.name],
    });
  }

  /**
   * A cold boot is watched on the serial console (init prints BOXLAB-READY), which costs the guest
   * nothing; polling SSH meanwhile would steal the one emulated CPU from the booting engine. Then (and
   * straight away after a loadvm) the SSH banner, a real login and the ready marker are checked.
   */
  private async waitReady(vm: VmHandle, port: number, coldBoot = false): Promise<void> {
    const deadline = Date.now() + this.bootTimeoutMs;
    const serial = path.join(vm.dir, 'serial.log');
    let readyOnConsole = false;
    // the docker variant is ready when dockerd answers `docker info` too (its hook says so after boxlabd)
    const docker = vm.spec.engine === 'docker';
    while (coldBoot && Date.now() < deadline) {
      if ((await this.status(vm)).state !== 'running') return this.bootFailed(vm, 'qemu exited during boot');
      const text = await fs.readFile(serial, 'latin1').catch(() => '');
      if ((readyOnConsole = text.includes('BOXLAB-READY') && (!docker || text.includes(DOCKERD_READY_MARKER)))) break;
      if (text.includes('BOXLAB-ENGINE-FAILED')) return this.bootFailed(vm, 'boxlabd did not start in the vm');
      if (docker && text.includes(DOCKERD_FAILED_MARKER)) return this.bootFailed(vm, 'dockerd did not start in the vm (its log: /var/log/dockerd.log)');
      await sleep(50);
    }
    let guest: SshGuest | undefined;
    while (Date.now() < deadline) {
      if ((await this.status(vm)).state !== 'running') return this.bootFailed(vm, 'qemu exited during boot');
      if (!guest) {
        if (isSshBanner(await readBanner(port))) {
          guest = await this.connect(vm).catch(() => undefined);
          // init wrote READY after the engine answered: a login that works is all that is left to see
          if (guest && readyOnConsole) return this.dropGuest(vm);
        }
      } else {
        const r = await guest.exec(['test', '-e', '/run/boxlab/ready', ...(docker ? ['-a', '-e', DOCKERD_READY_FILE] : [])], { timeoutMs: 10_000 }).catch(() => undefined);
        if (r?.exitCode === 0) {
          // an open SSH connection keeps a CLI process alive: guest() connects again when asked
          await this.dropGuest(vm);
          return;
        }
        if (!r) guest = undefined;
      }
      await sleep(150);
    }
    return this.bootFailed(vm, `${docker ? 'boxlabd and dockerd' : 'the engine'} did not get ready within ${Math.round(this.bootTimeoutMs / 1000)} s`);
  }

  private async bootFailed(vm: VmHandle, why: string): Promise<never> {
    const console = lastLines(await fs.readFile(path.join(vm.dir, 'serial.log'), 'utf8').catch(() => ''));
    await this.kill(vm);
    // the kernel boots quietly: an empty console means it had not reached init yet (slow host) or never ran
    const seen = console.length ? `last console lines:\n${console.map((l) => '  | ' + l).join('\n')}` : 'the console stayed empty (the kernel did not reach init)';
    throw new AppError('UNAVAILABLE', `vm "${vm.name}" did not answer: ${why}; ${seen}`, {
      suggestions: [`the whole console is in ${path.join(vm.dir, 'serial.log')}`, 'under TCG a boot takes ~6 s per vm; run fewer vms at once'],
    });
  }

  async stop(vm: VmHandle): Promise<void> {
    if ((await this.status(vm)).state !== 'running') return;
    const g = this.guests.get(vm.dir);
    if (g?.connected) await g.exec(['sync'], { timeoutMs: 10_000 }).catch(() => undefined);
    await this.dropGuest(vm);
    try {
      const q = await QmpClient.connect(path.join(vm.dir, 'qmp.sock'));
      await q.command('quit').catch(() => undefined);
      q.close();
    } catch {
      /* fall through to the signal */
    }
    await this.kill(vm);
  }

  private async kill(vm: VmHandle): Promise<void> {
    await this.dropGuest(vm);
    const pid = await this.pid(vm);
    if (pid === undefined) return;
    for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
    if (isAlive(pid)) {
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(50);
    }
    await fs.rm(path.join(vm.dir, 'qemu.pid'), { force: true });
  }

  async destroy(vm: VmHandle): Promise<void> {
    const pid = await this.pid(vm);
    if (pid !== undefined) {
      await this.dropGuest(vm);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(50);
    }
    // delete returns when the forwarded ssh port is free again (a loaded host can take a moment to tear down)
    const port = (vm.data as QemuData).sshPort;
    for (let i = 0; port && i < 50 && (await portOpen(port)); i++) await sleep(100);
    await fs.rm(vm.dir, { recursive: true, force: true });
  }

  async status(vm: VmHandle): Promise<VmStatus> {
    if (!(await exists(vm.dir))) return { state: 'missing' };
    const pid = await this.pid(vm);
    const port = (vm.data as QemuData).sshPort;
    if (pid !== undefined) return { state: 'running', address: port ? `127.0.0.1:${port}` : undefined, detail: `qemu pid ${pid}` };
    return { state: 'stopped' };
  }

  async guest(vm: VmHandle): Promise<Guest> {
    if ((await this.status(vm)).state !== 'running') {
      throw new AppError('FAILED_PRECONDITION', `vm "${vm.name}" is not running`, { suggestions: [`start it: boxlab vm start ${vm.name}`] });
    }
    const g = this.guests.get(vm.dir);
    if (g?.connected) return g;
    return this.connect(vm);
  }

  async snapshot(vm: VmHandle, snapshot: string): Promise<void> {
    if ((await this.status(vm)).state === 'running') {
      const g = this.guests.get(vm.dir);
      if (g?.connected) await g.exec(['sync'], { timeoutMs: 10_000 }).catch(() => undefined);
      const q = await QmpClient.connect(path.join(vm.dir, 'qmp.sock'));
      try {
        await q.hmp(`savevm ${snapshot}`);
      } finally {
        q.close();
      }
    } else {
      await run('qemu-img', ['snapshot', '-c', snapshot, (vm.data as QemuData).disk!]);
    }
  }

  async restore(vm: VmHandle, snapshot: string): Promise<void> {
    const known = await this.listSnapshots(vm);
    if (!known.includes(snapshot)) {
      throw new AppError('NOT_FOUND', `snapshot "${snapshot}" of vm "${vm.name}" not found`, {
        suggestions: [known.length ? `snapshots: ${known.join(', ')}` : `take one: boxlab vm snapshot ${vm.name} ${snapshot}`],
      });
    }
    if ((await this.status(vm)).state === 'running') {
      // the guest's TCP connections do not survive a loadvm: reconnect afterwards
      await this.dropGuest(vm);
      const q = await QmpClient.connect(path.join(vm.dir, 'qmp.sock'));
      try {
        await q.hmp(`loadvm ${snapshot}`);
      } finally {
        q.close();
      }
      await this.waitReady(vm, (vm.data as QemuData).sshPort!);
    } else {
      await this.start(vm, snapshot);
    }
  }

  /**
   * the snapshot of several VMs at one instant (a multi-node lab's nodes, ADR 0018): each guest synced,
   * every VM paused (QMP stop) so no node runs on while another is saved, the savevms in parallel, then
   * every VM resumed together. The nodes' TCP connections to each other stay consistent: a restore
   * brings back both ends of each as they were at the same moment.
   */
  async snapshotGroup(vms: readonly VmHandle[], snapshot: string): Promise<void> {
    for (const vm of vms) {
      if ((await this.status(vm)).state !== 'running') throw new AppError('FAILED_PRECONDITION', `vm "${vm.name}" is not running`, { suggestions: [`start it: boxlab vm start ${vm.name}`] });
    }
    await Promise.all(vms.map(async (vm) => (await this.guest(vm)).exec(['sync'], { timeoutMs: 30_000 }).catch(() => undefined)));
    await Promise.all(vms.map((vm) => this.dropGuest(vm)));
    await this.allPaused(vms, (q) => q.hmp(`savevm ${snapshot}`));
  }

  /**
   * several VMs back to one snapshot together: the running ones paused, loaded in parallel and resumed at
   * once; the stopped ones started from it (-loadvm, no boot); then each guest's login is awaited
   */
  async restoreGroup(vms: readonly VmHandle[], snapshot: string): Promise<void> {
    for (const vm of vms) {
      const known = await this.listSnapshots(vm);
      if (!known.includes(snapshot)) throw new AppError('NOT_FOUND', `snapshot "${snapshot}" of vm "${vm.name}" not found`, { suggestions: [known.length ? `snapshots: ${known.join(', ')}` : `take one: boxlab vm snapshot ${vm.name} ${snapshot}`] });
    }
    const running: VmHandle[] = [];
    const stopped: VmHandle[] = [];
    for (const vm of vms) ((await this.status(vm)).state === 'running' ? running : stopped).push(vm);
    await Promise.all(running.map((vm) => this.dropGuest(vm)));
    await this.allPaused(running, (q) => q.hmp(`loadvm ${snapshot}`));
    await Promise.all([...running.map((vm) => this.waitReady(vm, (vm.data as QemuData).sshPort!)), ...stopped.map((vm) => this.start(vm, snapshot))]);
  }

  /** runs `each` on every VM's monitor while all of them are paused, in parallel; resumes them all after, also on failure */
  private async allPaused(vms: readonly VmHandle[], each: (q: QmpClient) => Promise<unknown>): Promise<void> {
    const monitors = await Promise.all(vms.map((vm) => QmpClient.connect(path.join(vm.dir, 'qmp.sock'))));
    try {
      await Promise.all(monitors.map((q) => q.command('stop')));
      await Promise.all(monitors.map(each));
    } finally {
      await Promise.all(monitors.map((q) => q.command('cont').catch(() => undefined)));
      for (const q of monitors) q.close();
    }
  }

  async listSnapshots(vm: VmHandle): Promise<string[]> {
    const disk = (vm.data as QemuData).disk;
    if (!disk) return [];
    const r = await run('qemu-img', ['snapshot', '-l', '-U', disk], { allowFailure: true });
    return parseInfoSnapshots(r.stdout);
  }

  private async connect(vm: VmHandle): Promise<SshGuest> {
    const port = (vm.data as QemuData).sshPort!;
    const privateKey = await fs.readFile(path.join(vm.dir, 'id_ed25519'));
    const slowdown = (vm.data as QemuData).accel === 'tcg' ? TCG_SLOWDOWN : 1;
    // the handshake (key exchange, login) is guest CPU work: under TCG on a loaded host (three nodes
    // resumed from a snapshot at once, a load of 15) it can take longer than 20 s, and waitReady's retry
    // begins it again each time: it would never log in before the ready deadline. Scaled like check time-outs
    const g = await SshGuest.connect(`qemu:${vm.name}`, { host: '127.0.0.1', port, user: 'root', privateKey, readyTimeoutMs: 20_000 * slowdown }, slowdown);
    this.guests.set(vm.dir, g);
    return g;
  }

  private async dropGuest(vm: VmHandle): Promise<void> {
    const g = this.guests.get(vm.dir);
    this.guests.delete(vm.dir);
    await g?.close().catch(() => undefined);
  }

  /** the qemu pid, only when that process is alive and really is this VM's qemu */
  private async pid(vm: VmHandle): Promise<number | undefined> {
    const text = await fs.readFile(path.join(vm.dir, 'qemu.pid'), 'utf8').catch(() => '');
    const pid = Number(text.trim());
    if (!pid) return undefined;
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    return cmdline.includes(vm.dir) && isAlive(pid) ? pid : undefined;
  }
}

/** alive and not a zombie: a daemonized qemu's parent may be a PID 1 that does not reap */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

