// `boxlab class leave`: this boxlab stops reporting to its class and forgets the seat token (the teacher
// keeps what was reported). Reports still waiting in the outbox are dropped with it, and its agent stops.
import { Flags } from '@oclif/core';
import { promises as fs } from 'node:fs';
import { agentPidFile, readMembership, removeMembership } from '../../../classroom/class-membership.js';
import { pickLang } from '../../../core/lang.js';
import { BaseCommand } from '../../base-command.js';

export default class ClassLeave extends BaseCommand {
  static override description = 'leave the class this boxlab joined: it stops reporting';
  static override flags = { lang: Flags.string({ description: 'language of the messages', options: ['en', 'zh'] }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(ClassLeave);
    const lang = pickLang(flags.lang);
    const m = await readMembership();
    await removeMembership();
    // the agent would stop at its next heartbeat anyway (no seat): stop it now
    const pid = Number((await fs.readFile(agentPidFile(), 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await fs.rm(agentPidFile(), { force: true });
    }
    if (!m) this.log(lang === 'zh' ? '这个 boxlab 没有加入任何课堂' : 'this boxlab is in no class');
    else this.log(lang === 'zh' ? `已退出课堂 ${m.className}：不再发送结果（老师那里已有的记录保留）` : `left class ${m.className}: nothing is reported any more (the teacher keeps what was reported)`);
  }
}
