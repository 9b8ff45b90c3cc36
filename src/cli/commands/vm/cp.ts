// `boxlab vm cp <from> <to>`: copies files or folders between the host and a vm ("lab1:/path" is in the vm).
import { Args } from '@oclif/core';
import { AppError } from '../../../core/errors.js';
import { parseCopyArgs } from '../../../vm/vm-cli-options.js';
import { BaseCommand } from '../../base-command.js';
import { VmService } from '../../../vm/vm-service.js';

export default class VmCp extends BaseCommand {
  static override description = 'copy files between the host and a sandbox vm';
  static override examples = ['<%= config.bin %> vm cp ./app lab1:/root/app', '<%= config.bin %> vm cp lab1:/root/report.txt .'];
  static override args = {
    from: Args.string({ description: 'source (host path or vm:path)', required: true }),
    to: Args.string({ description: 'destination (host path or vm:path)', required: true }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(VmCp);
    const c = parseCopyArgs(args.from, args.to);
    const guest = await new VmService({ progress: (l) => process.stderr.write(l + '\n') }).guest(c.vm);
    if (!guest.copyTo || !guest.copyFrom) throw new AppError('FAILED_PRECONDITION', `vm "${c.vm}" does not support copying`);
    if (c.direction === 'to-vm') await guest.copyTo(c.hostPath, c.guestPath);
    else await guest.copyFrom(c.guestPath, c.hostPath);
    await guest.close?.();
  }
}
