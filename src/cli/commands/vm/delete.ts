// `boxlab vm delete <names...>`: removes sandboxes and everything they own; unknown names are fine.
import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { VmService } from '../../../vm/vm-service.js';

export default class VmDelete extends BaseCommand {
  static override description = 'delete sandbox vms (disk, snapshots, keys)';
  static override enableJsonFlag = true;
  static override strict = false;
  static override args = { name: Args.string({ description: 'vm names', required: true }) };

  async run(): Promise<{ deleted: string[]; absent: string[] }> {
    const { argv } = await this.parse(VmDelete);
    const svc = new VmService({ progress: (l) => process.stderr.write(l + '\n') });
    const out = { deleted: [] as string[], absent: [] as string[] };
    for (const name of argv as string[]) {
      if (await svc.delete(name)) out.deleted.push(name);
      else out.absent.push(name);
    }
    for (const n of out.deleted) this.log(`${n}: deleted`);
    for (const n of out.absent) this.log(`${n}: did not exist`);
    return out;
  }
}
