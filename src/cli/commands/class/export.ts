// `boxlab class export <name> --format csv|json [--per step|student] [--output FILE]`: one row per student
// and step (passed, when, attempts, hints, score with partial credit), or one per student with a grade per
// lab for a gradebook; columns in docs/classroom.md.
import { Args, Flags } from '@oclif/core';
import { promises as fs } from 'node:fs';
import { EXPORT_FORMATS, EXPORT_SHAPES, type ExportFormat, type ExportShape } from '../../../classroom/class-export.js';
import { exportClass } from '../../../classroom/class-service.js';
import { BaseCommand } from '../../base-command.js';
import { classDbFlag, withClassStore } from '../../class-flags.js';

export default class ClassExport extends BaseCommand {
  static override description = 'export a class\'s grades, one row per student and step, as CSV or JSON';
  static override args = { name: Args.string({ description: 'class name', required: true }) };
  static override flags = {
    format: Flags.string({ description: 'csv (RFC 4180, for spreadsheets and gradebooks) or json', options: [...EXPORT_FORMATS], default: 'csv' }),
    per: Flags.string({ description: 'step: a row per student and step (attempts, hints, times); student: a row per student, a grade per lab, for a gradebook', options: [...EXPORT_SHAPES], default: 'step' }),
    output: Flags.string({ char: 'o', description: 'write to this file instead of the terminal' }),
    db: classDbFlag(),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ClassExport);
    return withClassStore(flags.db, async (store) => {
      const text = exportClass(store, args.name, flags.format as ExportFormat, flags.per as ExportShape);
      if (flags.output) await fs.writeFile(flags.output, text);
      else process.stdout.write(text);
    });
  }
}
