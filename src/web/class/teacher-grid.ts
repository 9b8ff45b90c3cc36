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
} as const;

export type Word = keyof typeof WORDS;

const STATES: Record<SeatState, { en: string; zh: string }> = {
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
}

/** a student's row; sinceMs: time since the server computed it (the idle time goes on counting) */
export function gridRow(r: StatusRow, lang: Lang, sinceMs = 0): GridRow {
  const c = r.lastCheck;
  const time = c ? new Date(c.at).toISOString().slice(11, 19) : '';
  return {
    seatId: r.seatId,
    state: r.state,
    lastFailed: c !== undefined && !c.passed,
    cells: {
      name: r.name,
      lab: r.labId,
      step: r.step > r.stepCount ? word('done', lang) : `${r.step}/${r.stepCount}`,
      lastCheck: c ? `${c.stepId}: ${word(c.passed ? 'passed' : 'notPassed', lang)} ${c.checksPassed}/${c.checksTotal} (${time} UTC)` : word('none', lang),
      failed: String(r.failedAttempts),
      hints: String(r.hintsUsed),
      idle: formatIdle(r.idleMs + Math.max(0, sinceMs)),
      state: STATES[r.state][lang],
    },
  };
}
