// `boxlab lab reset [<id>] [--step N]`: back to a step of the active lab, or of lab <id> (which becomes
// the active one, the one active before being torn down); step 1 also re-runs the lab's teardown and setup,
// or, for a multi-node lab with snapshots, restores every node to the lab's start (ADR 0018).
import { Args, Flags } from '@oclif/core';
import { resetLab } from '../../../labs/lab-session.js';
import { labNodeSnapshots } from '../../../vm/lab-snapshots.js';
import { VmService } from '../../../vm/vm-service.js';
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
    // a multi-node lab goes back to its start from its nodes' snapshots (ADR 0018); a single-node lab ignores this
    const progress = (line: string) => process.stderr.write(line + '\n');
    ctx.nodeSnapshots = labNodeSnapshots(new VmService({ progress }), { progress, release: async (node) => ctx.nodeGuest!(node).close?.() });
    try {
      const r = await resetLab(ctx, await labSandbox(flags, ctx), flags.step, args.id);
      this.log([...formatStopped(r.stopped, ctx.lang), formatStep(r.step)].join('\n'));
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
