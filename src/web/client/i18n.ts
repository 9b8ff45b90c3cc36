// The page's own words in both languages (lab text and trace explanations come from the server).
import { fillPlaces, type Lang } from '../../core/lang.js';

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
  traceDockerNode: {
    en: "The docker in {node}'s shell is Debian's dockerd, which tells nothing of its steps: this panel shows {node}'s boxlabd (DOCKER_HOST=unix:///run/boxlab/docker.sock docker run ... there).",
    zh: "{node} 的 shell 里的 docker 是 Debian 的 dockerd，它不讲自己的每一步：这里显示的是 {node} 上的 boxlabd（在那里用 DOCKER_HOST=unix:///run/boxlab/docker.sock docker run ...）。",
  },
  traceEmpty: { en: 'Run a docker command in the terminal: what the engine does appears here.', zh: '在终端里运行一条 docker 命令，引擎做的每一步都会显示在这里。' },
  learnMore: { en: 'learn it by hand', zh: '亲手试试' },
  details: { en: 'details', zh: '细节' },
  engineStarting: { en: 'Starting the engine…', zh: '正在启动引擎…' },
  engineReady: { en: 'engine ready', zh: '引擎就绪' },
  engineFailed: { en: 'engine failed', zh: '引擎出错' },
  retry: { en: 'Retry', zh: '重试' },
  reconnecting: { en: 'connection lost, reconnecting…', zh: '连接断开，正在重连…' },
  onNode: { en: 'on {node}', zh: '在 {node} 上' },
  nodeTab: { en: 'a shell on node {node} ({address})', zh: '节点 {node} 上的 shell（{address}）' },
  shellExited: { en: 'the shell exited; press Enter for a new one', zh: 'shell 已退出；按回车开一个新的' },
  opening: { en: 'opening the lab…', zh: '正在打开实验…' },
  toggle: { en: '中文', zh: 'English' },
  autoCheck: { en: 'checking automatically in the background', zh: '后台自动检查中' },
  autoFailed: { en: 'background check: not yet', zh: '后台检查：尚未通过' },
  autoError: { en: 'background checks stopped', zh: '后台检查已停止' },
  tutorials: { en: 'Tutorials', zh: '教程' },
  tutorialRun: { en: '▶ Run', zh: '▶ 运行' },
  tutorialType: { en: 'Type into terminal', zh: '输入到终端' },
  tutorialRunning: { en: 'running…', zh: '运行中…' },
  tutorialReset: { en: 'Start over', zh: '重新开始' },
  tutorialResetDone: { en: 'the tutorial folder was cleaned up', zh: '教程目录已清理' },
  expectedOutput: { en: 'Expected', zh: '期望输出' },
  actualOutput: { en: 'Actual', zh: '实际输出' },
  noExpected: { en: '(the page shows no output for this step: only the exit code counts)', zh: '（本步没有给出期望输出：只看退出码）' },
  outputMatches: { en: 'output matches', zh: '输出一致' },
  outputDiffers: { en: 'output differs', zh: '输出不一致' },
  skipStep: { en: 'shown only: run it yourself in the terminal', zh: '仅展示：请在终端里自己运行' },
  cleanupStep: { en: 'cleanup (also runs on Start over)', zh: '清理（重新开始时也会运行）' },
  exitCode: { en: 'exit code', zh: '退出码' },
  run: { en: '▶ run', zh: '▶ 运行' },
  traceShowAll: { en: 'show everything', zh: '显示全部' },
  traceShowLab: { en: 'this lab only', zh: '只看本实验' },
  traceHidden: { en: 'earlier engine events are hidden', zh: '更早的引擎事件已隐藏' },
  traceRemoved: { en: 'removed', zh: '已删除' },
  seeItYourself: { en: 'see it yourself', zh: '自己看看' },
  publishedPorts: { en: 'Published ports (open in the browser):', zh: '已发布的端口（在浏览器中打开）：' },
  copy: { en: 'copy', zh: '复制' },
  copied: { en: 'copied', zh: '已复制' },
  anotherHint: { en: 'Another hint', zh: '再给一条提示' },
  hintOf: { en: 'hint {n} of {count}', zh: '提示 {n}/{count}' },
  noMoreHints: { en: 'that was the last hint', zh: '这是最后一条提示' },
  after: { en: 'after', zh: '先学' },
  otherLabs: { en: 'Other labs', zh: '其他实验' },
  yourAnswer: { en: 'Your answer', zh: '你的答案' },
  saveAnswer: { en: 'Save answer', zh: '保存答案' },
  answerSaved: { en: 'saved: now do the step and press Check', zh: '已保存：现在完成这一步，然后点“检查”' },
  levelBeginner: { en: 'beginner', zh: '入门' },
  levelIntermediate: { en: 'intermediate', zh: '进阶' },
  levelAdvanced: { en: 'advanced', zh: '高级' },
  labReset: { en: 'Start over', zh: '重新开始' },
  labResetConfirm: {
    en: 'Start this lab over? Its teardown and setup run again in the sandbox (what the steps made is removed) and you are back at step 1.',
    zh: '重新开始这个实验？沙箱里会重新运行它的 teardown 和 setup（各步骤创建的东西会被删除），你会回到第 1 步。',
  },
  labResetting: { en: 'starting over…', zh: '正在重新开始…' },
  labResetDone: { en: 'The lab was set up again: you are back at step 1.', zh: '实验已重新准备好：你回到了第 1 步。' },
  solveUpTo: { en: 'Solve up to here', zh: '自动完成到这一步' },
  solveUpToTitle: {
    en: "Set the lab up again and run the solutions of steps 1 to {n}, each checked, to start at this step",
    zh: '重新准备实验，运行第 1 到第 {n} 步的参考答案并逐步检查，然后从这一步开始',
  },
  solving: { en: 'replaying the earlier steps…', zh: '正在重放前面的步骤…' },
  solved: { en: "Steps 1 to {n} solved: their solutions ran and their checks passed.", zh: '第 1 到第 {n} 步已完成：参考答案已运行，检查都通过了。' },
  solveStopped: { en: 'The replay stopped at step {n}: {problem}', zh: '重放在第 {n} 步停止了：{problem}' },
  sandboxLost: {
    en: 'You are at step {n} of this lab, but the sandbox ({now}) no longer holds what the earlier steps made: a new VM, a restored snapshot or another sandbox.',
    zh: '你在这个实验的第 {n} 步，但沙箱（{now}）里已经没有前面各步创建的东西了：可能是新的虚拟机、恢复的快照或换了沙箱。',
  },
  replayEarlier: { en: 'Replay steps 1 to {n} and go on', zh: '重放第 1 到第 {n} 步并继续' },
  labStopped: { en: 'Lab {id} was stopped: its teardown removed its containers and processes.', zh: '实验 {id} 已停止：它的 teardown 删除了它的容器和进程。' },
  localSandbox: {
    en: 'Local sandbox: the terminal below is a root shell on this computer, not in a VM. What you type changes this machine.',
    zh: '本机沙箱：下面的终端是这台电脑上的 root shell，不在虚拟机里。你输入的命令会改变这台机器。',
  },
  // the help bar, when the student's class teacher watches or asks to type (help-bar.ts, ADR 0020)
  helpAsked: { en: 'Your teacher asks to type in your terminal.', zh: '老师请求在你的终端里输入。' },
  helpAllow: { en: 'Allow', zh: '允许' },
  helpRefuse: { en: 'Refuse', zh: '拒绝' },
  helpAllowed: { en: 'Your teacher may type in your terminal.', zh: '老师可以在你的终端里输入。' },
  helpStop: { en: 'Stop', zh: '停止' },
  helpWatched: { en: 'Your teacher is watching your terminal.', zh: '老师正在看你的终端。' },
  helpRecorded: { en: 'This class records your terminal for your teacher to replay.', zh: '本课堂会记录你的终端，供老师回放。' },
} as const;

export type Word = keyof typeof WORDS;

export function t(word: Word, lang: Lang, values: Record<string, string | number> = {}): string {
  return fillPlaces(WORDS[word][lang], values);
}

const LEVELS: Record<string, Word> = { beginner: 'levelBeginner', intermediate: 'levelIntermediate', advanced: 'levelAdvanced' };

/** a lab's level (the lab file says beginner, intermediate or advanced) in the page's language */
export function levelLabel(level: string, lang: Lang): string {
  const word = LEVELS[level.toLowerCase()];
  return word ? t(word, lang) : level;
}
