// `boxlab lab status`: the active lab, its current step, what passed, and the sandbox the lab's
// commands would run in with these flags (or why none can be used).
import { isAppError, messageOf } from '../../../core/errors.js';
import { labStatus } from '../../../labs/lab-session.js';
import { describeSandbox } from '../../../vm/sandbox-choice.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, resolveSandbox, sandboxFlags } from '../../lab-context.js';
import { formatStep } from '../../lab-format.js';

export default class LabStatus extends BaseCommand {
  static override description = 'show the active lab and your progress';
  static override enableJsonFlag = true;
  static override flags = { ...labFlags, ...sandboxFlags };

  async run(): Promise<Awaited<ReturnType<typeof labStatus>> & { sandbox: string }> {
    const { flags } = await this.parse(LabStatus);
    const ctx = labContext(flags);
    try {
      const r = await labStatus(ctx);
      const passed = Object.values(r.progress.passed).reduce((n, s) => n + Object.keys(s).length, 0);
      this.log(`${r.labId}: ${r.title}\nstarted ${r.progress.startedAt}, ${passed} check(s) passed${r.progress.finishedAt ? `, finished ${r.progress.finishedAt}` : ''}`);
      const sandbox = await resolveSandbox(flags).then(describeSandbox, (err: unknown) => `none: ${messageOf(err)}${isAppError(err) && err.suggestions[0] ? ` (${err.suggestions[0]})` : ''}`);
      this.log(`sandbox: ${sandbox}`);
      if (r.step) this.log(formatStep(r.step));
      return { ...r, sandbox };
    } finally {
      ctx.store.close();
    }
  }
}
