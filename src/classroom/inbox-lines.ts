// What the teacher sent a student (the inbox the agent fills: class-agent.ts), as the lines the student
// reads after a `lab` command and on the lab page, in their language. Pure (the web page uses it too).
import type { Lang } from '../core/lang.js';
import type { InboxEntry } from './class-membership.js';

export function inboxLines(entries: readonly InboxEntry[], lang: Lang): string[] {
  return entries.map((e) => {
    const time = e.at.slice(11, 16);
    if (e.from === 'teacher') return lang === 'zh' ? `老师的消息（${time} UTC）：${e.text}` : `message from your teacher (${time} UTC): ${e.text}`;
    return lang === 'zh' ? (e.text_zh ?? e.text) : e.text;
  });
}
