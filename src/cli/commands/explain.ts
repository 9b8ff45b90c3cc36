// `boxlab explain <container>`: what the engine did for a container (snapshot, mounts, config.json, runc
// calls, cgroups, exit, cleanup), step by step, in English or Chinese.
import { Args, Flags } from '@oclif/core';
import { pickLang } from '../../core/lang.js';
import type { TraceEvent } from '../../engine/trace/trace-event.js';
import { BaseCommand } from '../base-command.js';
import { EngineClient } from '../engine-client.js';
import { formatTrace } from '../explain-format.js';
import { socketFlag } from '../flags.js';

export default class Explain extends BaseCommand {
  static override description = 'show what the engine did for a container, step by step (zh/en)';
  static override examples = ['<%= config.bin %> explain web', '<%= config.bin %> explain web --lang zh', '<%= config.bin %> explain web --json'];
  static override enableJsonFlag = true;
  static override args = { container: Args.string({ description: 'container name or id', required: true }) };
  static override flags = {
    lang: Flags.string({ description: 'language of the explanations', options: ['en', 'zh'] }),
    brief: Flags.boolean({ description: 'one line per step, without the details' }),
    socket: socketFlag(),
  };

  async run(): Promise<TraceEvent[]> {
    const { args, flags } = await this.parse(Explain);
    const client = new EngineClient(flags.socket);
    const events = await client.json<TraceEvent[]>('GET', `/boxlab/trace/${encodeURIComponent(args.container)}`);
    this.log(formatTrace(args.container, events, pickLang(flags.lang), !flags.brief));
    return events;
  }
}
