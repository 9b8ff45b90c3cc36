// `boxlab vm exec <name> -- <cmd...>`: runs a command in the vm, output streamed, its exit code returned.
import { Args } from '@oclif/core';
import { AppError } from '../../../core/errors.js';
import { BaseCommand } from '../../base-command.js';
import { VmService } from '../../../vm/vm-service.js';

export default class VmExec extends BaseCommand {
  static override description = 'run a command in a sandbox vm';
  static override examples = ['<%= config.bin %> vm exec lab1 -- docker ps', '<%= config.bin %> vm exec lab1 -- sh -c "uname -a"'];
  static override strict = false;
  static override args = { name: Args.string({ description: 'vm name', required: true }) };

  async run(): Promise<void> {
    const { args, argv } = await this.parse(VmExec);
    const cmd = (argv as string[]).slice(1);
    if (cmd.length === 0) throw new AppError('INVALID_ARGUMENT', 'vm exec needs a command', { suggestions: [`boxlab vm exec ${args.name} -- docker ps`] });
    const guest = await new VmService({ progress: (l) => process.stderr.write(l + '\n') }).guest(args.name);
    let code: number;
    if (guest.execStream) {
      code = await guest.execStream(cmd, { stdout: (b) => process.stdout.write(b), stderr: (b) => process.stderr.write(b) });
    } else {
      const r = await guest.exec(cmd);
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      code = r.exitCode;
    }
    await guest.close?.();
    this.exit(code);
  }
}
