// `boxlab tutorial run <file> [--auto]`: shows each step, waits for Enter, runs it in the sandbox and
// compares its output with the tutorial (src/labs/tutorial/). --auto runs straight through.
import { Args, Flags } from '@oclif/core';
import { createInterface } from 'node:readline/promises';
import { defaultTutorialWorkDir, loadTutorial, tutorialEnv } from '../../../labs/tutorial/tutorial-loader.js';
import { formatStepOutcome, formatTutorialReport, formatTutorialStep } from '../../../labs/tutorial/tutorial-format.js';
import { runTutorial, type StepDecision, type TutorialReport } from '../../../labs/tutorial/tutorial-runner.js';
import { labMessage } from '../../../labs/lab-messages.js';
import { BaseCommand } from '../../base-command.js';
import { sandboxFlags, sandboxGuest } from '../../lab-context.js';

export default class TutorialRun extends BaseCommand {
  static override description = 'follow a tutorial step by step: show, run, compare, next';
  static override enableJsonFlag = true;
  static override args = { file: Args.string({ description: 'tutorial markdown file', required: true }) };
  static override flags = {
    auto: Flags.boolean({ description: 'run every step without pausing', default: false }),
    ...sandboxFlags,
  };

  async run(): Promise<TutorialReport> {
    const { args, flags } = await this.parse(TutorialRun);
    const tutorial = await loadTutorial(args.file);
    const lang = tutorial.lang;
    const count = tutorial.steps.length;
    const rl = flags.auto ? undefined : createInterface({ input: process.stdin, output: process.stdout });
    this.log(`# ${tutorial.title}`);
    try {
      const report = await runTutorial(await sandboxGuest(flags), tutorial, {
        workDir: process.env.BOXLAB_TUTORIAL_DIR ?? defaultTutorialWorkDir(tutorial.id),
        env: tutorialEnv(tutorial),
        before: async (step): Promise<StepDecision> => {
          this.log(formatTutorialStep(step, count, lang));
          if (!rl || step.skip) return 'run';
          const answer = (await rl.question(labMessage(lang, 'tutorial.prompt'))).trim().toLowerCase();
          return answer === 'q' ? 'quit' : answer === 's' ? 'skip' : 'run';
        },
        after: (step, result) => {
          if (step.cleanup) this.log(formatTutorialStep(step, count, lang));
          this.log(formatStepOutcome(result, lang));
        },
      });
      if (tutorial.outro) this.log(`\n${tutorial.outro}`);
      this.log(`\n${formatTutorialReport(report, lang)}`);
      if (!report.ok) process.exitCode = 1;
      return report;
    } finally {
      rl?.close();
    }
  }
}
