// `boxlab vm docker-env <name>`: starts a background forwarder from a host unix socket to boxlabd's
// socket in the vm (over the vm's SSH connection) and prints the `export DOCKER_HOST=...` to eval.
import { Args } from '@oclif/core';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../../core/errors.js';
import { FORWARDED_SOCKET, FORWARDER_PID_FILE } from '../../../vm/vm-service.js';
import { BaseCommand } from '../../base-command.js';
import { VmService } from '../../../vm/vm-service.js';

export default class VmDockerEnv extends BaseCommand {
  static override description = "print the environment that points the host's docker CLI at boxlabd in a vm";
  static override examples = ['eval "$(<%= config.bin %> vm docker-env lab1)"; docker ps'];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'vm name', required: true }) };

  async run(): Promise<{ DOCKER_HOST: string }> {
    const { args } = await this.parse(VmDockerEnv);
    const svc = new VmService({ progress: () => undefined });
    await svc.record(args.name);
    const dir = svc.records.dir(args.name);
    const socket = path.join(dir, FORWARDED_SOCKET);
    const alive = await fs.readFile(path.join(dir, FORWARDER_PID_FILE), 'utf8').then((p) => { try { process.kill(Number(p), 0); return true; } catch { return false; } }, () => false);
    if (!alive) {
      const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../bin/run.js');
      const child = spawn(process.execPath, [bin, 'vm', 'forward', args.name], { detached: true, stdio: 'ignore' });
      child.unref();
      for (let i = 0; i < 300 && !(await fs.stat(socket).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
      if (!(await fs.stat(socket).then(() => true, () => false))) {
        throw new AppError('UNAVAILABLE', `the docker socket of vm "${args.name}" could not be forwarded`, { suggestions: [`check the vm: boxlab vm exec ${args.name} -- docker version`] });
      }
    }
    const host = `unix://${socket}`;
    if (!this.jsonEnabled()) this.log(`export DOCKER_HOST=${host}\n# run: eval "$(boxlab vm docker-env ${args.name})"`);
    return { DOCKER_HOST: host };
  }
}
