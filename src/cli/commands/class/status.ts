// `boxlab class status <name> [--json]`: per student the lab, step, last check, failed attempts, hints
// used and idle time, the stuck ones first (class-status.ts).
import { Args } from '@oclif/core';
import { formatStatus } from '../../../classroom/class-format.js';
import { statusOf, type ClassStatus } from '../../../classroom/class-service.js';
import { BaseCommand } from '../../base-command.js';
import { classDbFlag, withClassStore } from '../../class-flags.js';

export default class ClassStatusCommand extends BaseCommand {
  static override description = 'show every student of a class: lab, step, last check, hints used, idle time (stuck first)';
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'class name', required: true }) };
  static override flags = { db: classDbFlag() };

  async run(): Promise<ClassStatus> {
    const { args, flags } = await this.parse(ClassStatusCommand);
    return withClassStore(flags.db, (store) => {
      const s = statusOf(store, args.name);
      this.log(formatStatus(s));
      return s;
    });
  }
}
