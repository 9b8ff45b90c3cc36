// `boxlab tutorial test <files...>`: authors replay tutorials; any step whose exit code or output
// differs from the page fails the command, with a readable diff (src/labs/tutorial/).
import { Args } from '@oclif/core';
import { defaultTutorialWorkDir, loadTutorial, tutorialEnv } from '../../../labs/tutorial/tutorial-loader.js';
import { formatTutorialReport } from '../../../labs/tutorial/tutorial-format.js';
import { runTutorial, type TutorialReport } from '../../../labs/tutorial/tutorial-runner.js';
import { BaseCommand } from '../../base-command.js';
import { sandboxFlags, sandboxGuest } from '../../lab-context.js';

export default class TutorialTest extends BaseCommand {
  static override description = "replay tutorials and compare every step's output with the page";
  static override enableJsonFlag = true;
  static override strict = false;
  static override args = { file: Args.string({ description: 'tutorial markdown file(s)', required: true }) };
  static override flags = { ...sandboxFlags };

  async run(): Promise<TutorialReport[]> {
    const { argv, flags } = await this.parse(TutorialTest);
    const guest = await sandboxGuest(flags);
    const reports: TutorialReport[] = [];
    for (const file of argv as string[]) {
      const tutorial = await loadTutorial(file);
      const work = process.env.BOXLAB_TUTORIAL_DIR ?? defaultTutorialWorkDir(tutorial.id);
      const report = await runTutorial(guest, tutorial, { workDir: work, env: tutorialEnv(tutorial) });
      this.log(formatTutorialReport(report, tutorial.lang));
      reports.push(report);
    }
    if (reports.some((r) => !r.ok)) process.exitCode = 1;
    return reports;
  }
}
