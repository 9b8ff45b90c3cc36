// `boxlab vm forward <name>` (hidden): the long-running forwarder behind docker-env (src/vm/docker-env.ts);
// stops with SIGTERM (vm stop/delete send it) or SIGINT.
import { Args } from '@oclif/core';
import { forwardDockerSocket } from '../../../vm/docker-env.js';
import { VmService } from '../../../vm/vm-service.js';
import { BaseCommand } from '../../base-command.js';

export default class VmForward extends BaseCommand {
  static override description = "forward boxlabd's socket of a vm to <vm dir>/docker.sock (used by docker-env)";
  static override hidden = true;
  static override args = { name: Args.string({ description: 'vm name', required: true }) };

  async run(): Promise<void> {
    const { args } = await this.parse(VmForward);
    const forward = await forwardDockerSocket(new VmService({ progress: () => undefined }), args.name);
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    await forward.close();
  }
}
