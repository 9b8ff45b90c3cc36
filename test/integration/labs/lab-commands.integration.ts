// The lab commands as a student meets them in their first hour, through `bin/run.js` on a catalog of
// three small labs (this host as the sandbox: no vm "boxlab" exists in the test's BOXLAB_HOME): `lab
// reset <id>`, a lab named by its number or name (or mistyped), a finished lab started and checked
// again, the one-line notice that the lab runs on this host, `lab list` in columns with Chinese titles,
// and for a lab that uses the engine the DOCKER_HOST line and the diagnosis of a shell whose docker
// talks to another engine (two boxlabd: the lab's, and "another" one holding the student's container).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EngineHarness } from '../../helpers/engine-harness.js';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';
import { requires } from '../../helpers/requires.js';

const run = promisify(execFile);

interface FixtureLab {
  id: string;
  en: string;
  zh: string;
  engine?: boolean;
  check: string;
  solution: string;
}

/** a one-step lab in the format of docs/lab-format.md */
function labMarkdown(l: FixtureLab): string {
  const fence = '```';
  return `---
id: ${l.id}
title: {en: "${l.en}", zh: "${l.zh}"}
description: {en: "a lab of the CLI tests", zh: "命令行测试用的实验"}
duration: 20m
level: beginner
tags: [test]
needs: {${l.engine ? 'engine: true, ' : ''}commands: [bash]}
---

:::en
Intro of ${l.id}.
:::
:::zh
${l.id} 的介绍。
:::

${fence}setup
mkdir -p "$LAB_DIR"
${fence}

${fence}teardown
rm -rf "$LAB_DIR"
${fence}

## step only

:::en Do it
Do the thing.
:::
:::zh 动手
做这件事。
:::

${fence}check done timeout=10s
${l.check}
${fence}

${fence}solution
${l.solution}
${fence}
`;
}

const TWO_STEPS = `---
id: 04-two-steps
title: {en: "Two steps", zh: "两步"}
description: {en: "a lab of the CLI tests", zh: "命令行测试用的实验"}
duration: 20m
level: beginner
tags: [test]
needs: {commands: [bash]}
---

:::en
Intro.
:::
:::zh
介绍。
:::

\`\`\`setup
mkdir -p "$LAB_DIR"
\`\`\`

\`\`\`teardown
rm -rf "$LAB_DIR"
\`\`\`

## step one

:::en Do it
Make first.
:::
:::zh 动手
创建 first。
:::

\`\`\`check first timeout=10s
test -f "$LAB_DIR/first" || fail "no first file yet" "还没有第一个文件"
\`\`\`

\`\`\`solution
touch "$LAB_DIR/first"
\`\`\`

## step two

:::en Then the second
Make second.
:::
:::zh 然后第二个
创建 second。
:::

\`\`\`check second timeout=10s
test -f "$LAB_DIR/first" && test -f "$LAB_DIR/second" || fail "no second file yet" "还没有第二个文件"
\`\`\`

\`\`\`solution
touch "$LAB_DIR/second"
\`\`\`
`;

const LABS: FixtureLab[] = [
  { id: '01-first-files', en: 'First files', zh: '第一个文件', check: 'test -f "$LAB_DIR/first" || fail "no first file yet" "还没有第一个文件"', solution: 'touch "$LAB_DIR/first"' },
  { id: '02-more-files', en: 'More files: copy, move, rename, delete and link them', zh: '更多的文件：复制、移动与删除', check: 'test -f "$LAB_DIR/more" || fail "no more file yet" "还没有 more 文件"', solution: 'touch "$LAB_DIR/more"' },
  {
    id: '03-engine-files',
    en: 'Files in containers',
    zh: '容器里的文件',
    engine: true,
    check: 'docker inspect web >/dev/null 2>&1 || fail "no container web yet" "还没有名为 web 的容器"',
    solution: 'docker create --name web busybox',
  },
];

/** terminal columns, counted independently of the code under test: CJK ideographs and fullwidth punctuation are 2 */
const columns = (s: string) => [...s].reduce((n, ch) => n + (/[\u3000-\u303f\u4e00-\u9fff\uff00-\uff60]/.test(ch) ? 2 : 1), 0);

describe('lab commands, a first hour (CLI, this host as the sandbox)', function () {
  this.timeout(120_000);
  let dir: string;
  let home = 0;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-lab-cli-'));
    for (const l of LABS) {
      await fs.mkdir(path.join(dir, 'labs', l.id), { recursive: true });
      await fs.writeFile(path.join(dir, 'labs', l.id, 'lab.md'), labMarkdown(l));
    }
    await fs.mkdir(path.join(dir, 'labs', '04-two-steps'));
    await fs.writeFile(path.join(dir, 'labs', '04-two-steps', 'lab.md'), TWO_STEPS);
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    // a new learner for each test: its own progress and work folder
    home += 1;
    env = { ...process.env, BOXLAB_HOME: path.join(dir, `home-${home}`), BOXLAB_LAB_DIR: path.join(dir, `work-${home}`), BOXLAB_LABS: path.join(dir, 'labs') };
    for (const name of ['BOXLAB_VM', 'BOXLAB_PROVIDER', 'BOXLAB_LANG', 'DOCKER_HOST', 'BOXLAB_DOCKER_HOST']) delete env[name];
  });

  const boxlab = async (args: string[], extra: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> => {
    const e = { ...env, ...extra };
    for (const [k, v] of Object.entries(extra)) if (v === undefined) delete e[k];
    try {
      const { stdout, stderr } = await run(process.execPath, [BOXLAB_BIN, ...args], { env: e });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const x = err as { code: number; stdout: string; stderr: string };
      return { code: x.code, stdout: x.stdout, stderr: x.stderr };
    }
  };
  const ok = async (...args: string[]) => {
    const r = await boxlab(args);
    assert.equal(r.code, 0, `boxlab ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  const work = () => env.BOXLAB_LAB_DIR!;

  it('lab reset <id> resets that lab and makes it the active one', async () => {
    await ok('lab', 'start', '01-first-files');
    // a step that lab does not have: refused before anything changes
    const bad = await boxlab(['lab', 'reset', '02-more-files', '--step', '9']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /step 9 does not exist in lab "02-more-files"/);
    assert.match((await ok('lab', 'status')).stdout, /^01-first-files: First files$/m);
    const reset = await ok('lab', 'reset', '02-more-files');
    assert.match(reset.stdout, /== 1\/1 Do it ==/);
    assert.match((await ok('lab', 'status')).stdout, /^02-more-files: More files: copy, move, rename, delete and link them$/m);
    // by its number too, with --json
    const json = JSON.parse((await ok('lab', 'reset', '1', '--json')).stdout) as { labId: string; progress: { currentStep: number } };
    assert.equal(json.labId, '01-first-files');
    assert.equal(json.progress.currentStep, 0);
  });

  it('a lab by its number or its name without the number; a mistyped or ambiguous one gets "did you mean"', async () => {
    assert.match((await ok('lab', 'start', '2')).stdout, /^# More files: copy, move, rename, delete and link them$/m);
    assert.match((await ok('lab', 'start', 'first-files')).stdout, /^# First files$/m);

    const typo = await boxlab(['lab', 'start', 'frist-files']);
    assert.equal(typo.code, 3);
    assert.match(typo.stderr, /error: lab "frist-files" not found in .*\n\s+hint: did you mean 01-first-files\?/);
    const typoZh = await boxlab(['lab', 'start', 'frist-files', '--lang', 'zh']);
    assert.match(typoZh.stderr, /找不到实验 "frist-files"\n\s+hint: 你要找的是不是 01-first-files？/);

    const ambiguous = await boxlab(['lab', 'start', 'files']);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /"files" matches 3 labs: 01-first-files, 02-more-files, 03-engine-files/);
    assert.match(ambiguous.stderr, /did you mean 01-first-files or 02-more-files or 03-engine-files\?/);
    // nothing ran on this host for a lab that matched nothing: no notice
    assert.doesNotMatch(typo.stderr + ambiguous.stderr, /warning/);
  });

  it('a finished lab: lab start says so and what next, lab check re-checks the last step and records nothing', async () => {
    await ok('lab', 'start', '01-first-files');
    await fs.writeFile(path.join(work(), 'first'), '');
    assert.match((await ok('lab', 'check')).stdout, /lab finished!/);

    const again = await ok('lab', 'start', '01-first-files');
    assert.match(again.stdout, /you finished this lab on \d{4}-\d\d-\d\d\./);
    assert.match(again.stdout, /start it over: boxlab lab reset 01-first-files/);
    assert.match(again.stdout, /next lab: boxlab lab start 02-more-files/);
    const json = JSON.parse((await ok('lab', 'start', '01-first-files', '--json')).stdout) as { finished: boolean; nextLab?: { id: string } };
    assert.equal(json.finished, true);
    assert.equal(json.nextLab?.id, '02-more-files');
    assert.match((await ok('lab', 'start', '01-first-files', '--lang', 'zh')).stdout, /你已经在 .* 完成了这个实验。\n\s+重新开始：boxlab lab reset 01-first-files\n\s+下一个实验：boxlab lab start 02-more-files/);

    const before = JSON.parse((await ok('lab', 'status', '--json')).stdout) as { progress: unknown };
    const holds = await ok('lab', 'check');
    assert.match(holds.stdout, /^this lab is already finished \(on \d{4}-\d\d-\d\d\); its last step, checked again \(nothing is recorded\):$/m);
    assert.match(holds.stdout, /✔ done\n[\s\S]*^it still holds$/m);
    assert.match(holds.stdout, /^check another step again: boxlab lab check --step N; start over: boxlab lab reset 01-first-files$/m);
    await fs.rm(path.join(work(), 'first'));
    // the re-check's result is the exit code: a script (or a teacher) can tell the last step no longer holds
    const gone = await boxlab(['lab', 'check']);
    assert.equal(gone.code, 1, 'the re-check failed');
    assert.match(gone.stdout, /✘ done: no first file yet[\s\S]*it no longer holds \(the lab stays finished\)/);
    const checkJson = JSON.parse((await boxlab(['lab', 'check', '--json'])).stdout) as { alreadyFinished: boolean; result: { passed: boolean } };
    assert.deepEqual([checkJson.alreadyFinished, checkJson.result.passed], [true, false]);
    assert.deepEqual(JSON.parse((await ok('lab', 'status', '--json')).stdout).progress, before.progress, 'the re-checks recorded nothing');
    assert.match((await ok('lab', 'start', '01-first-files')).stdout, /you finished this lab/, 'the lab stays finished');
  });

  it('lab status and lab hint in both languages', async () => {
    await ok('lab', 'start', '02-more-files');
    const en = await ok('lab', 'status');
    assert.match(en.stdout, /^02-more-files: More files: copy, move, rename, delete and link them\nstarted \S+, 0 check\(s\) passed\nsandbox: this host \(no sandbox vm "boxlab": boxlab up creates it\)$/m);
    const zh = await ok('lab', 'status', '--lang', 'zh');
    assert.match(zh.stdout, /^02-more-files：更多的文件：复制、移动与删除\n开始于 \S+，已通过 0 项检查\n沙箱：本机（没有沙箱虚拟机 "boxlab"：boxlab up 会创建它）$/m);
    assert.match((await ok('lab', 'hint', '--lang', 'zh')).stdout, /^这一步没有提示。$/m);
    const none = await boxlab(['lab', 'status', '--lang', 'zh'], { BOXLAB_HOME: path.join(dir, 'nobody') });
    assert.match(none.stderr, /还没有开始任何实验/);
    assert.match((await ok('lab', 'status', '--lang', 'zh', '--vm', 'nosuch')).stdout, /^沙箱：无：沙箱虚拟机 "nosuch" 不存在（创建它：boxlab vm create nosuch）$/m);
    const start = await boxlab(['lab', 'start', '01', '--lang', 'zh', '--vm', 'nosuch']);
    assert.match(start.stderr, /沙箱虚拟机 "nosuch" 不存在\n\s+hint: 创建它：boxlab vm create nosuch/);
  });

  it('starting another lab tears the active one down and says so', async () => {
    await ok('lab', 'start', '01-first-files');
    await fs.writeFile(path.join(work(), 'first'), '');
    const other = await ok('lab', 'start', '02-more-files');
    assert.match(other.stdout, /^lab 01-first-files stopped: its teardown removed its containers and processes$/m);
    // (BOXLAB_LAB_DIR gives every lab the same folder here: 02's setup made it again, empty)
    assert.equal(await fs.stat(path.join(work(), 'first')).then(() => true, () => false), false, "01's teardown ran (rm -rf \"$LAB_DIR\")");
    assert.match((await ok('lab', 'start', '01-first-files', '--lang', 'zh')).stdout, /^实验 02-more-files 已停止：它的 teardown 删除了它的容器和进程$/m);
  });

  it('a sandbox that no longer holds the lab: lab start runs nothing and offers --replay or --restart', async () => {
    await ok('lab', 'start', '04-two-steps');
    await fs.writeFile(path.join(work(), 'first'), '');
    await ok('lab', 'check');
    // a new VM, a restore: the lab's folder (and its marker) are gone
    await fs.rm(work(), { recursive: true });
    const lost = await boxlab(['lab', 'start', '04-two-steps']);
    assert.equal(lost.code, 1, 'nothing ran: the learner chooses');
    assert.match(lost.stdout, /you are at step 2 of this lab, but the sandbox local no longer holds it \(it was set up in local\)/);
    assert.match(lost.stdout, /boxlab lab start 04-two-steps --replay\n.*boxlab lab start 04-two-steps --restart/);
    assert.equal(await fs.stat(work()).then(() => true, () => false), false);
    const check = await boxlab(['lab', 'check']);
    assert.match(check.stdout, /note: the sandbox local no longer holds this lab/);
    const replay = await ok('lab', 'start', '04-two-steps', '--replay');
    assert.match(replay.stdout, /^replayed steps 1 to 1: each step's solution ran and its checks passed$/m);
    assert.match(replay.stdout, /== 2\/2 Then the second ==/);
    assert.ok(await fs.stat(path.join(work(), 'first')).then(() => true, () => false), "step 1's solution ran");
    const restart = await ok('lab', 'start', '04-two-steps', '--restart');
    assert.match(restart.stdout, /== 1\/2 Do it ==/);
  });

  it('lab shell: a shell with the lab\'s environment, in its folder', async () => {
    await ok('lab', 'start', '03-engine-files');
    const r = await ok('lab', 'shell', '-c', 'echo "dir=$LAB_DIR id=$LAB_ID host=$DOCKER_HOST pwd=$PWD"');
    assert.equal(r.stdout.trim(), `dir=${work()} id=03-engine-files host=unix:///run/boxlab/docker.sock pwd=${work()}`);
    // without -c, the shell reads what the student types
    const typed = await new Promise<string>((resolve, reject) => {
      const child = execFile(process.execPath, [BOXLAB_BIN, 'lab', 'shell'], { env }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
      child.stdin?.end('echo "typed in $LAB_DIR"\nexit 0\n');
    });
    assert.match(typed, new RegExp(`^typed in ${work()}$`, 'm'));
    assert.equal((await boxlab(['lab', 'shell', '-c', 'exit 7'])).code, 7, "the shell's exit code");
  });

  it('on this host: one notice line, in the student\'s language, when the lab\'s scripts run; lab check and lab status add none', async () => {
    const start = await ok('lab', 'start', '01-first-files');
    assert.deepEqual(start.stderr.trim().split('\n'), ['warning: no sandbox vm "boxlab" (create it with: boxlab up), so the lab runs on this host as root: there is no VM boundary'].map((l) => (process.getuid?.() === 0 ? l : l.replace('as root', `as ${os.userInfo().username}`))));
    assert.equal((await boxlab(['lab', 'check'])).stderr, '');
    assert.equal((await boxlab(['lab', 'status'])).stderr, '');
    const zh = await ok('lab', 'reset', '--lang', 'zh');
    assert.equal(zh.stderr.trim().split('\n').length, 1);
    assert.match(zh.stderr, /^警告：没有沙箱虚拟机 "boxlab"（用 boxlab up 创建），所以实验直接在本机上以 .+ 身份运行：没有虚拟机隔离$/m);
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`lab list (${lang}): every column starts at the same terminal column`, async () => {
      await ok('lab', 'start', '02-more-files');
      const lines = (await ok('lab', 'list', '--lang', lang)).stdout.trimEnd().split('\n');
      assert.equal(lines.length, 4);
      const unit = lang === 'zh' ? '20 分钟' : '20 min';
      const at = lines.map((l) => columns(l.slice(0, l.indexOf(unit))));
      assert.ok(lines.every((l) => l.includes(unit)), lines.join('\n'));
      assert.equal(new Set(at).size, 1, `the duration column starts at ${at.join(', ')}:\n${lines.join('\n')}`);
      if (lang === 'zh') assert.match(lines[1], /更多的文件：复制、移动与删除/);
    });
  }

  it('a lab that uses the engine: lab start names the engine and prints the export line, in both languages', async () => {
    const en = await ok('lab', 'start', '03-engine-files');
    assert.match(en.stdout, /this lab's docker commands must reach boxlabd at unix:\/\/\/run\/boxlab\/docker\.sock; in your shell, run:\n {2}export DOCKER_HOST=unix:\/\/\/run\/boxlab\/docker\.sock$/m);
    const zh = await boxlab(['lab', 'start', '03-engine-files', '--lang', 'zh'], { BOXLAB_DOCKER_HOST: 'unix:///tmp/elsewhere.sock' });
    assert.match(zh.stdout, /这个实验的 docker 命令要连接 boxlabd（unix:\/\/\/tmp\/elsewhere\.sock）；请在你的 shell 里运行：\n {2}export DOCKER_HOST=unix:\/\/\/tmp\/elsewhere\.sock$/m);
    assert.equal((JSON.parse((await ok('lab', 'start', '03-engine-files', '--json')).stdout) as { dockerHost?: string }).dockerHost, 'unix:///run/boxlab/docker.sock');
    assert.doesNotMatch((await ok('lab', 'start', '01-first-files')).stdout, /DOCKER_HOST/);
  });

  describe('a shell whose docker talks to another engine', function () {
    let labEngine: EngineHarness | undefined;
    let otherEngine: EngineHarness | undefined;

    before(async function () {
      requires(this, 'root', 'runc', 'docker-cli', 'busybox');
      [labEngine, otherEngine] = await Promise.all([EngineHarness.start(), EngineHarness.start()]);
      await otherEngine.loadBusybox();
      // the student's container, made on the wrong engine
      await otherEngine.dockerOk(['create', '--name', 'web', 'busybox']);
    });
    after(async () => {
      await Promise.all([labEngine?.stop(), otherEngine?.stop()]);
    });

    it('lab check says which engine the shell reaches, and the export line that fixes it', async () => {
      const labHost = labEngine!.env.DOCKER_HOST;
      const otherHost = otherEngine!.env.DOCKER_HOST;
      const student = (shellHost: string | undefined, ...args: string[]) => boxlab(args, { BOXLAB_DOCKER_HOST: labHost, DOCKER_HOST: shellHost });
      assert.equal((await student(otherHost, 'lab', 'start', '03-engine-files')).code, 0);

      const wrong = await student(otherHost, 'lab', 'check');
      assert.equal(wrong.code, 1);
      assert.match(wrong.stdout, /✘ done: no container web yet/);
      assert.ok(
        wrong.stdout.includes(
          `note: your shell has DOCKER_HOST=${otherHost} (boxlabd `) && wrong.stdout.includes(`, 1 container(s)), but this lab checks boxlabd at ${labHost}, which has no containers: your docker may be talking to another engine. Run: export DOCKER_HOST=${labHost} and create your containers again`),
        wrong.stdout,
      );
      const zh = await student(otherHost, 'lab', 'check', '--lang', 'zh');
      assert.match(zh.stdout, /注意：你的 shell 里 DOCKER_HOST=.*1 个容器.*你的 docker 可能连到了另一个引擎/);
      const json = JSON.parse((await student(otherHost, 'lab', 'check', '--json')).stdout) as { engineMismatch?: { labHost: string; shellHost?: string; other: { containers?: number } } };
      assert.deepEqual(json.engineMismatch && [json.engineMismatch.labHost, json.engineMismatch.shellHost, json.engineMismatch.other.containers], [labHost, otherHost, 1]);

      // DOCKER_HOST unset: the shell's docker goes to its default socket (Debian's dockerd, when one runs)
      const unset = await student(undefined, 'lab', 'check');
      assert.match(unset.stdout, /note: DOCKER_HOST is not set in your shell, so your docker talks to unix:\/\/\/var\/run\/docker\.sock/);

      // the shell on the lab's engine: the check fails for its own reason, with no note
      const right = await student(labHost, 'lab', 'check');
      assert.equal(right.code, 1);
      assert.doesNotMatch(right.stdout, /note:/);
      await labEngine!.loadBusybox();
      await labEngine!.dockerOk(['create', '--name', 'web', 'busybox']);
      const fixed = await student(labHost, 'lab', 'check');
      assert.equal(fixed.code, 0, fixed.stdout);
      assert.match(fixed.stdout, /lab finished!/);
    });
  });
});
