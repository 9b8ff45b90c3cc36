// `boxlab lab check`: runs the current step's checks in the sandbox; passes move to the next step.
import { checkCurrentStep, type CheckOutcome } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, sandboxFlags, sandboxGuest } from '../../lab-context.js';
import { formatStep, formatStepResult } from '../../lab-format.js';

export default class LabCheck extends BaseCommand {
  static override description = "check the current step of your lab";
  static override enableJsonFlag = true;
  static override flags = { ...labFlags, ...sandboxFlags };

  async run(): Promise<CheckOutcome> {
    const { flags } = await this.parse(LabCheck);
    const ctx = labContext(flags);
    try {
      const r = await checkCurrentStep(ctx, await sandboxGuest(flags));
      this.log(`step ${r.step.index + 1}/${r.step.count} ${r.step.title}`);
      this.log(formatStepResult(r.result, ctx.lang === 'zh' ? '提示' : 'hint'));
      if (r.finished && r.result.passed) this.log(ctx.lang === 'zh' ? '\n实验完成！' : '\nlab finished!');
      else if (r.next) this.log(formatStep(r.next));
      if (!r.result.passed) process.exitCode = 1;
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
