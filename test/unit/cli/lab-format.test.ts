// What `lab list`, `lab start` and `lab check` print, from typed results (no sandbox): columns aligned by
// terminal width in both languages, a finished lab's way out, and a re-check labelled as one.
import assert from 'node:assert/strict';
import { displayWidth } from '../../../src/cli/display-width.js';
import { formatCatalog, formatCatalogTracks, formatCheck, formatStart } from '../../../src/cli/lab-format.js';
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

  const start = (more: Partial<StartResult>): StartResult => ({ labId: '04-container-lifecycle', title: 'Container lifecycle', intro: 'intro text', workDir: '/tmp/boxlab-lab/04', resumed: true, finished: false, progress, ...more });

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
    });
    const held = formatCheck(outcome(true), 'en');
    assert.match(held, /^this lab is already finished \(start it over: boxlab lab reset 04-container-lifecycle\); its last step, checked again:$/m);
    assert.match(held, /the last step still holds/);
    assert.doesNotMatch(held, /lab finished!/);
    assert.match(formatCheck(outcome(false), 'en'), /the last step no longer holds \(the lab stays finished\)/);
    assert.match(formatCheck(outcome(false), 'zh'), /最后一步的结果已经不成立了/);
  });
});
