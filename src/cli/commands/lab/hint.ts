// `boxlab lab hint`: the current step's hint.
import { currentHints } from '../../../labs/lab-session.js';
import { labMessage } from '../../../labs/lab-messages.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, sandboxFlags } from '../../lab-context.js';

export default class LabHint extends BaseCommand {
  static override description = 'show a hint for the current step';
  static override enableJsonFlag = true;
  // --vm/--provider accepted so one set of flags works on every lab command; a hint needs no sandbox
  static override flags = { ...labFlags, ...sandboxFlags };

  async run(): Promise<Awaited<ReturnType<typeof currentHints>>> {
    const { flags } = await this.parse(LabHint);
    const ctx = labContext(flags);
    try {
      const r = await currentHints(ctx);
      this.log(r.hint ?? labMessage(ctx.lang, 'lab.no-hint'));
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
