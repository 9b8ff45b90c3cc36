// Messages the lab and tutorial code builds itself (check results, `lab test` findings, the tutorial
// runner's prompts), in zh-CN and en (design decision 11). Pure: a key, a language and the values to
// fill in; lab text written by teachers never passes through here.
import type { Lang } from '../core/lang.js';

const MESSAGES = {
  'check.skipped': { en: 'skipped: needs {needs} to pass first', zh: '已跳过：需要先通过 {needs}' },
  'check.timed-out': { en: 'timed out after {duration}', zh: '超时（{duration}）' },
  'check.runner-stopped': { en: 'the check runner stopped before this check', zh: '检查程序在这项检查之前就停止了' },
  'test.passed-before': {
    en: 'check "{check}" passed before the solution ran: it cannot tell whether the student did the step',
    zh: '检查 "{check}" 在运行参考答案之前就通过了：它无法判断学生是否完成了这一步',
  },
  'test.solution-failed': { en: 'solution failed (exit {code}): {detail}', zh: '参考答案运行失败（退出码 {code}）：{detail}' },
  'test.no-solution': { en: 'no solution to replay', zh: '没有可以重放的参考答案' },
  'test.after': { en: 'check "{check}" {status} after the solution: {detail}', zh: '运行参考答案之后，检查 "{check}" {status}：{detail}' },
  'test.setup-failed': { en: 'setup failed (exit {code}): {detail}', zh: 'setup 失败（退出码 {code}）：{detail}' },
  'test.teardown-failed': { en: 'teardown failed (exit {code}): {detail}', zh: 'teardown 失败（退出码 {code}）：{detail}' },
  'test.not-every-step': { en: 'not every step ran', zh: '并非每一步都运行了' },
  'status.passed': { en: 'passed', zh: '通过' },
  'status.failed': { en: 'failed', zh: '未通过' },
  'status.skipped': { en: 'skipped', zh: '已跳过' },
  'tutorial.step': { en: 'step {n}/{count}', zh: '第 {n}/{count} 步' },
  'tutorial.prompt': { en: '[Enter] run, s skip, q quit: ', zh: '[回车] 运行，s 跳过，q 退出：' },
  'tutorial.skipped': { en: 'skipped', zh: '已跳过' },
  'tutorial.not-run': { en: 'shown only, not run', zh: '仅展示，不运行' },
  'tutorial.output-differs': { en: 'the output differs from the tutorial:', zh: '输出与教程不一致：' },
  'tutorial.exit-differs': { en: 'exit code {code}, the tutorial expects {want}', zh: '退出码为 {code}，教程期望 {want}' },
  'tutorial.ok': { en: 'as in the tutorial', zh: '与教程一致' },
  'tutorial.stopped': { en: 'stopped after step {n}: later steps build on it', zh: '在第 {n} 步后停止：后面的步骤依赖它' },
  'tutorial.passed': { en: 'ok', zh: '通过' },
  'tutorial.failed': { en: 'FAILED', zh: '失败' },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof MESSAGES;

export function labMessage(lang: Lang, key: MessageKey, values: Record<string, string | number> = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export const MESSAGE_KEYS = Object.keys(MESSAGES) as MessageKey[];
