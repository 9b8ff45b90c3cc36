// `boxlab vm forward <name>` (hidden): the long-running forwarder behind docker-env; stops with SIGTERM
// (vm stop/delete send it) or when the vm's SSH connection drops.
import { Args } from '@oclif/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../core/errors.js';
import { forwardUnixSocket, type UnixStreamOpener } from '../../../vm/socket-forward.js';
import { FORWARDED_SOCKET, FORWARDER_PID_FILE } from '../../../vm/vm-service.js';
import { BaseCommand } from '../../base-command.js';
import { VmService } from '../../../vm/vm-service.js';

export default class VmForward extends BaseCommand {
  static override description = "forward boxlabd's socket of a vm to <vm dir>/docker.sock (used by docker-env)";
  static override hidden = true;
  static override args = { name: Args.string({ description: 'vm name', required: true }) };

  async run(): Promise<void> {
    const { args } = await this.parse(VmForward);
    const svc = new VmService({ progress: () => undefined });
    const guest = await svc.guest(args.name);
    if (!('openUnixStream' in guest)) throw new AppError('FAILED_PRECONDITION', `vm "${args.name}" cannot forward sockets (not an ssh guest)`);
    const dir = svc.records.dir(args.name);
    const server = await forwardUnixSocket(guest as unknown as UnixStreamOpener, '/run/boxlab/docker.sock', path.join(dir, FORWARDED_SOCKET));
    await fs.writeFile(path.join(dir, FORWARDER_PID_FILE), String(process.pid));
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    server.close();
    await guest.close?.();
    await fs.rm(path.join(dir, FORWARDED_SOCKET), { force: true });
  }
}
