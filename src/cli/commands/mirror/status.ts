// `boxlab mirror status`: is the local registry running, where, and which repositories it serves.
import { Flags } from '@oclif/core';
import { DEFAULT_MIRROR_DIR } from '../../../engine/mirror/mirror-config.js';
import { LocalMirror, type MirrorStatus } from '../../../engine/mirror/local-mirror.js';
import { BaseCommand } from '../../base-command.js';

export default class MirrorStatusCommand extends BaseCommand {
  static override description = 'show whether the local registry mirror runs and what it serves';
  static override enableJsonFlag = true;
  static override flags = { dir: Flags.string({ description: "the mirror's folder", default: DEFAULT_MIRROR_DIR }) };

  async run(): Promise<MirrorStatus> {
    const { flags } = await this.parse(MirrorStatusCommand);
    const status = await new LocalMirror(flags.dir).status();
    if (!this.jsonEnabled()) {
      this.log(status.running ? `running at ${status.url} (pid ${status.pid}): ${status.repositories.join(', ') || 'no repositories'}` : 'not running (start it: boxlab mirror start)');
    }
    return status;
  }
}
