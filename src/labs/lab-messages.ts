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
  // the lab commands (src/cli/commands/lab/)
  'lab.not-found': { en: 'lab "{query}" not found in {root}', zh: '在 {root} 里找不到实验 "{query}"' },
  'lab.ambiguous': { en: '"{query}" matches {count} labs: {ids}', zh: '"{query}" 匹配到 {count} 个实验：{ids}' },
  'lab.did-you-mean': { en: 'did you mean {ids}?', zh: '你要找的是不是 {ids}？' },
  'lab.or': { en: ' or ', zh: ' 或 ' },
  'lab.see-list': { en: 'boxlab lab list shows every lab', zh: 'boxlab lab list 会列出所有实验' },
  'list.done': { en: '✔ done', zh: '✔ 已完成' },
  'list.minutes': { en: '{n} min', zh: '{n} 分钟' },
  'list.problems': { en: '({n} problems)', zh: '（{n} 个问题）' },
  'lab.none-started': { en: 'no lab started', zh: '还没有开始任何实验' },
  'lab.no-step': { en: 'step {n} does not exist in lab "{id}"', zh: '实验 "{id}" 里没有第 {n} 步' },
  'lab.step-range': { en: 'choose a step from 1 to {count}', zh: '请选择第 1 到第 {count} 步' },
  'lab.script-failed': { en: 'the {which} of lab "{id}" failed (exit {code}): {detail}', zh: '实验 "{id}" 的 {which} 失败了（退出码 {code}）：{detail}' },
  'lab.script-failed-fix': { en: 'run "boxlab lab test {id}" to see whether the lab works in this sandbox', zh: '运行 "boxlab lab test {id}"，看看这个实验能否在这个沙箱里运行' },
  'lab.stopped': { en: 'lab {id} stopped: its teardown removed its containers and processes', zh: '实验 {id} 已停止：它的 teardown 删除了它的容器和进程' },
  'lab.stop-failed': { en: 'lab {id} stopped, but its teardown failed: {problem}', zh: '实验 {id} 已停止，但它的 teardown 失败了：{problem}' },
  'shell.none': { en: '{sandbox} has no interactive shell through boxlab', zh: '{sandbox} 没有可以通过 boxlab 打开的交互式 shell' },
  'shell.none-fix': {
    en: 'open its shell yourself (multipass shell <vm>), then export LAB_DIR and DOCKER_HOST as boxlab lab start printed them',
    zh: '请自己打开它的 shell（multipass shell <vm>），然后按 boxlab lab start 打印的那样 export LAB_DIR 和 DOCKER_HOST',
  },
  'lab.no-hint': { en: 'this step has no hint.', zh: '这一步没有提示。' },
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
  'start.vm-shell': {
    en: 'this lab runs in the sandbox {sandbox}: type its commands there, in a shell with the lab\'s environment (LAB_DIR, DOCKER_HOST):',
    zh: '这个实验运行在沙箱 {sandbox} 里：请在那里输入命令，用一个带有实验环境（LAB_DIR、DOCKER_HOST）的 shell：',
  },
  'start.sandbox-lost': {
    en: 'you are at step {step} of this lab, but the sandbox {now} no longer holds it{startedIn}: a new VM, a restored snapshot or another sandbox. Nothing ran.',
    zh: '你在这个实验的第 {step} 步，但沙箱 {now} 里已经没有这个实验了{startedIn}：可能是新的虚拟机、恢复的快照或换了沙箱。什么都没有运行。',
  },
  'start.started-in': { en: ' (it was set up in {sandbox})', zh: '（它是在 {sandbox} 里准备的）' },
  'start.offer-replay': { en: "replay the earlier steps' solutions and go on at step {step}: boxlab lab start {id} --replay", zh: '重放前面各步的参考答案，然后从第 {step} 步继续：boxlab lab start {id} --replay' },
  'start.offer-restart': { en: 'or start over at step 1: boxlab lab start {id} --restart', zh: '或者从第 1 步重新开始：boxlab lab start {id} --restart' },
  'start.replayed': { en: "replayed steps 1 to {n}: each step's solution ran and its checks passed", zh: '已重放第 1 到第 {n} 步：每一步的参考答案都运行了，检查都通过了' },
  'start.replay-stopped': { en: 'the replay stopped at step {n} ({id}): {problem}', zh: '重放在第 {n} 步（{id}）停止了：{problem}' },
  'replay.no-solution': { en: 'this step has no solution to replay', zh: '这一步没有可以重放的参考答案' },
  'replay.solution-failed': { en: 'its solution failed (exit {code}): {detail}', zh: '它的参考答案运行失败（退出码 {code}）：{detail}' },
  'check.step': { en: 'step {n}/{count} {title}', zh: '第 {n}/{count} 步 {title}' },
  'check.hint': { en: 'hint', zh: '提示' },
  'check.lab-finished': { en: 'lab finished!', zh: '实验完成！' },
  'check.already-finished': {
    en: 'this lab is already finished (on {date}); its last step, checked again (nothing is recorded):',
    zh: '这个实验已经完成了（{date}）；再次检查它的最后一步（不记录结果）：',
  },
  'check.recheck': { en: 'step {n}, passed before, checked again (nothing is recorded):', zh: '第 {n} 步之前已经通过，再次检查（不记录结果）：' },
  'check.step-ahead': { en: 'step {n} is ahead of you: you are at step {current}', zh: '第 {n} 步还没轮到：你现在在第 {current} 步' },
  'check.still-holds': { en: 'it still holds', zh: '结果仍然成立' },
  'check.no-longer-holds': { en: 'it no longer holds (the lab stays finished)', zh: '结果已经不成立了（实验仍然算作已完成）' },
  'check.no-longer-holds-step': { en: 'it no longer holds (the step stays passed)', zh: '结果已经不成立了（这一步仍然算作已通过）' },
  'check.finished-how': {
    en: 'check another step again: boxlab lab check --step N; start over: boxlab lab reset {id}',
    zh: '再次检查别的步骤：boxlab lab check --step N；重新开始：boxlab lab reset {id}',
  },
  'check.sandbox-lost': {
    en: 'the sandbox {now} no longer holds this lab{startedIn}: replay its earlier steps with boxlab lab start {id} --replay, or start over with boxlab lab start {id} --restart',
    zh: '沙箱 {now} 里已经没有这个实验了{startedIn}：用 boxlab lab start {id} --replay 重放前面的步骤，或者用 boxlab lab start {id} --restart 重新开始',
  },
  'check.note': { en: 'note: {text}', zh: '注意：{text}' },
  'status.header': { en: '{id}: {title}', zh: '{id}：{title}' },
  'status.progress': { en: 'started {started}, {n} check(s) passed', zh: '开始于 {started}，已通过 {n} 项检查' },
  'status.finished': { en: ', finished {date}', zh: '，完成于 {date}' },
  'status.sandbox': { en: 'sandbox: {sandbox}', zh: '沙箱：{sandbox}' },
  'status.sandbox-none': { en: 'none: {why}', zh: '无：{why}' },
  'status.sandbox-none-fix': { en: 'none: {why} ({fix})', zh: '无：{why}（{fix}）' },
  'sandbox.vm': { en: 'vm "{vm}" ({provider})', zh: '虚拟机 "{vm}"（{provider}）' },
  'sandbox.here-asked': { en: 'this host (--provider local, no VM boundary)', zh: '本机（--provider local，没有虚拟机隔离）' },
  'sandbox.here-no-vm': { en: 'this host (no sandbox vm "{vm}": boxlab up creates it)', zh: '本机（没有沙箱虚拟机 "{vm}"：boxlab up 会创建它）' },
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
