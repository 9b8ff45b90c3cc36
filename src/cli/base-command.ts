// Every boxlab command extends this: it prints an AppError as its message plus "hint:" lines and exits
// non-zero, instead of a stack trace; `--json` output comes from oclif's enableJsonFlag.
import { Command } from '@oclif/core';
import { isAppError } from '../core/errors.js';

export abstract class BaseCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (isAppError(err)) {
      const hints = err.suggestions.map((s) => `\n  hint: ${s}`).join('');
      this.logToStderr(`error: ${err.message}${hints}`);
      this.exit(err.code === 'NOT_FOUND' ? 3 : 1);
    }
    return super.catch(err);
  }
}
