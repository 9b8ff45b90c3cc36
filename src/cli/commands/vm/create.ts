// `boxlab vm create <names...>`: makes and boots sandboxes; with --network they share one lab network
// and know each other by name. Idempotent: an existing vm is reported as it is.
import { Args, Flags } from '@oclif/core';
import { AppError } from '../../../core/errors.js';
import { defaultProviderName } from '../../../vm/provider-registry.js';
import { parseProviderName, PROVIDERS } from '../../../vm/vm-provider.js';
import { labNetworkSpecs, parseMemory } from '../../../vm/vm-cli-options.js';
import type { VmSummary } from '../../../vm/vm-service.js';
import { BaseCommand } from '../../base-command.js';
import { VmService } from '../../../vm/vm-service.js';

export default class VmCreate extends BaseCommand {
  static override description = 'create and start sandbox vms (boxlabd and a docker client inside)';
  static override examples = [
    '<%= config.bin %> vm create lab1 --provider qemu --cpus 2 --memory 2G',
    '<%= config.bin %> vm create n1 n2 n3 --network labnet',
    '<%= config.bin %> vm create n1 n2 --network labnet --engine docker --memory 1536M',
    '<%= config.bin %> vm create far --provider ssh --host 10.0.0.5 --user ubuntu --identity ~/.ssh/id_ed25519',
  ];
  static override enableJsonFlag = true;
  static override strict = false;
  static override args = { name: Args.string({ description: 'vm names', required: true }) };
  static override flags = {
    provider: Flags.string({ description: 'sandbox technology (default: multipass if installed, else qemu)', options: [...PROVIDERS], env: 'BOXLAB_VM_PROVIDER' }),
    cpus: Flags.integer({ description: 'virtual CPUs', default: 2, min: 1 }),
    memory: Flags.string({ description: 'memory, e.g. 1G or 1536M', default: '1G' }),
    network: Flags.string({ description: 'put the vms on one private lab network (reach each other by name)' }),
    engine: Flags.string({ description: "qemu/multipass: 'docker' adds Debian's dockerd next to boxlabd (the shell's docker talks to it; Swarm labs)", options: ['boxlabd', 'docker'], default: 'boxlabd' }),
    host: Flags.string({ description: 'ssh provider: the host' }),
    port: Flags.integer({ description: 'ssh provider: the port', default: 22 }),
    user: Flags.string({ description: 'ssh provider: the user', default: 'root' }),
    identity: Flags.string({ description: 'ssh provider: private key file' }),
  };

  async run(): Promise<VmSummary[]> {
    const { argv, flags } = await this.parse(VmCreate);
    const names = argv as string[];
    const provider = parseProviderName(flags.provider ?? defaultProviderName());
    const memoryMiB = parseMemory(flags.memory);
    const nets = labNetworkSpecs(names, flags.network);
    const engine = flags.engine === 'docker' ? 'docker' : undefined;
    if (engine && provider !== 'qemu' && provider !== 'multipass') {
      throw new AppError('INVALID_ARGUMENT', `--engine docker needs the qemu or multipass provider, not ${provider}`, { suggestions: ['add --provider qemu', 'or install docker.io in the sandbox yourself'] });
    }
    const ssh = flags.host ? { host: flags.host, port: flags.port, user: flags.user, identity: flags.identity } : undefined;
    const svc = new VmService({ progress: this.jsonEnabled() ? () => undefined : (l) => this.logToStderr(l) });
    const out: VmSummary[] = [];
    // one at a time: under TCG each vm takes a whole host core while it boots
    for (const name of names) {
      const vm = await svc.create(name, provider, { cpus: flags.cpus, memoryMiB, network: nets.get(name), ssh, ...(engine ? { engine } : {}) });
      out.push(vm);
      this.log(`${vm.name}: ${vm.state} (${vm.provider}${vm.address ? ', ' + vm.address : ''})`);
    }
    // multipass: the vms learn each other's addresses once all of them exist
    if (flags.network && (await svc.joinLabNetwork(flags.network, names))) {
      for (let i = 0; i < out.length; i++) out[i] = (await svc.inspect(out[i]!.name)) ?? out[i]!;
    }
    return out;
  }
}
