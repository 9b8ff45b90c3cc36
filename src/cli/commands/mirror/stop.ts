// `boxlab mirror stop`: stops the local registry; its data stays for the next start.
import { Flags } from '@oclif/core';
import { DEFAULT_MIRROR_DIR } from '../../../engine/mirror/mirror-config.js';
import { LocalMirror, type MirrorStatus } from '../../../engine/mirror/local-mirror.js';
import { BaseCommand } from '../../base-command.js';

export default class MirrorStop extends BaseCommand {
  static override description = 'stop the local registry mirror (its images are kept)';
  static override enableJsonFlag = true;
  static override flags = { dir: Flags.string({ description: "the mirror's folder", default: DEFAULT_MIRROR_DIR }) };

  async run(): Promise<MirrorStatus> {
    const { flags } = await this.parse(MirrorStop);
    const status = await new LocalMirror(flags.dir).stop();
    if (!this.jsonEnabled()) this.log('mirror stopped');
    return status;
  }
}
