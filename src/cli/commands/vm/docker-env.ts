// `boxlab vm docker-env <name>`: points the host's docker CLI at boxlabd in a vm (src/vm/docker-env.ts
// starts the socket forwarder when none runs) and prints the `export DOCKER_HOST=...` to eval.
import { Args } from '@oclif/core';
import { dockerEnv, type DockerEnv } from '../../../vm/docker-env.js';
import { VmService } from '../../../vm/vm-service.js';
import { BaseCommand } from '../../base-command.js';

export default class VmDockerEnv extends BaseCommand {
  static override description = "print the environment that points the host's docker CLI at boxlabd in a vm";
  static override examples = ['eval "$(<%= config.bin %> vm docker-env lab1)"; docker ps'];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'vm name', required: true }) };

  async run(): Promise<DockerEnv> {
    const { args } = await this.parse(VmDockerEnv);
    const env = await dockerEnv(new VmService({ progress: () => undefined }), args.name);
    this.log(`export DOCKER_HOST=${env.DOCKER_HOST}\n# run: eval "$(boxlab vm docker-env ${args.name})"`);
    return env;
  }
}
