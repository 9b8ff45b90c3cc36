// `boxlab lab reset [<id>] [--step N]`: back to a step of the active lab, or of lab <id> (which becomes
// the active one, the one active before being torn down); step 1 also re-runs the lab's teardown and setup.
import { Args, Flags } from '@oclif/core';
import { resetLab } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, labSandbox, sandboxFlags } from '../../lab-context.js';
import { formatStep, formatStopped } from '../../lab-format.js';

export default class LabReset extends BaseCommand {
  static override description = 'go back to a step of the active lab (or of the lab named)';
  static override enableJsonFlag = true;
  // without this declaration oclif read `lab reset 04-container-lifecycle` as the command "lab:reset:04-container-lifecycle"
  static override args = { id: Args.string({ description: 'lab id, its number or its name (default: the active lab)', required: false }) };
  static override flags = { ...labFlags, ...sandboxFlags, step: Flags.integer({ description: 'step number (1 = start over)', default: 1 }) };

  async run(): Promise<Awaited<ReturnType<typeof resetLab>>> {
    const { args, flags } = await this.parse(LabReset);
    const ctx = labContext(flags);
    try {
      const r = await resetLab(ctx, await labSandbox(flags, ctx), flags.step, args.id);
      this.log([...formatStopped(r.stopped, ctx.lang), formatStep(r.step)].join('\n'));
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
