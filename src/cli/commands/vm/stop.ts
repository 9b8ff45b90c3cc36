// `boxlab vm stop <name>`: stops a sandbox vm (its disk and snapshots stay).
import { Args } from '@oclif/core';
import type { VmSummary } from '../../../vm/vm-service.js';
import { BaseCommand } from '../../base-command.js';
import { VmService } from '../../../vm/vm-service.js';

export default class VmStop extends BaseCommand {
  static override description = 'stop a sandbox vm';
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'vm name', required: true }) };

  async run(): Promise<VmSummary> {
    const { args } = await this.parse(VmStop);
    const vm = await new VmService({ progress: (l) => process.stderr.write(l + '\n') }).stop(args.name);
    this.log(`${vm.name}: ${vm.state}`);
    return vm;
  }
}
