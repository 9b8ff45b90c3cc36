// `boxlab class close <name>`: the class takes no new student and no report any more (its codes are
// revoked); status and export still show everything it recorded. A class with hosted seats also
// destroys its sandboxes (the warm pool's and the seats'): the class is over.
import { Args } from '@oclif/core';
import type { ClassRecord } from '../../../classroom/class-model.js';
import { destroyHostedSandboxes } from '../../hosted-seats-wiring.js';
import { BaseCommand } from '../../base-command.js';
import { classDbFlag, withClassStore } from '../../class-flags.js';

export default class ClassClose extends BaseCommand {
  static override description = 'close a class: no one joins or reports any more; its grades stay for export; hosted sandboxes are destroyed';
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'class name', required: true }) };
  static override flags = { db: classDbFlag() };

  async run(): Promise<ClassRecord & { sandboxesDestroyed?: number }> {
    const { args, flags } = await this.parse(ClassClose);
    return withClassStore(flags.db, async (store) => {
      const cls = store.closeClass(args.name);
      this.log(`class ${cls.name} is closed (${cls.closedAt}): its join codes are revoked and reports are refused; boxlab class export ${cls.name} still works`);
      const destroyed = await destroyHostedSandboxes(store, cls.name, (l) => this.logToStderr(l));
      if (destroyed !== undefined) this.log(`${destroyed} hosted sandbox${destroyed === 1 ? '' : 'es'} destroyed`);
      return destroyed === undefined ? cls : { ...cls, sandboxesDestroyed: destroyed };
    });
  }
}
