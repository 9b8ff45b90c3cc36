// `boxlab lab list`: the lab catalog with the learner's progress.
import type { CatalogEntry } from '../../../labs/lab-session.js';
import { listCatalog } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags } from '../../lab-context.js';

export default class LabList extends BaseCommand {
  static override description = 'list the labs, with your progress';
  static override enableJsonFlag = true;
  static override flags = { ...labFlags };

  async run(): Promise<CatalogEntry[]> {
    const { flags } = await this.parse(LabList);
    const ctx = labContext(flags);
    const labs = await listCatalog(ctx);
    ctx.store.close();
    for (const l of labs) {
      const progress = l.finished ? '✔ done' : l.currentStep > 0 ? `${l.currentStep}/${l.steps}` : '';
      const minutes = l.durationMinutes ? `${l.durationMinutes} min` : '';
      this.log(`${l.id.padEnd(32)} ${l.title.padEnd(36)} ${minutes.padEnd(7)} ${progress}${l.problems ? `  (${l.problems} problems)` : ''}`);
    }
    return labs;
  }
}
