// `boxlab lab reset [--step N]`: back to a step (step 1 also re-runs the lab's teardown and setup).
import { Flags } from '@oclif/core';
import { resetLab } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, sandboxFlags, sandboxGuest } from '../../lab-context.js';
import { formatStep } from '../../lab-format.js';

export default class LabReset extends BaseCommand {
  static override description = 'go back to a step of the active lab';
  static override enableJsonFlag = true;
  static override flags = { ...labFlags, ...sandboxFlags, step: Flags.integer({ description: 'step number (1 = start over)', default: 1 }) };

  async run(): Promise<Awaited<ReturnType<typeof resetLab>>> {
    const { flags } = await this.parse(LabReset);
    const ctx = labContext(flags);
    try {
      const r = await resetLab(ctx, await sandboxGuest(flags), flags.step);
      this.log(formatStep(r.step));
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
