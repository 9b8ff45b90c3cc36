// `boxlab vm snapshot <name> <snapshot>`: saves the whole vm (qemu: RAM and disk, savevm) to reset a lab in seconds.
import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { VmService } from '../../../vm/vm-service.js';

export default class VmSnapshot extends BaseCommand {
  static override description = 'save a snapshot of a sandbox vm';
  static override enableJsonFlag = true;
  static override args = {
    name: Args.string({ description: 'vm name', required: true }),
    snapshot: Args.string({ description: 'snapshot name', required: true }),
  };

  async run(): Promise<{ name: string; snapshot: string; ms: number }> {
    const { args } = await this.parse(VmSnapshot);
    const t0 = Date.now();
    await new VmService({ progress: (l) => process.stderr.write(l + '\n') }).snapshot(args.name, args.snapshot);
    const ms = Date.now() - t0;
    this.log(`${args.name}: snapshot "${args.snapshot}" saved in ${(ms / 1000).toFixed(1)} s`);
    return { name: args.name, snapshot: args.snapshot, ms };
  }
}
