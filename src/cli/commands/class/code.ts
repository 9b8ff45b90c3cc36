// `boxlab class code <name> [--ttl 45m]` makes a new join code; `--revoke K7P2Q` revokes one (a code
// seen by someone outside the class). Seats already taken keep working either way.
import { Args, Flags } from '@oclif/core';
import { formatCode } from '../../../classroom/class-format.js';
import type { JoinCode } from '../../../classroom/class-model.js';
import { BaseCommand } from '../../base-command.js';
import { classDbFlag, codeTtlFlag, codeTtlMs, withClassStore } from '../../class-flags.js';

export default class ClassCode extends BaseCommand {
  static override description = 'make a new join code for a class, or revoke one';
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'class name', required: true }) };
  static override flags = { ttl: codeTtlFlag(), revoke: Flags.string({ description: 'revoke this join code instead' }), db: classDbFlag() };

  async run(): Promise<JoinCode> {
    const { args, flags } = await this.parse(ClassCode);
    return withClassStore(flags.db, (store) => {
      const code = flags.revoke ? store.revokeCode(args.name, flags.revoke) : store.newCode(args.name, codeTtlMs(flags.ttl));
      this.log(`join code: ${formatCode(code)}`);
      return code;
    });
  }
}
