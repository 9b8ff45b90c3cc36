// `boxlab lab check`: runs the current step's checks in the sandbox; passes move to the next step. On a
// finished lab it says so and checks the last step again, recording nothing.
import { checkCurrentStep, type CheckOutcome } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, labSandbox, sandboxFlags } from '../../lab-context.js';
import { formatCheck } from '../../lab-format.js';

export default class LabCheck extends BaseCommand {
  static override description = "check the current step of your lab";
  static override enableJsonFlag = true;
  static override flags = { ...labFlags, ...sandboxFlags };

  async run(): Promise<CheckOutcome> {
    const { flags } = await this.parse(LabCheck);
    const ctx = labContext(flags);
    try {
      // quiet: `lab start` already said where the lab runs
      const r = await checkCurrentStep(ctx, await labSandbox(flags, ctx, { quiet: true }));
      this.log(formatCheck(r, ctx.lang));
      // a finished lab stays finished, whatever its last step says now
      if (!r.result.passed && !r.alreadyFinished) process.exitCode = 1;
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
