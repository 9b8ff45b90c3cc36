// `boxlab vm list`: the sandboxes boxlab knows, with their state as the provider reports it, and a line
// on stderr for each vm that needs the user (an interrupted create, a provider that does not answer).
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
      // what a learner can do about the states that are not plain running/stopped
      for (const v of vms.filter((x) => x.state === 'broken')) this.logToStderr(`${v.name}: its create was interrupted; clean it up: boxlab vm delete ${v.name} (or create it again)`);
      for (const v of vms.filter((x) => x.problem)) this.logToStderr(`${v.name}: ${v.problem!.message}${v.problem!.suggestions[0] ? ` (${v.problem!.suggestions[0]})` : ''}`);
    }
    return vms;
  }
}
