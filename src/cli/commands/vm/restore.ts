// `boxlab vm restore <name> <snapshot>`: brings the vm back to a snapshot (a running one included).
import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { VmService } from '../../../vm/vm-service.js';

export default class VmRestore extends BaseCommand {
  static override description = 'restore a sandbox vm to a snapshot';
  static override enableJsonFlag = true;
  static override args = {
    name: Args.string({ description: 'vm name', required: true }),
    snapshot: Args.string({ description: 'snapshot name', required: true }),
  };

  async run(): Promise<{ name: string; snapshot: string; ms: number }> {
    const { args } = await this.parse(VmRestore);
    const t0 = Date.now();
    await new VmService({ progress: (l) => process.stderr.write(l + '\n') }).restore(args.name, args.snapshot);
    const ms = Date.now() - t0;
    this.log(`${args.name}: restored "${args.snapshot}" in ${(ms / 1000).toFixed(1)} s`);
    return { name: args.name, snapshot: args.snapshot, ms };
  }
}
