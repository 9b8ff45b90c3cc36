// `boxlab lab list`: the lab catalog with the learner's progress, in columns (lab-format.ts formatCatalog).
import type { CatalogEntry } from '../../../labs/lab-session.js';
import { listCatalog } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags } from '../../lab-context.js';
import { formatCatalog } from '../../lab-format.js';

export default class LabList extends BaseCommand {
  static override description = 'list the labs, with your progress';
  static override enableJsonFlag = true;
  static override flags = { ...labFlags };

  async run(): Promise<CatalogEntry[]> {
    const { flags } = await this.parse(LabList);
    const ctx = labContext(flags);
    const labs = await listCatalog(ctx);
    ctx.store.close();
    if (labs.length > 0) this.log(formatCatalog(labs, ctx.lang));
    return labs;
  }
}
