// `boxlab lab check [--step N]`: runs the current step's checks in the sandbox; passes move to the next
// step. On a finished lab it says so, checks the last step again (or step N), records nothing, says how
// to check another step or start over, and exits with that re-check's result: 0 when it still holds, 1
// when it no longer does (docs/adr/0014-lab-state-in-the-sandbox.md).
import { Flags } from '@oclif/core';
import { checkCurrentStep, type CheckOutcome } from '../../../labs/lab-session.js';
import { checkReportOf, deliverReport, deliveryLines } from '../../../classroom/class-reporter.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, labSandbox, sandboxFlags } from '../../lab-context.js';
import { formatCheck } from '../../lab-format.js';

export default class LabCheck extends BaseCommand {
  static override description = "check the current step of your lab";
  static override enableJsonFlag = true;
  static override flags = { ...labFlags, ...sandboxFlags, step: Flags.integer({ description: 'check a step you already passed again (records nothing)' }) };

  async run(): Promise<CheckOutcome> {
    const { flags } = await this.parse(LabCheck);
    const ctx = labContext(flags);
    try {
      // quiet: `lab start` already said where the lab runs
      const r = await checkCurrentStep(ctx, await labSandbox(flags, ctx, { quiet: true }), flags.step);
      this.log(formatCheck(r, ctx.lang));
      // a student in a class (boxlab class join) reports the result to the teacher
      for (const line of deliveryLines(await deliverReport(checkReportOf(r, new Date()), ctx.lang), ctx.lang)) this.logToStderr(line);
      // a re-check of a finished lab exits with what it found (the lab stays finished all the same)
      if (!r.result.passed) process.exitCode = 1;
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
