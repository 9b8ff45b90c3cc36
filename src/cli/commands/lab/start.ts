// `boxlab lab start <id>`: runs the lab's setup in the sandbox (first time only) and shows the step; a
// lab that uses the engine also gets the DOCKER_HOST line for the student's shell. <id> may be the
// lab's number or its name without the number (src/labs/lab-id-match.ts).
import { Args } from '@oclif/core';
import { startLab, type StartResult } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, labSandbox, sandboxFlags } from '../../lab-context.js';
import { formatStart } from '../../lab-format.js';

export default class LabStart extends BaseCommand {
  static override description = 'start (or resume) a lab and show its current step';
  static override enableJsonFlag = true;
  static override args = { id: Args.string({ description: 'lab id, its number (04) or name (container-lifecycle), or a lab folder', required: true }) };
  static override flags = { ...labFlags, ...sandboxFlags };

  async run(): Promise<StartResult> {
    const { args, flags } = await this.parse(LabStart);
    const ctx = labContext(flags);
    try {
      const r = await startLab(ctx, await labSandbox(flags, ctx), args.id);
      this.log(formatStart(r, ctx.lang));
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
