// `boxlab up`: the default sandbox, ready for a lab: creates (or reuses) the vm "boxlab" with the default
// provider (multipass if installed, else qemu) and reports where its engine is.
import { Flags } from '@oclif/core';
import { defaultProviderName } from '../../vm/provider-registry.js';
import { parseProviderName, PROVIDERS } from '../../vm/vm-provider.js';
import { parseMemory } from '../../vm/vm-cli-options.js';
import type { VmSummary } from '../../vm/vm-service.js';
import { BaseCommand } from '../base-command.js';
import { DEFAULT_SANDBOX_VM } from '../../vm/sandbox-guest.js';
import { VmService } from '../../vm/vm-service.js';

export default class Up extends BaseCommand {
  static override description = 'bring up the default sandbox vm with boxlabd inside';
  static override enableJsonFlag = true;
  static override flags = {
    name: Flags.string({ char: 'n', description: 'vm name (lab commands use "boxlab" by themselves, others with --vm)', default: DEFAULT_SANDBOX_VM }),
    provider: Flags.string({ description: 'sandbox technology (default: multipass if installed, else qemu)', options: [...PROVIDERS], env: 'BOXLAB_VM_PROVIDER' }),
    cpus: Flags.integer({ description: 'virtual CPUs', default: 2, min: 1 }),
    memory: Flags.string({ description: 'memory, e.g. 1G', default: '1G' }),
  };

  async run(): Promise<VmSummary> {
    const { flags } = await this.parse(Up);
    const provider = parseProviderName(flags.provider ?? defaultProviderName());
    const svc = new VmService({ progress: this.jsonEnabled() ? () => undefined : (l) => this.logToStderr(l) });
    const t0 = Date.now();
    let vm = await svc.create(flags.name, provider, { cpus: flags.cpus, memoryMiB: parseMemory(flags.memory) });
    if (vm.state === 'stopped') vm = await svc.start(flags.name);
    // the default vm is where lab commands go by themselves; another name is chosen with --vm
    const labs = vm.name === DEFAULT_SANDBOX_VM ? 'boxlab lab start <lab>' : `boxlab lab start <lab> --vm ${vm.name}`;
    this.log(`${vm.name} is up (${vm.provider}, ${((Date.now() - t0) / 1000).toFixed(1)} s). Next: ${labs}, or a shell: boxlab vm shell ${vm.name}`);
    return vm;
  }
}
