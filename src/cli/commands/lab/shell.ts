// `boxlab lab shell [-c <command>]`: a shell in the lab's sandbox with the lab's environment (LAB_ID,
// LAB_DIR, DOCKER_HOST), in $LAB_DIR: where a student of a VM sandbox types (src/labs/lab-shell.ts).
// `boxlab lab shell worker1`: on a multi-node lab, a shell on that node's VM (default the first node).
import { Args, Flags } from '@oclif/core';
import { labShellPlace } from '../../../labs/lab-session.js';
import { openLabShell } from '../../../labs/lab-shell.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, sandboxGuest, sandboxFlags } from '../../lab-context.js';

export default class LabShell extends BaseCommand {
  static override description = "open a shell in the lab's sandbox, with the lab's environment (LAB_DIR, DOCKER_HOST)";
  static override examples = ['<%= config.bin %> lab shell', "<%= config.bin %> lab shell -c 'docker ps'", '<%= config.bin %> lab shell worker1'];
  // ignoreStdin: without it oclif reads a piped stdin as the missing node argument, and the lines meant
  // for the shell (`echo 'docker ps' | boxlab lab shell`) become a node name
  static override args = { node: Args.string({ description: "a multi-node lab's node to open the shell on (default: its first node)", ignoreStdin: true }) };
  static override flags = { ...labFlags, ...sandboxFlags, command: Flags.string({ char: 'c', description: 'run this command instead of an interactive shell' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(LabShell);
    const ctx = labContext(flags);
    let place: Awaited<ReturnType<typeof labShellPlace>>;
    try {
      place = await labShellPlace(ctx, args.node);
    } finally {
      ctx.store.close();
    }
    const guest = place.node ? ctx.nodeGuest!(place.node) : await sandboxGuest(flags, { lang: ctx.lang, quiet: true });
    try {
      process.exitCode = await openLabShell(guest, { env: place.env, cwd: place.cwd, lang: ctx.lang, ...(flags.command !== undefined ? { command: flags.command } : {}) });
    } finally {
      await guest.close?.();
    }
  }
}
