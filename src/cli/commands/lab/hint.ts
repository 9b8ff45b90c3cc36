// `boxlab lab hint`: the current step's next hint (a nudge first, the command last: hint-ladder.ts),
// numbered "hint 2 of 3"; --all shows every one. How many were shown is remembered per step.
import { Flags } from '@oclif/core';
import { labMessage } from '../../../labs/lab-messages.js';
import { currentHints } from '../../../labs/lab-session.js';
import { deliverReport, deliveryLines, hintReportOf } from '../../../classroom/class-reporter.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, sandboxFlags } from '../../lab-context.js';

export default class LabHint extends BaseCommand {
  static override description = 'show the next hint for the current step (a nudge first, the command last)';
  static override enableJsonFlag = true;
  // --vm/--provider accepted so one set of flags works on every lab command; a hint needs no sandbox
  static override flags = { ...labFlags, ...sandboxFlags, all: Flags.boolean({ description: 'show every hint of the step at once' }) };

  async run(): Promise<Awaited<ReturnType<typeof currentHints>>> {
    const { flags } = await this.parse(LabHint);
    const ctx = labContext(flags);
    try {
      const r = await currentHints(ctx, { all: flags.all });
      if (r.count === 0) this.log(labMessage(ctx.lang, 'hint.none'));
      else {
        const first = r.number - r.hints.length + 1;
        r.hints.forEach((h, i) => this.log(`${i > 0 ? '\n' : ''}${labMessage(ctx.lang, 'hint.number', { n: first + i, count: r.count })}: ${h}`));
        if (!flags.all) this.log(labMessage(ctx.lang, r.number < r.count ? 'hint.more' : 'hint.last'));
      }
      // a student in a class (boxlab class join) reports how many hints of the step were seen
      for (const line of deliveryLines(await deliverReport(hintReportOf(r, new Date()), ctx.lang), ctx.lang)) this.logToStderr(line);
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
