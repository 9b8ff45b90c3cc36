// What `lab list`, `lab start` and `lab check` print, from typed results (no sandbox): columns aligned by
// terminal width in both languages, a finished lab's way out, and a re-check labelled as one.
import assert from 'node:assert/strict';
import { displayWidth } from '../../../src/cli/display-width.js';
import { describeSandboxIn, formatCatalog, formatCatalogTracks, formatCheck, formatLabTest, formatStart, formatStatus, formatStepProgress } from '../../../src/cli/lab-format.js';
import type { StepTestReport } from '../../../src/labs/lab-tester.js';
import type { CatalogEntry, CheckOutcome, StartResult } from '../../../src/labs/lab-session.js';
import type { LabProgress } from '../../../src/labs/progress-store.js';

const entry = (id: string, title: string, more: Partial<CatalogEntry> = {}): CatalogEntry => ({ id, title, steps: 4, currentStep: 0, finished: false, problems: 0, durationMinutes: 30, requires: [], ...more });
const progress: LabProgress = { learner: 'ada', labId: '04-container-lifecycle', currentStep: 6, startedAt: '2026-12-01T08:00:00.000Z', updatedAt: '2026-12-02T09:00:00.000Z', finishedAt: '2026-12-02T09:00:00.000Z', passed: {} };

describe('lab list, start and check output', () => {
  for (const lang of ['zh', 'en'] as const) {
    it(`lab list (${lang}): the duration and progress columns start at the same terminal column on every row`, () => {
      const labs = [
        entry('01-containers-are-processes', lang === 'zh' ? '容器就是进程：亲手创建命名空间' : 'Containers are processes: namespaces by hand', { currentStep: 2 }),
        entry('04-container-lifecycle', lang === 'zh' ? '容器的生命周期：运行、日志、exec、停止、重启、attach' : 'Container lifecycle: run, logs, exec', { finished: true }),
        entry('06-dockerfile', lang === 'zh' ? 'Dockerfile、构建缓存与多阶段构建' : 'Dockerfile', { durationMinutes: 40 }),
      ];
      const lines = formatCatalog(labs, lang).split('\n');
      const unit = lang === 'zh' ? '分钟' : 'min';
      const columnOf = (line: string, text: string) => displayWidth(line.slice(0, line.indexOf(text)));
      const durations = lines.map((l, i) => columnOf(l, `${labs[i].durationMinutes} ${unit}`));
      assert.equal(new Set(durations).size, 1, `durations at columns ${durations}:\n${lines.join('\n')}`);
      assert.equal(columnOf(lines[0], '2/4'), columnOf(lines[1], lang === 'zh' ? '✔ 已完成' : '✔ done'));
    });
  }

  it('lab list by track: track titles, labs indented with minutes, level and prerequisites; columns line up across tracks (en, zh)', () => {
    const tracks = (lang: 'en' | 'zh') => [
      { id: 'foundations', title: lang === 'zh' ? '基础' : 'Foundations', labs: [entry('01-containers-are-processes', lang === 'zh' ? '容器就是进程' : 'Containers are processes', { level: 'beginner' })] },
      { id: 'docker-basics', title: lang === 'zh' ? 'Docker 基础' : 'Docker basics', labs: [entry('04-container-lifecycle', 'Lifecycle', { level: 'intermediate', requires: ['01-containers-are-processes', '03-overlayfs'], currentStep: 2 })] },
    ];
    assert.equal(formatCatalogTracks(tracks('en'), 'en'), [
      'Foundations',
      '  01-containers-are-processes  Containers are processes  30 min  beginner',
      '',
      'Docker basics',
      '  04-container-lifecycle       Lifecycle                 30 min  intermediate  after 01, 03  2/4',
    ].join('\n'));
    const zh = formatCatalogTracks(tracks('zh'), 'zh').split('\n');
    assert.deepEqual([zh[0], zh[3]], ['基础', 'Docker 基础']);
    assert.match(zh[4], /30 分钟 {2}进阶 {2}先学 01, 03 {2}2\/4$/);
    assert.equal(displayWidth(zh[1].slice(0, zh[1].indexOf('30 分钟'))), displayWidth(zh[4].slice(0, zh[4].indexOf('30 分钟'))));
    // labs in no track: no heading
    assert.equal(formatCatalogTracks([{ id: null, title: 'Other labs', labs: [entry('x', 'X')] }], 'en'), 'x  X  30 min');
  });

  const start = (more: Partial<StartResult>): StartResult => ({ labId: '04-container-lifecycle', title: 'Container lifecycle', intro: 'intro text', workDir: '/tmp/boxlab-lab/04', sandbox: 'local', resumed: true, finished: false, progress, ...more });

  it('lab start of a finished lab: when, how to start over, and the next lab (en, zh)', () => {
    const r = start({ finished: true, nextLab: { id: '05-images-and-registry', title: 'Images' } });
    const en = formatStart(r, 'en');
    assert.match(en, /you finished this lab on 2026-12-02\./);
    assert.match(en, /start it over: boxlab lab reset 04-container-lifecycle/);
    assert.match(en, /next lab: boxlab lab start 05-images-and-registry/);
    assert.doesNotMatch(en, /then: boxlab lab check/);
    const zh = formatStart(r, 'zh');
    assert.match(zh, /你已经在 2026-12-02 完成了这个实验/);
    assert.match(zh, /重新开始：boxlab lab reset 04-container-lifecycle/);
    assert.match(zh, /下一个实验：boxlab lab start 05-images-and-registry/);
    assert.match(formatStart(start({ finished: true }), 'en'), /that was the last lab/);
  });

  it('lab start of a lab that uses the engine: which engine, and the export line (en, zh)', () => {
    const r = start({ resumed: false, dockerHost: 'unix:///run/boxlab/docker.sock' });
    for (const lang of ['en', 'zh'] as const) {
      const text = formatStart(r, lang);
      assert.match(text, /^ {2}export DOCKER_HOST=unix:\/\/\/run\/boxlab\/docker\.sock$/m);
      assert.match(text, lang === 'en' ? /must reach boxlabd at unix:\/\/\/run\/boxlab\/docker\.sock/ : /要连接 boxlabd（unix:\/\/\/run\/boxlab\/docker\.sock）/);
    }
    assert.doesNotMatch(formatStart(start({ resumed: false }), 'en'), /DOCKER_HOST/);
  });

  it('lab check on a finished lab: labelled as a re-check of the last step, held or not', () => {
    const outcome = (passed: boolean): CheckOutcome => ({
      labId: '04-container-lifecycle',
      step: { index: 5, count: 6, id: 'cleanup', title: 'Clean up', text: '' },
      result: { stepId: 'cleanup', passed, checks: [{ name: 'all-removed', status: passed ? 'passed' : 'failed', message: passed ? '' : 'ticker still exists' }], durationMs: 1 },
      progress,
      finished: true,
      alreadyFinished: true,
      recheck: false,
    });
    const held = formatCheck(outcome(true), 'en');
    assert.match(held, /^this lab is already finished \(on 2026-12-02\); its last step, checked again \(nothing is recorded\):$/m);
    assert.match(held, /^it still holds$/m);
    assert.match(held, /^check another step again: boxlab lab check --step N; start over: boxlab lab reset 04-container-lifecycle$/m);
    assert.doesNotMatch(held, /lab finished!/);
    assert.match(formatCheck(outcome(false), 'en'), /it no longer holds \(the lab stays finished\)/);
    const zh = formatCheck(outcome(false), 'zh');
    assert.match(zh, /这个实验已经完成了（2026-12-02）/);
    assert.match(zh, /结果已经不成立了/);
    assert.match(zh, /再次检查别的步骤：boxlab lab check --step N；重新开始：boxlab lab reset 04-container-lifecycle/);
  });

  it('lab start in a vm sandbox: type inside the vm, with boxlab lab shell (en, zh)', () => {
    const r = start({ resumed: false, sandbox: 'qemu:boxlab', dockerHost: 'unix:///run/boxlab/docker.sock' });
    const en = formatStart(r, 'en');
    assert.match(en, /^this lab runs in the sandbox qemu:boxlab: type its commands there, in a shell with the lab's environment \(LAB_DIR, DOCKER_HOST\):\n {2}boxlab lab shell$/m);
    assert.doesNotMatch(en, /export DOCKER_HOST/, 'the host shell is not where the student types');
    assert.match(formatStart(r, 'zh'), /这个实验运行在沙箱 qemu:boxlab 里：请在那里输入命令[\s\S]*\n {2}boxlab lab shell$/m);
  });

  it('lab start when the sandbox no longer holds the lab: nothing ran, replay or restart (en, zh)', () => {
    const r = start({ sandbox: 'local', sandboxLost: { now: 'local', startedIn: 'qemu:boxlab', atStep: 3 } });
    const en = formatStart(r, 'en');
    assert.match(en, /you are at step 3 of this lab, but the sandbox local no longer holds it \(it was set up in qemu:boxlab\): a new VM, a restored snapshot or another sandbox\. Nothing ran\./);
    assert.match(en, /^ {2}replay the earlier steps' solutions and go on at step 3: boxlab lab start 04-container-lifecycle --replay$/m);
    assert.match(en, /^ {2}or start over at step 1: boxlab lab start 04-container-lifecycle --restart$/m);
    assert.doesNotMatch(en, /\(resumed\)|then: boxlab lab check/);
    const zh = formatStart(r, 'zh');
    assert.match(zh, /你在这个实验的第 3 步，但沙箱 local 里已经没有这个实验了（它是在 qemu:boxlab 里准备的）/);
    assert.match(zh, /boxlab lab start 04-container-lifecycle --replay/);
  });

  it('starting another lab says the one before was stopped; a replay says how far it went', () => {
    const r = start({ resumed: false, stopped: { id: '03-images', title: 'Images' }, replay: { ok: true, steps: [{ index: 0, id: 'a', passed: true }, { index: 1, id: 'b', passed: true }] } });
    assert.match(formatStart(r, 'en'), /^lab 03-images stopped: its teardown removed its containers and processes$/m);
    assert.match(formatStart(r, 'zh'), /^实验 03-images 已停止：它的 teardown 删除了它的容器和进程$/m);
    assert.match(formatStart(r, 'en'), /^replayed steps 1 to 2: each step's solution ran and its checks passed$/m);
    const stuck = start({ replay: { ok: false, steps: [{ index: 0, id: 'a', passed: true }, { index: 1, id: 'b', passed: false, problem: 'web: no container web' }] } });
    assert.match(formatStart(stuck, 'en'), /^the replay stopped at step 2 \(b\): web: no container web$/m);
  });

  it('lab status in both languages', () => {
    const r = { labId: '04-container-lifecycle', title: '容器的生命周期', progress: { ...progress, passed: { a: { x: 't', y: 't' } } } };
    assert.equal(
      formatStatus(r, describeSandboxIn({ kind: 'local', why: 'no-vm' }, 'zh'), 'zh'),
      '04-container-lifecycle：容器的生命周期\n开始于 2026-12-01T08:00:00.000Z，已通过 2 项检查，完成于 2026-12-02T09:00:00.000Z\n沙箱：本机（没有沙箱虚拟机 "boxlab"：boxlab up 会创建它）',
    );
    assert.match(formatStatus(r, describeSandboxIn({ kind: 'vm', vm: 'boxlab', provider: 'qemu' }, 'en'), 'en'), /^started 2026-12-01T08:00:00.000Z, 2 check\(s\) passed, finished 2026-12-02T09:00:00.000Z\nsandbox: vm "boxlab" \(qemu\)$/m);
  });

  it('lab test: a line per step as it ends (its number, its time, en and zh), and each step\'s time in the report', () => {
    const up: StepTestReport = { stepId: 'up', ok: true, snippets: [], problems: [], durationMs: 42_149 };
    const scale: StepTestReport = { stepId: 'scale', ok: false, snippets: [], problems: ['check "two" failed after the solution: 1 web container'], durationMs: 9_000 };
    assert.equal(formatStepProgress('28-compose-capstone', up, 1, 7, 'en'), '28-compose-capstone: step 1/7 up passed (42.1s)');
    assert.equal(formatStepProgress('28-compose-capstone', scale, 4, 7, 'zh'), '28-compose-capstone：第 4/7 步 scale 失败（9.0s）');
    const report = formatLabTest({ labId: '28-compose-capstone', ok: false, steps: [up, scale], problems: [], durationMs: 60_000 });
    assert.equal(report, ['lab 28-compose-capstone', '  ✔ step up (42.1s)', '  ✘ step scale (9.0s)', '      check "two" failed after the solution: 1 web container', 'FAILED (60.0s)'].join('\n'));
  });
});
