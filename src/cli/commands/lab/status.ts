// `boxlab lab status`: the active lab, its current step and what passed.
import { labStatus } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags } from '../../lab-context.js';
import { formatStep } from '../../lab-format.js';

export default class LabStatus extends BaseCommand {
  static override description = 'show the active lab and your progress';
  static override enableJsonFlag = true;
  static override flags = { ...labFlags };

  async run(): Promise<Awaited<ReturnType<typeof labStatus>>> {
    const { flags } = await this.parse(LabStatus);
    const ctx = labContext(flags);
    try {
      const r = await labStatus(ctx);
      const passed = Object.values(r.progress.passed).reduce((n, s) => n + Object.keys(s).length, 0);
      this.log(`${r.labId}: ${r.title}\nstarted ${r.progress.startedAt}, ${passed} check(s) passed${r.progress.finishedAt ? `, finished ${r.progress.finishedAt}` : ''}`);
      if (r.step) this.log(formatStep(r.step));
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
