// The page's own words in both languages (lab text and trace explanations come from the server).
export type Lang = 'en' | 'zh';

const WORDS = {
  catalog: { en: 'Labs', zh: '实验' },
  intro: { en: 'About this lab', zh: '关于本实验' },
  minutes: { en: 'min', zh: '分钟' },
  steps: { en: 'steps', zh: '步' },
  done: { en: 'done', zh: '已完成' },
  notStarted: { en: 'not started', zh: '未开始' },
  check: { en: 'Check', zh: '检查' },
  checking: { en: 'checking…', zh: '检查中…' },
  next: { en: 'Next →', zh: '下一步 →' },
  prev: { en: '← Previous', zh: '← 上一步' },
  hint: { en: 'Hint', zh: '提示' },
  passed: { en: 'passed', zh: '通过' },
  failed: { en: 'failed', zh: '未通过' },
  skipped: { en: 'skipped', zh: '跳过' },
  stepPassed: { en: 'Step passed', zh: '本步完成' },
  labFinished: { en: 'Lab finished. Well done!', zh: '实验完成，干得好！' },
  underTheHood: { en: 'Under the hood', zh: '引擎内部' },
  traceEmpty: { en: 'Run a docker command in the terminal: what the engine does appears here.', zh: '在终端里运行一条 docker 命令，引擎做的每一步都会显示在这里。' },
  learnMore: { en: 'learn it by hand', zh: '亲手试试' },
  details: { en: 'details', zh: '细节' },
  engineStarting: { en: 'Starting the engine…', zh: '正在启动引擎…' },
  engineReady: { en: 'engine ready', zh: '引擎就绪' },
  engineFailed: { en: 'engine failed', zh: '引擎出错' },
  retry: { en: 'Retry', zh: '重试' },
  reconnecting: { en: 'connection lost, reconnecting…', zh: '连接断开，正在重连…' },
  shellExited: { en: 'the shell exited; press Enter for a new one', zh: 'shell 已退出；按回车开一个新的' },
  opening: { en: 'opening the lab…', zh: '正在打开实验…' },
  toggle: { en: '中文', zh: 'English' },
  autoCheck: { en: 'checking automatically in the background', zh: '后台自动检查中' },
} as const;

export type Word = keyof typeof WORDS;

export function t(word: Word, lang: Lang): string {
  return WORDS[word][lang];
}
