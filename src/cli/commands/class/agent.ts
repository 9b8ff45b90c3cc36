// `boxlab class agent`: the joined student's boxlab staying in touch with the class (class-agent.ts):
// a heartbeat every few seconds that says whether the sandbox answers, the teacher's messages into the
// inbox, the teacher's resets carried out. `class join` starts it in the background (its pid in
// $BOXLAB_HOME/class-agent.pid, its lines in class-agent.log); `class leave` stops it. It stops by itself
// when the seat is gone or the class is closed.
import { Flags } from '@oclif/core';
import { promises as fs } from 'node:fs';
import { runAgent, type AgentPorts } from '../../../classroom/class-agent.js';
import { agentPidFile, readMembership } from '../../../classroom/class-membership.js';
import type { SandboxState } from '../../../classroom/class-model.js';
import { failedPrecondition } from '../../../core/errors.js';
import { pickLang } from '../../../core/lang.js';
import { resetLab } from '../../../labs/lab-session.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labSandbox, sandboxGuest } from '../../lab-context.js';

const sandboxRequest = () => ({ ...(process.env.BOXLAB_PROVIDER ? { provider: process.env.BOXLAB_PROVIDER } : {}), ...(process.env.BOXLAB_VM ? { vm: process.env.BOXLAB_VM } : {}) });

export default class ClassAgent extends BaseCommand {
  static override description = "keep this boxlab in touch with its class: heartbeats, the teacher's messages and resets (class join starts it)";
  static override flags = { lang: Flags.string({ description: 'language of the messages', options: ['en', 'zh'] }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(ClassAgent);
    const lang = pickLang(flags.lang);
    const m = await readMembership();
    if (!m) throw failedPrecondition(lang === 'zh' ? '这个 boxlab 没有加入任何课堂' : 'this boxlab is in no class', { suggestions: ['boxlab class join <url> --code <code> --name "<name>"'] });
    await fs.writeFile(agentPidFile(), `${process.pid}\n`, { mode: 0o600 });
    const stamp = (l: string) => this.log(`${new Date().toISOString().slice(11, 19)} ${l}`);
    const ports: AgentPorts = {
      probeSandbox: async (): Promise<SandboxState> => {
        const guest = await sandboxGuest(sandboxRequest(), { lang, quiet: true });
        try {
          return (await guest.exec(['true'], { timeoutMs: 10_000 })).exitCode === 0 ? 'up' : 'down';
        } finally {
          await guest.close?.();
        }
      },
      reset: async (labId, step) => {
        const ctx = labContext({ lang });
        try {
          const r = await resetLab(ctx, await labSandbox(sandboxRequest(), ctx, { quiet: true }), step, labId);
          return { en: `now at step ${r.step.index + 1}/${r.step.count}`, zh: `现在在第 ${r.step.index + 1}/${r.step.count} 步` };
        } finally {
          ctx.store.close();
        }
      },
      log: stamp,
    };
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    stamp(lang === 'zh' ? `与课堂 ${m.className}（${m.url}）保持联系` : `in touch with class ${m.className} (${m.url})`);
    const why = await runAgent(ports, lang, { signal: abort.signal });
    stamp(lang === 'zh' ? `停止：${why}` : `stopped: ${why}`);
    const pid = await fs.readFile(agentPidFile(), 'utf8').catch(() => '');
    if (pid.trim() === String(process.pid)) await fs.rm(agentPidFile(), { force: true });
  }
}
