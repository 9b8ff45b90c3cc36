// Every boxlab command extends this: it prints an AppError as its message plus "hint:" lines and exits
// non-zero, instead of a stack trace; `--json` output comes from oclif's enableJsonFlag. After a `lab`
// command, what the teacher of a class sent since the last one (class-agent.ts's inbox) is shown once.
import { Command } from '@oclif/core';
import { inboxLines } from '../classroom/inbox-lines.js';
import { takeUnseen } from '../classroom/class-membership.js';
import { isAppError } from '../core/errors.js';
import { pickLang } from '../core/lang.js';

export abstract class BaseCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (isAppError(err)) {
      const hints = err.suggestions.map((s) => `\n  hint: ${s}`).join('');
      this.logToStderr(`error: ${err.message}${hints}`);
      this.exit(err.code === 'NOT_FOUND' ? 3 : 1);
    }
    return super.catch(err);
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    if (this.id?.startsWith('lab:')) {
      const i = this.argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
      const asked = i < 0 ? undefined : this.argv[i].includes('=') ? this.argv[i].split('=')[1] : this.argv[i + 1];
      const lang = pickLang(asked);
      for (const line of inboxLines(await takeUnseen().catch(() => []), lang)) this.logToStderr(line);
    }
    return super.finally(err);
  }
}
