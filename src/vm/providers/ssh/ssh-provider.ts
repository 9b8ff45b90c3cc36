// SshProvider: an existing Linux host as the sandbox (`--host --user --identity`). boxlab does not own
// the machine, so create only checks that a login works and destroy only forgets it; stop/start and
// snapshots are not offered (declared by leaving them out of capabilities).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { AppError } from '../../../core/errors.js';
import type { Guest } from '../../guest.js';
import type { SshTarget, VmCapability, VmHandle, VmProvider, VmSpec, VmStatus } from '../../vm-provider.js';
import { SshGuest } from './ssh-guest.js';

export class SshProvider implements VmProvider {
  readonly name = 'ssh' as const;
  readonly capabilities: readonly VmCapability[] = ['portForwarding', 'vmBoundary'];
  private readonly guests = new Map<string, SshGuest>();

  async validate(spec: VmSpec): Promise<void> {
    if (!spec.ssh?.host || !spec.ssh.user) {
      throw new AppError('INVALID_ARGUMENT', 'the ssh provider needs a host and a user', {
        suggestions: ['boxlab vm create far --provider ssh --host 10.0.0.5 --user ubuntu --identity ~/.ssh/id_ed25519'],
      });
    }
    if (spec.ssh.identity) await fs.access(expand(spec.ssh.identity)).catch(() => {
      throw new AppError('NOT_FOUND', `identity file "${spec.ssh!.identity}" not found`, { suggestions: ['pass the private key with --identity'] });
    });
  }

  async create(vm: VmHandle): Promise<void> {
    await fs.mkdir(vm.dir, { recursive: true });
    const g = await this.connect(vm);
    const r = await g.exec(['true'], { timeoutMs: 20_000 });
    if (r.exitCode !== 0) throw new AppError('UNAVAILABLE', `ssh host ${target(vm).host} logged in but cannot run commands (exit ${r.exitCode})`);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async destroy(vm: VmHandle): Promise<void> {
    const g = this.guests.get(vm.name);
    this.guests.delete(vm.name);
    await g?.close();
    await fs.rm(vm.dir, { recursive: true, force: true });
  }

  async status(vm: VmHandle): Promise<VmStatus> {
    const present = await fs.stat(vm.dir).then(() => true, () => false);
    if (!present) return { state: 'missing' };
    const t = target(vm);
    return { state: 'running', address: `${t.user}@${t.host}:${t.port}` };
  }

  async guest(vm: VmHandle): Promise<Guest> {
    const g = this.guests.get(vm.name);
    return g?.connected ? g : this.connect(vm);
  }

  private async connect(vm: VmHandle): Promise<SshGuest> {
    const t = target(vm);
    const privateKey = t.identity ? await fs.readFile(expand(t.identity)) : undefined;
    const g = await SshGuest.connect(`ssh:${vm.name}`, { host: t.host, port: t.port, user: t.user, privateKey });
    this.guests.set(vm.name, g);
    return g;
  }
}

function target(vm: VmHandle): SshTarget {
  if (!vm.spec.ssh) throw new AppError('INTERNAL', `vm "${vm.name}" has no ssh target`);
  return vm.spec.ssh;
}

function expand(p: string): string {
  return p.startsWith('~/') ? os.homedir() + p.slice(1) : p;
}
