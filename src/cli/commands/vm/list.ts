// `boxlab vm list`: the sandboxes boxlab knows, with their state as the provider reports it.
import type { VmSummary } from '../../../vm/vm-service.js';
import { BaseCommand } from '../../base-command.js';
import { VmService } from '../../../vm/vm-service.js';

export default class VmList extends BaseCommand {
  static override description = 'list sandbox vms';
  static override enableJsonFlag = true;

  async run(): Promise<VmSummary[]> {
    await this.parse(VmList);
    const vms = await new VmService({ progress: (l) => process.stderr.write(l + '\n') }).list();
    if (!this.jsonEnabled()) {
      this.log(`${'NAME'.padEnd(16)} ${'PROVIDER'.padEnd(10)} ${'STATE'.padEnd(9)} ${'CPUS'.padEnd(5)} ${'MEMORY'.padEnd(7)} ADDRESS`);
      for (const v of vms) this.log(`${v.name.padEnd(16)} ${v.provider.padEnd(10)} ${v.state.padEnd(9)} ${String(v.cpus).padEnd(5)} ${(v.memoryMiB + 'M').padEnd(7)} ${v.address ?? ''}${v.network ? '  net ' + v.network : ''}`);
    }
    return vms;
  }
}
