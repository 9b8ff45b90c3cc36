// `boxlab mirror start`: a local registry seeded with baked images, used as the engine's docker.io mirror.
import { Flags } from '@oclif/core';
import { DEFAULT_MIRROR_ADDRESS, DEFAULT_MIRROR_DIR } from '../../../engine/mirror/mirror-config.js';
import { LocalMirror, type MirrorStatus } from '../../../engine/mirror/local-mirror.js';
import { BaseCommand } from '../../base-command.js';

export default class MirrorStart extends BaseCommand {
  static override description = 'start a local registry with the baked images, to serve docker pull offline as a docker.io mirror';
  static override examples = [
    '<%= config.bin %> mirror start',
    '<%= config.bin %> mirror start --seed busybox,debian,nginx,redis --addr 127.0.0.1:5000',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    dir: Flags.string({ description: "the mirror's folder (config, data, pid, log)", default: DEFAULT_MIRROR_DIR }),
    addr: Flags.string({ description: 'host:port to listen on (keep it on loopback: the registry has no auth)', default: DEFAULT_MIRROR_ADDRESS }),
    seed: Flags.string({ description: 'comma-separated bake recipes to push under their docker.io names (default: busybox and the images already in the bake cache)' }),
  };

  async run(): Promise<MirrorStatus> {
    const { flags } = await this.parse(MirrorStart);
    const json = this.jsonEnabled();
    const status = await new LocalMirror(flags.dir).start({
      addr: flags.addr,
      seed: flags.seed?.split(',').map((s) => s.trim()).filter(Boolean),
      progress: (line) => (json ? undefined : this.log(line)),
    });
    if (!json) {
      this.log(`mirror running at ${status.url}: ${status.repositories.join(', ') || 'no repositories'}`);
      this.log(`use it: boxlab engine start --registry-mirror ${status.url}, or {"registry-mirrors": ["${status.url}"]} in /etc/boxlab/daemon.json`);
    }
    return status;
  }
}
