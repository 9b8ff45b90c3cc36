// `boxlab lab status`: the active lab, its current step, what passed, and the sandbox the lab's
// commands would run in with these flags (or why none can be used).
import { isAppError, messageOf } from '../../../core/errors.js';
import { labStatus } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, resolveSandbox, sandboxFlags } from '../../lab-context.js';
import { describeSandboxIn, formatStatus, formatStep } from '../../lab-format.js';
import { labMessage } from '../../../labs/lab-messages.js';

export default class LabStatus extends BaseCommand {
  static override description = 'show the active lab and your progress';
  static override enableJsonFlag = true;
  static override flags = { ...labFlags, ...sandboxFlags };

  async run(): Promise<Awaited<ReturnType<typeof labStatus>> & { sandbox: string }> {
    const { flags } = await this.parse(LabStatus);
    const ctx = labContext(flags);
    try {
      const r = await labStatus(ctx);
      const sandbox = await resolveSandbox(flags, undefined, ctx.lang).then(
        (choice) => describeSandboxIn(choice, ctx.lang),
        (err: unknown) => {
          const fix = isAppError(err) ? err.suggestions[0] : undefined;
          return fix ? labMessage(ctx.lang, 'status.sandbox-none-fix', { why: messageOf(err), fix }) : labMessage(ctx.lang, 'status.sandbox-none', { why: messageOf(err) });
        },
      );
      this.log(formatStatus(r, sandbox, ctx.lang));
      if (r.step) this.log(formatStep(r.step));
      return { ...r, sandbox };
    } finally {
      ctx.store.close();
    }
  }
}
