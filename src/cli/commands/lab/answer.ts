// `boxlab lab answer <text>`: a predict step's answer, written into the sandbox at
// $LAB_DIR/answer-<step> for the step's checks to compare with the system (src/labs/answer.ts).
import { Args } from '@oclif/core';
import { labMessage } from '../../../labs/lab-messages.js';
import { answerCurrentStep } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, labSandbox, sandboxFlags } from '../../lab-context.js';

export default class LabAnswer extends BaseCommand {
  static override description = "answer the current step's question (a predict step); then boxlab lab check";
  static override enableJsonFlag = true;
  static override strict = false;
  static override args = { text: Args.string({ description: 'your answer (the words after the command)', required: true }) };
  static override flags = { ...labFlags, ...sandboxFlags };

  async run(): Promise<Awaited<ReturnType<typeof answerCurrentStep>>> {
    const { argv, flags } = await this.parse(LabAnswer);
    const ctx = labContext(flags);
    try {
      const r = await answerCurrentStep(ctx, await labSandbox(flags, ctx, { quiet: true }), (argv as string[]).join(' '));
      this.log(labMessage(ctx.lang, 'answer.saved', { file: r.file }));
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
