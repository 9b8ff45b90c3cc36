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
  'test.snippet-failed': { en: 'the snippet at {at} {why}; a student who clicks it sees:\n{output}', zh: '{at} 处的代码片段{why}；学生点击它会看到：\n{output}' },
  'test.snippets-not-enough': {
    en: 'the snippets of step "{step}" ran clean but do not do the step ({checks}); fix them, or if the student must do more than click them, say so with a kind: challenge, predict or diagnose line after "## step {step}"',
    zh: '第 "{step}" 步的代码片段都运行成功，但没有完成这一步（{checks}）；请修正它们；如果学生除了点击还要自己动手，请在 "## step {step}" 之后写一行 kind: challenge、predict 或 diagnose',
  },
  'test.no-output': { en: '(no output)', zh: '（没有输出）' },
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
  // the lab commands (src/cli/commands/lab/)
  'lab.not-found': { en: 'lab "{query}" not found in {root}', zh: '在 {root} 里找不到实验 "{query}"' },
  'lab.ambiguous': { en: '"{query}" matches {count} labs: {ids}', zh: '"{query}" 匹配到 {count} 个实验：{ids}' },
  'lab.did-you-mean': { en: 'did you mean {ids}?', zh: '你要找的是不是 {ids}？' },
  'lab.or': { en: ' or ', zh: ' 或 ' },
  'lab.see-list': { en: 'boxlab lab list shows every lab', zh: 'boxlab lab list 会列出所有实验' },
  'list.done': { en: '✔ done', zh: '✔ 已完成' },
  'list.minutes': { en: '{n} min', zh: '{n} 分钟' },
  'list.other': { en: 'Other labs', zh: '其他实验' },
  'list.after': { en: 'after {ids}', zh: '先学 {ids}' },
  'level.beginner': { en: 'beginner', zh: '入门' },
  'level.intermediate': { en: 'intermediate', zh: '进阶' },
  'level.advanced': { en: 'advanced', zh: '高级' },
  'list.problems': { en: '({n} problems)', zh: '（{n} 个问题）' },
  'start.resumed': { en: '(resumed)', zh: '（继续）' },
  'start.finished': { en: 'you finished this lab on {date}.', zh: '你已经在 {date} 完成了这个实验。' },
  'start.restart': { en: 'start it over: boxlab lab reset {id}', zh: '重新开始：boxlab lab reset {id}' },
  'start.next': { en: 'next lab: boxlab lab start {id}  ({title})', zh: '下一个实验：boxlab lab start {id}（{title}）' },
  'start.last': { en: 'that was the last lab (boxlab lab list shows them all)', zh: '这是最后一个实验（boxlab lab list 会列出所有实验）' },
  'start.then': { en: 'then: boxlab lab check', zh: '然后运行：boxlab lab check' },
  'start.engine': {
    en: "this lab's docker commands must reach boxlabd at {host}; in your shell, run:",
    zh: '这个实验的 docker 命令要连接 boxlabd（{host}）；请在你的 shell 里运行：',
  },
  'hint.none': { en: 'this step has no hint.', zh: '这一步没有提示。' },
  'hint.number': { en: 'hint {n} of {count}', zh: '提示 {n}/{count}' },
  'hint.more': { en: '(boxlab lab hint again for the next one)', zh: '（再运行一次 boxlab lab hint 可以看下一条）' },
  'hint.last': { en: '(that was the last hint)', zh: '（这是最后一条提示）' },
  'answer.no-question': { en: 'step "{step}" asks for no answer', zh: '第 "{step}" 步不需要填写答案' },
  'answer.check-instead': { en: 'do the step, then: boxlab lab check', zh: '完成这一步后运行：boxlab lab check' },
  'answer.empty': { en: 'the answer is empty', zh: '答案是空的' },
  'answer.example': { en: 'write it after the command, e.g. boxlab lab answer 3', zh: '把答案写在命令后面，例如 boxlab lab answer 3' },
  'answer.saved': { en: 'your answer is in {file}; now find out: boxlab lab check', zh: '你的答案已写入 {file}；现在来验证：boxlab lab check' },
  'check.step': { en: 'step {n}/{count} {title}', zh: '第 {n}/{count} 步 {title}' },
  'check.lab-finished': { en: 'lab finished!', zh: '实验完成！' },
  'check.already-finished': {
    en: 'this lab is already finished (start it over: boxlab lab reset {id}); its last step, checked again:',
    zh: '这个实验已经完成了（重新开始：boxlab lab reset {id}）；再次检查它的最后一步：',
  },
  'check.still-holds': { en: 'the last step still holds', zh: '最后一步的结果仍然成立' },
  'check.no-longer-holds': { en: 'the last step no longer holds (the lab stays finished)', zh: '最后一步的结果已经不成立了（实验仍然算作已完成）' },
  'check.note': { en: 'note: {text}', zh: '注意：{text}' },
  'engine.shell-unset': { en: 'DOCKER_HOST is not set in your shell, so your docker talks to {address}', zh: '你的 shell 没有设置 DOCKER_HOST，所以 docker 连接的是 {address}' },
  'engine.shell-set': { en: 'your shell has DOCKER_HOST={address}', zh: '你的 shell 里 DOCKER_HOST={address}' },
  'engine.other-answers': {
    en: '{shell} ({engine}, {count} container(s)), but this lab checks boxlabd at {lab}, which has no containers: your docker may be talking to another engine. Run: export DOCKER_HOST={lab} and create your containers again',
    zh: '{shell}（{engine}，{count} 个容器），但这个实验检查的是 {lab} 上的 boxlabd，那里没有容器：你的 docker 可能连到了另一个引擎。请运行：export DOCKER_HOST={lab}，然后重新创建容器',
  },
  'engine.other-silent': {
    en: '{shell}, where no engine answers; this lab checks boxlabd at {lab}, which has no containers. Run: export DOCKER_HOST={lab} and create your containers again',
    zh: '{shell}，那里没有引擎应答；这个实验检查的是 {lab} 上的 boxlabd，那里没有容器。请运行：export DOCKER_HOST={lab}，然后重新创建容器',
  },
  'sandbox.no-vm': {
    en: 'warning: no sandbox vm "{vm}" (create it with: boxlab up), so the lab runs on this host as {user}: there is no VM boundary',
    zh: '警告：没有沙箱虚拟机 "{vm}"（用 boxlab up 创建），所以实验直接在本机上以 {user} 身份运行：没有虚拟机隔离',
  },
  'sandbox.local': {
    en: 'warning: --provider local: the lab runs on this host as {user}: there is no VM boundary (for development and CI only)',
    zh: '警告：--provider local：实验直接在本机上以 {user} 身份运行：没有虚拟机隔离（只用于开发和 CI）',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof MESSAGES;

export function labMessage(lang: Lang, key: MessageKey, values: Record<string, string | number> = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export const MESSAGE_KEYS = Object.keys(MESSAGES) as MessageKey[];
