// The teacher's live grid, as words: one row of cells per student of a class status (class-status.ts
// sorts them, stuck first; the grid keeps that order), the column heads and the page's other words, in
// both languages. The idle time keeps counting between two pushes of the class server. Pure.
import { fillPlaces, type Lang } from '../../core/lang.js';
import type { SeatState, StatusRow } from '../../classroom/class-status.js';
import { formatIdle } from '../../classroom/class-format.js';

const WORDS = {
  title: { en: 'Class {name}', zh: '课堂 {name}' },
  seats: { en: '{taken}/{seats} seats', zh: '已坐 {taken}/{seats} 个座位' },
  code: { en: 'join code: {code}', zh: '加入码：{code}' },
  noCode: { en: 'no live join code: boxlab class code {name}', zh: '没有有效的加入码：boxlab class code {name}' },
  closed: { en: 'closed: no one joins or reports any more', zh: '已结束：不再有人加入或提交结果' },
  empty: { en: 'No student has joined yet. Students run: boxlab class join {url} --code <code> --name "<name>"', zh: '还没有学生加入。学生运行：boxlab class join {url} --code <加入码> --name "<名字>"' },
  connecting: { en: 'connecting…', zh: '正在连接…' },
  live: { en: 'live', zh: '实时' },
  reconnecting: { en: 'connection lost, reconnecting…', zh: '连接断开，正在重连…' },
  refused: { en: 'the class server refused this page: open the teacher address `boxlab class serve` printed', zh: '课堂服务器拒绝了本页面：请打开 `boxlab class serve` 打印的教师地址' },
  toggle: { en: '中文', zh: 'English' },
  name: { en: 'Student', zh: '学生' },
  lab: { en: 'Lab', zh: '实验' },
  step: { en: 'Step', zh: '步骤' },
  lastCheck: { en: 'Last check', zh: '最近一次检查' },
  failed: { en: 'Failed attempts', zh: '失败次数' },
  hints: { en: 'Hints', zh: '提示' },
  idle: { en: 'Idle', zh: '空闲' },
  state: { en: 'State', zh: '状态' },
  done: { en: 'done', zh: '完成' },
  passed: { en: 'passed', zh: '通过' },
  notPassed: { en: 'failed', zh: '未通过' },
  none: { en: '–', zh: '–' },
  deadSilent: { en: 'sandbox silent since {time} UTC ({ago})', zh: '沙盒自 {time} UTC 起没有响应（{ago}）' },
  deadDown: { en: 'sandbox down since {time} UTC ({ago})', zh: '沙盒自 {time} UTC 起无法连接（{ago}）' },
  deadAfter: { en: 'a sandbox silent for {after} shows dead', zh: '沙盒 {after} 没有响应即显示为失联' },
  actions: { en: 'Actions', zh: '操作' },
  resetButton: { en: 'Reset lab', zh: '重置实验' },
  resetAsk: { en: 'Reset {name}\'s lab {lab} to which step? (1 = start the lab over; their grades stay)', zh: '把 {name} 的实验 {lab} 重置到第几步？（1 = 整个实验重来；成绩保留）' },
  resetPending: { en: 'reset to step {step} asked {time} UTC', zh: '{time} UTC 已请求重置到第 {step} 步' },
  resetSent: { en: 'resetting to step {step}…', zh: '正在重置到第 {step} 步…' },
  resetDone: { en: 'reset to step {step} at {time} UTC', zh: '{time} UTC 已重置到第 {step} 步' },
  resetFailed: { en: 'reset to step {step} failed: {message}', zh: '重置到第 {step} 步失败：{message}' },
  broadcastLabel: { en: 'Message to every student', zh: '发给全班的消息' },
  broadcastSend: { en: 'Send', zh: '发送' },
  broadcastSent: { en: 'Sent messages', zh: '已发送的消息' },
  broadcastError: { en: 'not sent: {message}', zh: '未发送：{message}' },
} as const;

export type Word = keyof typeof WORDS;

const STATES: Record<SeatState, { en: string; zh: string }> = {
  dead: { en: 'sandbox dead', zh: '沙盒失联' },
  stuck: { en: 'stuck', zh: '卡住了' },
  'not-started': { en: 'not started', zh: '未开始' },
  working: { en: 'working', zh: '进行中' },
  finished: { en: 'finished', zh: '已完成' },
};

export function word(w: Word, lang: Lang, values: Record<string, string | number> = {}): string {
  return fillPlaces(WORDS[w][lang], values);
}

export const COLUMNS = ['name', 'lab', 'step', 'lastCheck', 'failed', 'hints', 'idle', 'state'] as const satisfies readonly Word[];
export type Column = (typeof COLUMNS)[number];

export interface GridRow {
  seatId: string;
  state: SeatState;
  /** the last check failed (the cell shows red) */
  lastFailed: boolean;
  cells: Record<Column, string>;
  /** the teacher's last reset of this seat and how it went, as words (empty: none) */
  reset: string;
}

const utc = (iso: string) => new Date(iso).toISOString().slice(11, 19);

/** the state cell: a dead seat says since when and how long ago */
function stateCell(r: StatusRow, lang: Lang, sinceMs: number): string {
  if (r.state !== 'dead' || !r.dead) return STATES[r.state][lang];
  const ago = formatIdle(Math.max(0, Date.parse(r.lastSeenAt) + r.idleMs + sinceMs - Date.parse(r.dead.since)));
  return word(r.dead.why === 'silent' ? 'deadSilent' : 'deadDown', lang, { time: utc(r.dead.since), ago });
}

function resetCell(r: StatusRow, lang: Lang): string {
  const c = r.reset;
  if (!c) return '';
  if (c.state === 'pending') return word('resetPending', lang, { step: c.step, time: utc(c.requestedAt) });
  if (c.state === 'sent') return word('resetSent', lang, { step: c.step });
  if (c.state === 'done') return word('resetDone', lang, { step: c.step, time: utc(c.doneAt ?? c.requestedAt) });
  return word('resetFailed', lang, { step: c.step, message: c.message ?? '' });
}

/** a student's row; sinceMs: time since the server computed it (the idle time goes on counting) */
export function gridRow(r: StatusRow, lang: Lang, sinceMs = 0): GridRow {
  const c = r.lastCheck;
  const time = c ? utc(c.at) : '';
  return {
    seatId: r.seatId,
    state: r.state,
    lastFailed: c !== undefined && !c.passed,
    reset: resetCell(r, lang),
    cells: {
      name: r.name,
      lab: r.labId,
      step: r.step > r.stepCount ? word('done', lang) : `${r.step}/${r.stepCount}`,
      lastCheck: c ? `${c.stepId}: ${word(c.passed ? 'passed' : 'notPassed', lang)} ${c.checksPassed}/${c.checksTotal} (${time} UTC)` : word('none', lang),
      failed: String(r.failedAttempts),
      hints: String(r.hintsUsed),
      idle: formatIdle(r.idleMs + Math.max(0, sinceMs)),
      state: stateCell(r, lang, sinceMs),
    },
  };
}
