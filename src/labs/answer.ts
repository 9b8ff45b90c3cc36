// Predict steps: a step whose text holds an ```answer block asks the student a question before they
// look (how many processes will ps show? which cgroup file will say max?). The answer is a file in the
// sandbox, $LAB_DIR/answer-<step id>, written by `boxlab lab answer <text>` or the page's answer box (or
// by hand); the step's checks compare it with what the system says. The text travels in the
// environment, never inside the script.
import { failedPrecondition, invalidArgument } from '../core/errors.js';
import type { Lang } from '../core/lang.js';
import type { Guest } from '../vm/guest.js';
import type { Lab, Step } from './lab-model.js';
import { labMessage } from './lab-messages.js';

/** the answer file of a step, relative to $LAB_DIR */
export function answerFileName(step: Step): string {
  return `answer-${step.id}`;
}

/** writes the student's answer (one line, trimmed) where the checks read it; returns the file's path in the sandbox */
export async function writeAnswer(guest: Guest, lab: Lab, step: Step, text: string, env: Record<string, string>, lang: Lang): Promise<string> {
  if (!step.answer) {
    throw failedPrecondition(labMessage(lang, 'answer.no-question', { step: step.id }), { suggestions: [labMessage(lang, 'answer.check-instead')] });
  }
  const answer = text.replace(/\s+/g, ' ').trim();
  if (answer === '') throw invalidArgument(labMessage(lang, 'answer.empty'), { suggestions: [labMessage(lang, 'answer.example')] });
  const file = `${env.LAB_DIR}/${answerFileName(step)}`;
  const r = await guest.exec(
    { script: 'mkdir -p "$LAB_DIR" && printf \'%s\\n\' "$BOXLAB_ANSWER" > "$LAB_DIR/$BOXLAB_ANSWER_FILE"' },
    { env: { ...env, BOXLAB_ANSWER: answer, BOXLAB_ANSWER_FILE: answerFileName(step) }, timeoutMs: 10_000 },
  );
  if (r.exitCode !== 0) throw failedPrecondition(`lab "${lab.id}": cannot write ${file}: ${(r.stderr.trim() || r.stdout.trim()).split('\n').slice(-1)[0]}`);
  return file;
}
