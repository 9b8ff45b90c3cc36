// LocalProvider: "the sandbox is this host". For development and CI only, with the warning LocalGuest
// prints: there is no VM boundary. It exists so labs and the engine can be tested without booting a VM;
// it has nothing to create, so create/destroy only keep the record honest; start puts the `docker compose`
// plugin where this host's docker CLI finds it (compose-stage.ts, ADR 0015), as the VM images have it.
import { promises as fs } from 'node:fs';
import { AppError } from '../../../core/errors.js';
import type { Guest } from '../../guest.js';
import { installComposePluginLocally } from '../../images/compose-stage.js';
import type { VmCapability, VmHandle, VmProvider, VmSpec, VmStatus } from '../../vm-provider.js';
import { LocalGuest } from './local-guest.js';

export class LocalProvider implements VmProvider {
  readonly name = 'local' as const;
  readonly capabilities: readonly VmCapability[] = ['stopStart'];

  constructor(private readonly options: { warn?: ((m: string) => void) | null } = {}) {}

  async validate(_spec: VmSpec): Promise<void> {}

  async create(vm: VmHandle): Promise<void> {
    await fs.mkdir(vm.dir, { recursive: true });
  }

  async start(vm: VmHandle): Promise<void> {
    await installComposePluginLocally();
    if (vm.data.stopped !== false) await vm.save({ stopped: false });
  }

  async stop(vm: VmHandle): Promise<void> {
    await vm.save({ stopped: true });
  }

  async destroy(vm: VmHandle): Promise<void> {
    await fs.rm(vm.dir, { recursive: true, force: true });
  }

  async status(vm: VmHandle): Promise<VmStatus> {
    const present = await fs.stat(vm.dir).then(() => true, () => false);
    if (!present) return { state: 'missing' };
    return { state: vm.data.stopped === false ? 'running' : 'stopped', address: 'this host' };
  }

  async guest(vm: VmHandle): Promise<Guest> {
    if (vm.data.stopped !== false) throw new AppError('FAILED_PRECONDITION', `vm "${vm.name}" is stopped`, { suggestions: [`start it: boxlab vm start ${vm.name}`] });
    return new LocalGuest({ warn: this.options.warn === undefined ? undefined : this.options.warn });
  }
}
