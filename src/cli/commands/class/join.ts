// `boxlab class join <url> --code K7P2Q --name "Student 7"`: this boxlab takes a seat in a class and from
// then on reports each `lab check` result and hints used to it, nothing else (class-reporter.ts). The
// seat token is kept in $BOXLAB_HOME/class.json; `boxlab class leave` stops the reports.
import { Args, Flags } from '@oclif/core';
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { joinClass, classServerUrl, type JoinAnswer } from '../../../classroom/class-client.js';
import { readMembership, writeMembership } from '../../../classroom/class-membership.js';
import { defaultBoxlabHome } from '../../../labs/progress-store.js';
import { failedPrecondition } from '../../../core/errors.js';
import { pickLang } from '../../../core/lang.js';
import { BaseCommand } from '../../base-command.js';

export default class ClassJoin extends BaseCommand {
  static override description = 'join a class: your lab check results and hints used are reported to the teacher (nothing else)';
  static override examples = ['<%= config.bin %> class join http://teacher-laptop:7733 --code K7P2Q --name "Student 7"'];
  static override enableJsonFlag = true;
  static override args = { url: Args.string({ description: 'the class server address your teacher gave', required: true }) };
  static override flags = {
    code: Flags.string({ description: 'the join code your teacher gave', required: true }),
    name: Flags.string({ description: 'your name as the teacher will see it', required: true }),
    lang: Flags.string({ description: 'language of the messages', options: ['en', 'zh'] }),
    agent: Flags.boolean({ description: "start `boxlab class agent` in the background (heartbeats, the teacher's messages and resets)", default: true, allowNo: true }),
  };

  async run(): Promise<Omit<JoinAnswer, 'token'>> {
    const { args, flags } = await this.parse(ClassJoin);
    const lang = pickLang(flags.lang);
    const old = await readMembership();
    if (old) {
      throw failedPrecondition(
        lang === 'zh' ? `这个 boxlab 已经加入了课堂 ${old.className}（${old.url}，名字 "${old.name}"）` : `this boxlab is already in class ${old.className} (${old.url}, as "${old.name}")`,
        { suggestions: [lang === 'zh' ? '先退出：boxlab class leave' : 'leave it first: boxlab class leave'] },
      );
    }
    const server = classServerUrl(args.url);
    const a = await joinClass(server, flags.code, flags.name, lang);
    await writeMembership({ url: server, className: a.class, labs: a.labs, seatId: a.seat.id, name: a.seat.name, token: a.token, joinedAt: new Date().toISOString() });
    const agent = flags.agent ? this.startAgent(lang) : undefined;
    if (lang === 'zh') {
      this.log(`你已加入课堂 ${a.class}，名字是 "${a.seat.name}"。实验：${a.labs.join('、')}`);
      this.log(`从现在起，boxlab 会把每次 lab check 的结果和你用过的提示数发送给 ${server}，不会发送其他任何内容（终端、文件都不会）。`);
      this.log(
        agent
          ? `后台的 boxlab class agent（pid ${agent}）每隔几秒告诉老师你的沙盒还在运行，并接收老师的消息和重置请求（老师可以重置你的实验，你会在下一条 lab 命令里看到）。`
          : '没有启动 boxlab class agent：老师看不到你的沙盒是否在运行，也收不到老师的消息；需要时运行 boxlab class agent。',
      );
      this.log(`开始第一个实验：boxlab lab start ${a.labs[0]}；退出课堂：boxlab class leave`);
    } else {
      this.log(`you joined class ${a.class} as "${a.seat.name}". Labs: ${a.labs.join(', ')}`);
      this.log(`from now on boxlab sends each lab check result and the number of hints you used to ${server}, and nothing else (no terminal, no files).`);
      this.log(
        agent
          ? `boxlab class agent runs in the background (pid ${agent}): every few seconds it tells the teacher your sandbox is alive, and it receives the teacher's messages and resets (your teacher can reset your lab; your next lab command tells you).`
          : "no boxlab class agent started: the teacher does not see whether your sandbox is alive, and you get no message from the teacher; run boxlab class agent to change that.",
      );
      this.log(`start the first lab: boxlab lab start ${a.labs[0]}; to leave the class: boxlab class leave`);
    }
    return { class: a.class, labs: a.labs, seat: a.seat };
  }

  /** `boxlab class agent` in the background, its lines in $BOXLAB_HOME/class-agent.log; its pid */
  private startAgent(lang: string): number | undefined {
    const log = openSync(path.join(defaultBoxlabHome(), 'class-agent.log'), 'a', 0o600);
    try {
      const child = spawn(process.execPath, [process.argv[1], 'class', 'agent', '--lang', lang], { detached: true, stdio: ['ignore', log, log], env: process.env });
      child.unref();
      return child.pid;
    } finally {
      closeSync(log);
    }
  }
}
