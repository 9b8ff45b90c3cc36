// `boxlab lab start <id>`: runs the lab's setup in the sandbox (first time only) and shows the step.
import { Args } from '@oclif/core';
import { startLab, type StartResult } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, sandboxFlags, sandboxGuest } from '../../lab-context.js';
import { formatStep } from '../../lab-format.js';

export default class LabStart extends BaseCommand {
  static override description = 'start (or resume) a lab and show its current step';
  static override enableJsonFlag = true;
  static override args = { id: Args.string({ description: 'lab id or folder', required: true }) };
  static override flags = { ...labFlags, ...sandboxFlags };

  async run(): Promise<StartResult> {
    const { args, flags } = await this.parse(LabStart);
    const ctx = labContext(flags);
    try {
      const r = await startLab(ctx, await sandboxGuest(flags), args.id);
      this.log(`# ${r.title}${r.resumed ? ' (resumed)' : ''}\n`);
      if (!r.resumed && r.intro) this.log(r.intro);
      this.log(`\nexport LAB_DIR=${r.workDir}`);
      if (r.step) this.log(formatStep(r.step));
      this.log('then: boxlab lab check');
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
