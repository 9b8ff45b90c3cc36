// `boxlab lab start <id>`: runs the lab's setup in the sandbox (first time only) and shows the step; a
// lab that uses the engine also gets the DOCKER_HOST line for the student's shell (or, in a vm sandbox,
// `boxlab lab shell`). <id> may be the lab's number or its name without the number
// (src/labs/lab-id-match.ts). Another active lab is torn down first. A lab in the middle whose sandbox no
// longer holds it (lab-marker.ts) is not resumed: the command says so, runs nothing and exits 1, and
// --replay (the earlier steps' solutions) or --restart (step 1) chooses.
import { Args, Flags } from '@oclif/core';
import { startLab, type StartResult } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, labSandbox, sandboxFlags } from '../../lab-context.js';
import { formatStart } from '../../lab-format.js';

export default class LabStart extends BaseCommand {
  static override description = 'start (or resume) a lab and show its current step';
  static override enableJsonFlag = true;
  static override args = { id: Args.string({ description: 'lab id, its number (04) or name (container-lifecycle), or a lab folder', required: true }) };
  static override flags = {
    ...labFlags,
    ...sandboxFlags,
    replay: Flags.boolean({ description: "when the sandbox no longer holds the lab: set it up again and replay the earlier steps' solutions", exclusive: ['restart'] }),
    restart: Flags.boolean({ description: 'start the lab over at step 1 (teardown, setup)', exclusive: ['replay'] }),
  };

  async run(): Promise<StartResult> {
    const { args, flags } = await this.parse(LabStart);
    const ctx = labContext(flags);
    try {
      const r = await startLab(ctx, await labSandbox(flags, ctx), args.id, flags.replay ? 'replay' : flags.restart ? 'restart' : undefined);
      this.log(formatStart(r, ctx.lang));
      // nothing ran: the learner has to choose (or the replay stopped at a step that does not pass)
      if (r.sandboxLost || (r.replay && !r.replay.ok)) process.exitCode = 1;
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
