// `boxlab explain <container>`: what the engine did for a container (snapshot, mounts, config.json, runc
// calls, cgroups, exit, cleanup), step by step, in English or Chinese. It asks the sandbox's engine (a
// VM's over SSH: src/cli/sandbox-engine.ts) unless --socket names one; a removed container's story is
// kept for a while (src/engine/trace/removed-traces.ts).
import { Args, Flags } from '@oclif/core';
import { pickLang } from '../../core/lang.js';
import type { TraceEvent } from '../../engine/trace/trace-event.js';
import { BaseCommand } from '../base-command.js';
import { formatTrace } from '../explain-format.js';
import { sandboxSocketFlag } from '../flags.js';
import { askEngine, sandboxFlags } from '../lab-context.js';

export default class Explain extends BaseCommand {
  static override description = 'show what the engine did for a container, step by step (zh/en)';
  static override examples = ['<%= config.bin %> explain web', '<%= config.bin %> explain web --lang zh', '<%= config.bin %> explain web --json'];
  static override enableJsonFlag = true;
  static override args = { container: Args.string({ description: 'container name or id', required: true }) };
  static override flags = {
    lang: Flags.string({ description: 'language of the explanations', options: ['en', 'zh'] }),
    brief: Flags.boolean({ description: 'one line per step, without the details' }),
    socket: sandboxSocketFlag(),
    ...sandboxFlags,
  };

  async run(): Promise<TraceEvent[]> {
    const { args, flags } = await this.parse(Explain);
    const events = await askEngine(flags, (client) => client.json<TraceEvent[]>('GET', `/boxlab/trace/${encodeURIComponent(args.container)}`));
    this.log(formatTrace(args.container, events, pickLang(flags.lang), !flags.brief));
    return events;
  }
}
