// `boxlab image bake busybox|debian|nginx|redis|httpd|python|network-tools|registry`: builds offline lab images from Debian packages and loads them into
// the running engine (or writes a docker-archive tarball with --output). Thin: flags -> bakeImages().
import { Args, Flags } from '@oclif/core';
import { bakeImages, BAKE_RECIPES, type BakeResult } from '../../../engine/images/bake/bake-service.js';
import { BaseCommand } from '../../base-command.js';
import { EngineClient } from '../../engine-client.js';
import { socketFlag } from '../../flags.js';

export default class ImageBake extends BaseCommand {
  static override description = 'build lab images (busybox, debian, nginx, redis, httpd, python, network-tools, registry) offline from Debian packages and load them into the engine';
  static override examples = [
    '<%= config.bin %> image bake busybox',
    '<%= config.bin %> image bake busybox debian',
    '<%= config.bin %> image bake nginx redis httpd python network-tools   # share one cached debian base layer',
    '<%= config.bin %> image bake busybox --output busybox.tar   # then: docker load -i busybox.tar',
  ];
  static override enableJsonFlag = true;
  static override strict = false;
  static override args = { name: Args.string({ description: `image recipe: ${BAKE_RECIPES.join(', ')}`, required: true, options: [...BAKE_RECIPES] }) };
  static override flags = {
    socket: socketFlag(),
    output: Flags.string({ char: 'o', description: 'write the docker-archive tarball to this file instead of loading it' }),
  };

  async run(): Promise<BakeResult> {
    const { argv, flags } = await this.parse(ImageBake);
    const json = this.jsonEnabled();
    return bakeImages({
      names: argv as string[],
      output: flags.output,
      engine: flags.output ? undefined : new EngineClient(flags.socket),
      progress: (line) => (json ? undefined : this.log(line)),
    });
  }
}
