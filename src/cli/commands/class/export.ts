// `boxlab class export <name> --format csv|json [--output FILE]`: one row per student and step (passed,
// when, attempts, hints, score with partial credit) for a gradebook; columns in docs/classroom.md.
import { Args, Flags } from '@oclif/core';
import { promises as fs } from 'node:fs';
import { EXPORT_FORMATS } from '../../../classroom/class-export.js';
import { exportOf, exportText } from '../../../classroom/class-service.js';
import { ClassStore } from '../../../classroom/class-store.js';
import { BaseCommand } from '../../base-command.js';
import { classDbFlag } from '../../class-flags.js';

export default class ClassExport extends BaseCommand {
  static override description = 'export a class\'s grades, one row per student and step, as CSV or JSON';
  static override args = { name: Args.string({ description: 'class name', required: true }) };
  static override flags = {
    format: Flags.string({ description: 'csv (RFC 4180, for spreadsheets and gradebooks) or json', options: [...EXPORT_FORMATS], default: 'csv' }),
    output: Flags.string({ char: 'o', description: 'write to this file instead of the terminal' }),
    db: classDbFlag(),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ClassExport);
    const store = new ClassStore(flags.db);
    try {
      const text = exportText(exportOf(store, args.name), flags.format as (typeof EXPORT_FORMATS)[number]);
      if (flags.output) await fs.writeFile(flags.output, text);
      else process.stdout.write(text);
    } finally {
      store.close();
    }
  }
}
