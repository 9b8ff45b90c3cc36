// `boxlab lab import <dir> [--out labs/<id>]`: a Killercoda scenario -> a boxlab lab (see
// src/labs/killercoda/). Prints what could not be imported, file by file; exits 1 if the result
// does not pass the validator.
import { Args, Flags } from '@oclif/core';
import { importKillercoda, type ImportResult } from '../../../labs/killercoda/killercoda-import.js';
import { BaseCommand } from '../../base-command.js';

export default class LabImport extends BaseCommand {
  static override description = 'import a Killercoda scenario (index.json) as a boxlab lab';
  static override enableJsonFlag = true;
  static override args = { dir: Args.string({ description: 'scenario folder (holds index.json)', required: true }) };
  static override flags = {
    out: Flags.string({ description: 'lab folder to write (default labs/<scenario folder>)' }),
    force: Flags.boolean({ description: 'replace an existing lab.md', default: false }),
  };

  async run(): Promise<ImportResult> {
    const { args, flags } = await this.parse(LabImport);
    const r = await importKillercoda(args.dir, { out: flags.out, force: flags.force });
    this.log(`wrote ${r.file} (lab ${r.id})`);
    for (const kind of ['unsupported', 'warning'] as const) {
      const notes = r.notes.filter((n) => n.kind === kind);
      if (notes.length === 0) continue;
      this.log(`\n${kind === 'unsupported' ? 'not imported' : 'warnings'} (${notes.length}):`);
      for (const n of notes) this.log(`  ${n.file}${n.line ? `:${n.line}` : ''}: ${n.message}`);
    }
    if (r.problems.length > 0) {
      this.log(`\nthe lab does not pass the validator:\n  ${r.problems.join('\n  ')}`);
      process.exitCode = 1;
    } else this.log(`\nnext: boxlab lab test ${r.file.replace(/\/lab\.md$/, '')}`);
    return r;
  }
}
