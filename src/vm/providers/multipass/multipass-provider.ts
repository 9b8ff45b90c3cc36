// MultipassProvider: Canonical's Multipass manages the VM (its daemon, images, networking); boxlab
// launches an Ubuntu instance with the cloud-init file from vm-images/cloud-init, and talks to it with
// `multipass exec` / `transfer`. Every call goes through core/exec (no shell), and every
// output boxlab reads is --format json, parsed by multipass-parsers.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError, isAppError } from '../../../core/errors.js';
import { run } from '../../../core/exec.js';
import { spawn } from 'node:child_process';
import { guestArgv, GUEST_TIMEOUT_EXIT_CODE, type Guest, type GuestCommand, type GuestExecOptions, type GuestExecResult, type GuestShell, type GuestShellOptions } from '../../guest.js';
import { openPtyGuestShell } from '../../pty-guest-shell.js';
import { renderCloudInit } from '../../images/cloud-init.js';
import { withEnv } from '../../shell-quote.js';
import type { VmCapability, VmHandle, VmProvider, VmSpec, VmStatus } from '../../vm-provider.js';
import { renderHostsBlock, replaceHostsBlock } from './lab-hosts-block.js';
import { parseMultipassInfo, parseMultipassList, parseMultipassSnapshots, vmStateOf } from './multipass-parsers.js';

const MP = () => process.env.BOXLAB_MULTIPASS ?? 'multipass';

export async function multipass(args: string[], timeout = 600_000, input?: string): Promise<string> {
  try {
    return (await run(MP(), args, { timeout, input })).stdout;
  } catch (err) {
    if (isAppError(err) && /could not be run/.test(err.message)) {
      throw new AppError('FAILED_PRECONDITION', 'multipass is not installed', {
        cause: err,
        suggestions: ['install it: https://multipass.run/install (snap install multipass on Ubuntu)', 'or use --provider qemu'],
      });
    }
    if (isAppError(err) && /cannot connect to the multipass socket/i.test(err.message)) {
      throw new AppError('UNAVAILABLE', 'the multipass daemon is not running', {
        cause: err,
        suggestions: ['start it: sudo snap start multipass (Linux) or reopen the Multipass app', 'then try again'],
      });
    }
    throw err;
  }
}

export class MultipassProvider implements VmProvider {
  readonly name = 'multipass' as const;
  readonly capabilities: readonly VmCapability[] = ['snapshots', 'stopStart', 'labNetwork', 'vmBoundary'];

  async validate(spec: VmSpec): Promise<void> {
    await multipass(['version', '--format', 'json'], 30_000);
    if (spec.memoryMiB < 512) throw new AppError('INVALID_ARGUMENT', `memory ${spec.memoryMiB}M is below multipass's minimum of 512M`);
  }

  async create(vm: VmHandle, progress?: (l: string) => void): Promise<void> {
    if ((await this.status(vm)).state !== 'missing') return;
    await fs.mkdir(vm.dir, { recursive: true });
    const cloudInit = path.join(vm.dir, 'cloud-init.yaml');
    // --engine docker: Ubuntu's docker.io stays running and the shell talks to it (ADR 0008)
    await fs.writeFile(cloudInit, renderCloudInit({ hostname: vm.name, withDockerEngine: vm.spec.engine === 'docker' }));
    progress?.(`multipass launch ${vm.name} (first launch downloads the Ubuntu image; 30-60 s is normal)`);
    await multipass(['launch', '--name', vm.name, '--cpus', String(vm.spec.cpus), '--memory', `${vm.spec.memoryMiB}M`, '--cloud-init', cloudInit, '--timeout', '900']);
  }

  async start(vm: VmHandle): Promise<void> {
    await multipass(['start', vm.name]);
  }

  async stop(vm: VmHandle): Promise<void> {
    await multipass(['stop', vm.name]);
  }

  async destroy(vm: VmHandle): Promise<void> {
    if ((await this.status(vm)).state !== 'missing') await multipass(['delete', '--purge', vm.name]);
    await fs.rm(vm.dir, { recursive: true, force: true });
  }

  async status(vm: VmHandle): Promise<VmStatus> {
    const list = parseMultipassList(await multipass(['list', '--format', 'json'], 30_000));
    const i = list.find((x) => x.name === vm.name);
    if (!i) return { state: 'missing' };
    return { state: vmStateOf(i.state), address: i.ipv4[0], detail: i.release };
  }

  async info(vm: VmHandle) {
    return parseMultipassInfo(await multipass(['info', vm.name, '--format', 'json'], 30_000))[0];
  }

  async guest(vm: VmHandle): Promise<Guest> {
    const st = await this.status(vm);
    if (st.state !== 'running') {
      throw new AppError('FAILED_PRECONDITION', `vm "${vm.name}" is ${st.state}`, { suggestions: [`start it: boxlab vm start ${vm.name}`] });
    }
    return new MultipassGuest(vm.name);
  }

  /**
   * The lab network by name: every instance is already on Multipass's default network, so joining means
   * learning each one's address (`multipass info`, ipv4[0]) and writing all of them into each VM's
   * /etc/hosts block (replaced, not appended). Returns name -> address, also saved in each vm's record.
   */
  async joinLabNetwork(network: string, vms: readonly VmHandle[]): Promise<Record<string, string>> {
    const peers: Record<string, string> = {};
    for (const vm of vms) {
      const address = (await this.info(vm))?.ipv4[0];
      if (!address) {
        throw new AppError('UNAVAILABLE', `vm "${vm.name}" has no address on multipass's network yet, so lab network "${network}" cannot name it`, {
          suggestions: [`check it: multipass info ${vm.name}`, `then join again: boxlab vm create ${vms.map((v) => v.name).join(' ')} --network ${network} --provider multipass`],
        });
      }
      peers[vm.name] = address;
    }
    await this.writeHosts(network, peers, vms.map((v) => v.name));
    for (const vm of vms) await vm.save({ labPeers: peers });
    return peers;
  }

  /** the lab network's block, every peer by name, written into the /etc/hosts of each instance named (replaced, not appended) */
  private async writeHosts(network: string, peers: Record<string, string>, names: readonly string[]): Promise<void> {
    const block = renderHostsBlock(network, peers);
    for (const name of names) {
      const hosts = await multipass(['exec', name, '--', 'cat', '/etc/hosts'], 60_000);
      await multipass(['exec', name, '--', 'sudo', 'tee', '/etc/hosts'], 60_000, replaceHostsBlock(hosts, block));
    }
  }

  /**
   * Multipass snapshots a stopped instance only ("Multipass can only take snapshots of stopped
   * instances.", the snapshot docs): a running vm is stopped for it and started again after
   */
  async snapshot(vm: VmHandle, snapshot: string): Promise<void> {
    await this.snapshotGroup([vm], snapshot);
  }

  /** restores a stopped instance only, as the snapshot: a running vm is stopped first and started again after */
  async restore(vm: VmHandle, snapshot: string): Promise<void> {
    await this.requireSnapshot([vm], snapshot);
    const ran = (await this.status(vm)).state === 'running';
    if (ran) await multipass(['stop', vm.name]);
    await multipass(['restore', '--destructive', `${vm.name}.${snapshot}`]);
    if (ran) await this.startNamed([vm]);
  }

  /**
   * several vms saved together (a multi-node lab's nodes): all stopped first, so the snapshots are of one
   * quiet moment (a cluster's state written to disk, nothing half-sent), then the ones that ran started
   * again together; a failed snapshot still starts them
   */
  async snapshotGroup(vms: readonly VmHandle[], snapshot: string): Promise<void> {
    const running = await this.runningOf(vms);
    if (running.length) await multipass(['stop', ...running.map((v) => v.name)]);
    try {
      for (const vm of vms) await multipass(['snapshot', '--name', snapshot, vm.name]);
    } finally {
      if (running.length) await this.startNamed(running);
    }
  }

  /** several vms back to the snapshot: checked first (nothing stops for a missing one), stopped, restored, all started */
  async restoreGroup(vms: readonly VmHandle[], snapshot: string): Promise<void> {
    await this.requireSnapshot(vms, snapshot);
    const running = await this.runningOf(vms);
    if (running.length) await multipass(['stop', ...running.map((v) => v.name)]);
    for (const vm of vms) await multipass(['restore', '--destructive', `${vm.name}.${snapshot}`]);
    await this.startNamed(vms);
  }

  private async runningOf(vms: readonly VmHandle[]): Promise<VmHandle[]> {
    const list = parseMultipassList(await multipass(['list', '--format', 'json'], 30_000));
    return vms.filter((vm) => vmStateOf(list.find((i) => i.name === vm.name)?.state ?? 'deleted') === 'running');
  }

  private async requireSnapshot(vms: readonly VmHandle[], snapshot: string): Promise<void> {
    const text = await multipass(['list', '--snapshots', '--format', 'json'], 30_000);
    for (const vm of vms) {
      const known = parseMultipassSnapshots(text, vm.name);
      if (!known.includes(snapshot)) {
        throw new AppError('NOT_FOUND', `snapshot "${snapshot}" of vm "${vm.name}" not found`, {
          suggestions: [known.length ? `snapshots: ${known.join(', ')}` : `take one: boxlab vm snapshot ${vm.name} ${snapshot}`],
        });
      }
    }
  }

  /**
   * `multipass start a b c` (they boot side by side); a vm on a lab network whose address changed at the
   * boot (a new DHCP lease) gets its peers' /etc/hosts rewritten with the new one
   */
  private async startNamed(vms: readonly VmHandle[]): Promise<void> {
    await multipass(['start', ...vms.map((v) => v.name)]);
    const known = (vms.find((v) => v.data.labPeers)?.data.labPeers ?? {}) as Record<string, string>;
    const network = vms[0]?.spec.network?.name;
    if (!network || Object.keys(known).length === 0) return;
    const now: Record<string, string> = {};
    for (const vm of vms) {
      const address = (await this.info(vm))?.ipv4[0];
      if (address && known[vm.name] !== undefined && address !== known[vm.name]) now[vm.name] = address;
    }
    if (Object.keys(now).length === 0) return;
    const peers = { ...known, ...now };
    // every peer that runs (a stopped one reads its block when it is joined again)
    const list = parseMultipassList(await multipass(['list', '--format', 'json'], 30_000));
    await this.writeHosts(network, peers, Object.keys(peers).filter((n) => vmStateOf(list.find((i) => i.name === n)?.state ?? 'deleted') === 'running'));
    for (const vm of vms) await vm.save({ labPeers: peers });
  }

  async listSnapshots(vm: VmHandle): Promise<string[]> {
    return parseMultipassSnapshots(await multipass(['list', '--snapshots', '--format', 'json'], 30_000), vm.name);
  }
}

/** exec through `multipass exec <name> -- argv` (runs as the default ubuntu user; sudo for root work); an interactive shell through `multipass shell` */
export class MultipassGuest implements Guest {
  readonly name: string;

  constructor(private readonly instance: string) {
    this.name = `multipass:${instance}`;
  }

  exec(command: GuestCommand, options: GuestExecOptions = {}): Promise<GuestExecResult> {
    // spawn, not core/exec: a guest's output is returned byte for byte (no trailing newline stripped)
    return new Promise((resolve, reject) => {
      const child = spawn(MP(), ['exec', this.instance, '--', ...withEnv(guestArgv(command), options.env)], { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), options.timeoutMs);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => reject(new AppError('FAILED_PRECONDITION', `multipass could not be run: ${e.message}`, { cause: e })));
      child.on('close', (code) => {
        if (timer) clearTimeout(timer);
        resolve({ exitCode: timedOut ? GUEST_TIMEOUT_EXIT_CODE : (code ?? 255), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  }

  /** `multipass shell <name>` under a pty here: the instance's login shell (`lab shell <node>`, the page's node tabs) */
  openShell(options?: GuestShellOptions): Promise<GuestShell> {
    return openPtyGuestShell(MP(), ['shell', this.instance], options);
  }

  async copyTo(hostPath: string, guestPath: string): Promise<void> {
    await multipass(['transfer', '--recursive', hostPath, `${this.instance}:${guestPath}`]);
  }

  async copyFrom(guestPath: string, hostPath: string): Promise<void> {
    await multipass(['transfer', '--recursive', `${this.instance}:${guestPath}`, hostPath]);
  }
}
