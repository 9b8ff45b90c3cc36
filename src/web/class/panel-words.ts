// The words of the teacher's watch and replay panels, in both languages. Pure.
import { fillPlaces, type Lang } from '../../core/lang.js';

const WORDS = {
  watchTitle: { en: "{name}'s terminal (live, read-only)", zh: '{name} 的终端（实时，只读）' },
  replayTitle: { en: "{name}'s session (replay)", zh: '{name} 的操作回放' },
  close: { en: 'Close', zh: '关闭' },
  offline: { en: "{name}'s boxlab page is not connected: no terminal to watch", zh: '{name} 的 boxlab 页面没有连接：没有可看的终端' },
  noTerminal: { en: 'No terminal to watch: the student has no terminal open on their page', zh: '没有可看的终端：学生的页面上没有打开终端' },
  'help-none': { en: 'watching', zh: '正在看' },
  'help-asked': { en: 'asked {name} to let you type: waiting for their answer', zh: '已请求 {name} 允许你输入：等待回答' },
  'help-allowed': { en: '{name} allowed you to type: what you type goes to their shell', zh: '{name} 允许你输入：你输入的内容会进入他们的终端' },
  'help-refused': { en: '{name} refused: watching only', zh: '{name} 拒绝了：只能看' },
  'help-stopped': { en: 'help stopped: watching only', zh: '帮助已停止：只能看' },
  help: { en: 'Help {name}', zh: '帮助 {name}' },
  stopHelp: { en: 'Stop helping', zh: '停止帮助' },
  replay: { en: 'Replay', zh: '回放' },
  play: { en: 'Play', zh: '播放' },
  pause: { en: 'Pause', zh: '暂停' },
  noReplay: { en: 'Nothing recorded for this student: serve the class with --record to keep replays', zh: '没有这个学生的记录：用 --record 启动课堂才会保存回放' },
  dropped: { en: 'the oldest {chars} characters (until {time} UTC) were dropped to keep the replay under its cap', zh: '为了不超过上限，最早的 {chars} 个字符（到 {time} UTC 为止）已被丢弃' },
  checkPassed: { en: 'check {step}: passed {n}/{total}', zh: '检查 {step}：通过 {n}/{total}' },
  checkFailed: { en: 'check {step}: failed {n}/{total}', zh: '检查 {step}：未通过 {n}/{total}' },
  helpEvent: { en: 'help {state}', zh: '帮助：{state}' },
  traceEvent: { en: 'engine: {what}', zh: '引擎：{what}' },
  openEvent: { en: 'terminal opened', zh: '打开了终端' },
  closeEvent: { en: 'terminal closed', zh: '关闭了终端' },
} as const;

export type PanelWord = keyof typeof WORDS;

export function panelWord(w: PanelWord, lang: Lang, values: Record<string, string | number> = {}): string {
  return fillPlaces(WORDS[w][lang], values);
}
