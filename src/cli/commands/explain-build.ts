// `boxlab explain-build <image>`: how an image was built, one line per Dockerfile step: whether the build
// cache was hit or the step ran, the image it produced, and the size of the layer it added. The data is
// the image's build.step trace events, written by the builder when the build finished.
import { Args, Flags } from '@oclif/core';
import { pickLang } from '../../core/lang.js';
import type { TraceEvent } from '../../engine/trace/trace-event.js';
import type { Lang } from '../../core/lang.js';
import { BaseCommand } from '../base-command.js';
import { sandboxSocketFlag } from '../flags.js';
import { askEngine, sandboxFlags } from '../lab-context.js';

export interface BuildStepView {
  step: string;
  instruction: string;
  cached: boolean;
  imageId: string;
  layerSize?: number;
  text: string;
}

const human = (n: number) => (n < 1024 ? `${n}B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)}kB` : `${(n / 1024 / 1024).toFixed(1)}MB`);

/** the build steps of the last build of an image, from its trace (pure) */
export function buildSteps(events: readonly TraceEvent[], lang: Lang): BuildStepView[] {
  const steps = events.filter((e) => e.step === 'build.step');
  // a rebuild that reused the image appends its steps again: keep the last build's
  const lastStart = steps.map((e) => String(e.details.step)).lastIndexOf(String(steps[0]?.details.step ?? ''));
  return steps.slice(Math.max(0, lastStart)).map((e) => ({
    step: String(e.details.step),
    instruction: String(e.details.instruction),
    cached: Boolean(e.details.cached),
    imageId: String(e.details.imageId ?? ''),
    ...(typeof e.details.layerSize === 'number' ? { layerSize: e.details.layerSize } : {}),
    text: e.text[lang],
  }));
}

export function formatBuildSteps(image: string, steps: readonly BuildStepView[], lang: Lang): string {
  if (steps.length === 0) {
    return lang === 'zh' ? `镜像 ${image} 没有构建记录（它不是由 docker build 构建的？）` : `image ${image} has no build record (was it made by docker build?)`;
  }
  const head = lang === 'zh' ? ['步骤', '缓存', '层大小', '镜像', '指令'] : ['STEP', 'CACHE', 'LAYER', 'IMAGE', 'INSTRUCTION'];
  const rows = steps.map((s) => [
    s.step,
    s.cached ? (lang === 'zh' ? '命中' : 'hit') : lang === 'zh' ? '执行' : 'ran',
    s.layerSize === undefined ? '-' : human(s.layerSize),
    s.imageId.replace(/^sha256:/, '').slice(0, 12),
    s.instruction.length > 60 ? s.instruction.slice(0, 57) + '...' : s.instruction,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

export default class ExplainBuild extends BaseCommand {
  static override description = 'show how an image was built: each step cached or executed, and the layer it made';
  static override examples = ['<%= config.bin %> explain-build hello-web:0.1', '<%= config.bin %> explain-build hello-web:0.1 --lang zh --verbose'];
  static override enableJsonFlag = true;
  static override args = { image: Args.string({ description: 'image name or id', required: true }) };
  static override flags = {
    lang: Flags.string({ description: 'language of the explanations', options: ['en', 'zh'] }),
    verbose: Flags.boolean({ description: 'add the explanation of each step' }),
    socket: sandboxSocketFlag(),
    ...sandboxFlags,
  };

  async run(): Promise<BuildStepView[]> {
    const { args, flags } = await this.parse(ExplainBuild);
    const lang = pickLang(flags.lang);
    const events = await askEngine(flags, (client) => client.json<TraceEvent[]>('GET', `/boxlab/trace/${encodeURIComponent(args.image)}`));
    const steps = buildSteps(events, lang);
    this.log(formatBuildSteps(args.image, steps, lang));
    if (flags.verbose) for (const s of steps) this.log(`  ${s.step}: ${s.text}`);
    return steps;
  }
}
