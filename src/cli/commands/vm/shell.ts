// `boxlab vm shell <name>`: an interactive shell in the vm on a pty (ssh2), sized like this terminal.
import { Args } from '@oclif/core';
import { AppError } from '../../../core/errors.js';
import { BaseCommand } from '../../base-command.js';
import { VmService } from '../../../vm/vm-service.js';

export default class VmShell extends BaseCommand {
  static override description = 'open a shell in a sandbox vm';
  static override args = { name: Args.string({ description: 'vm name', required: true }) };

  async run(): Promise<void> {
    const { args } = await this.parse(VmShell);
    const guest = await new VmService({ progress: (l) => process.stderr.write(l + '\n') }).guest(args.name);
    if (!guest.openShell) throw new AppError('FAILED_PRECONDITION', `vm "${args.name}" has no interactive shell through boxlab`, { suggestions: ['multipass: use multipass shell ' + args.name] });
    const out = process.stdout;
    const shell = await guest.openShell({ cols: out.columns ?? 80, rows: out.rows ?? 24, term: process.env.TERM ?? 'xterm-256color' });
    const stdin = process.stdin;
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.on('data', (d: Buffer) => shell.write(d));
    shell.onData((d) => out.write(d));
    const onResize = () => shell.resize(out.columns ?? 80, out.rows ?? 24);
    out.on('resize', onResize);
    const code = await new Promise<number>((resolve) => shell.onExit(resolve));
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
    out.off('resize', onResize);
    await guest.close?.();
    this.exit(code);
  }
}
