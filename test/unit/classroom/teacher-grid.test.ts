// The teacher's grid as words: a status row to cells in both languages, the idle time counting on.
import assert from 'node:assert/strict';
import type { StatusRow } from '../../../src/classroom/class-status.js';
import { COLUMNS, gridRow, word } from '../../../src/web/class/teacher-grid.js';
import { teacherHtml } from '../../../src/classroom/teacher-page.js';

const stuck: StatusRow = {
  seatId: 'a1',
  name: 'Bo',
  state: 'stuck',
  labId: '03-overlayfs',
  step: 1,
  stepCount: 4,
  stepsPassed: 0,
  labsFinished: 0,
  failedAttempts: 3,
  hintsUsed: 2,
  lastCheck: { stepId: 'mount', passed: false, checksPassed: 1, checksTotal: 3, at: '2026-12-06T18:01:02.345Z' },
  lastSeenAt: '2026-12-06T18:01:02.345Z',
  idleMs: 59_000,
};

describe('teacher grid', () => {
  it('gives a row a cell per column, in English', () => {
    const r = gridRow(stuck, 'en');
    assert.deepEqual(Object.keys(r.cells), [...COLUMNS]);
    assert.deepEqual(r.cells, { name: 'Bo', lab: '03-overlayfs', step: '1/4', lastCheck: 'mount: failed 1/3 (18:01:02 UTC)', failed: '3', hints: '2', idle: '59s', state: 'stuck' });
    assert.equal(r.lastFailed, true);
    assert.equal(r.state, 'stuck');
  });

  it('speaks Chinese', () => {
    const r = gridRow(stuck, 'zh');
    assert.equal(r.cells.state, '卡住了');
    assert.equal(r.cells.lastCheck, 'mount: 未通过 1/3 (18:01:02 UTC)');
    assert.equal(word('name', 'zh'), '学生');
    assert.equal(word('seats', 'zh', { taken: 2, seats: 5 }), '已坐 2/5 个座位');
  });

  it('counts the idle time on since the server computed it', () => {
    assert.equal(gridRow(stuck, 'en', 2_000).cells.idle, '1m');
    assert.equal(gridRow(stuck, 'en', -5_000).cells.idle, '59s');
  });

  it('says done for a finished lab and a dash before any check', () => {
    const r = gridRow({ ...stuck, state: 'finished', step: 5, lastCheck: undefined }, 'en');
    assert.equal(r.cells.step, 'done');
    assert.equal(r.cells.lastCheck, '–');
    assert.equal(r.lastFailed, false);
    assert.equal(r.cells.state, 'finished');
  });

  it('serves a page with no inline script, in the server\'s language until the teacher picks one', () => {
    const html = teacherHtml('zh');
    assert.match(html, /<html lang="zh-CN" data-lang="zh">/);
    assert.match(html, /<script type="module" src="\/teacher\.js"><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
  });

  it('says a dead sandbox is dead, since when and how long ago, in both languages', () => {
    const dead: StatusRow = { ...stuck, state: 'dead', dead: { since: '2026-12-06T18:00:02.000Z', why: 'silent' } };
    // the server computed the row 59 s after 18:01:02.345 (18:02:01.345); 60 s later on the page
    assert.equal(gridRow(dead, 'en', 60_000).cells.state, 'sandbox silent since 18:00:02 UTC (2m)');
    assert.equal(gridRow(dead, 'zh', 0).cells.state, '沙盒自 18:00:02 UTC 起没有响应（1m）');
    const down: StatusRow = { ...dead, dead: { since: '2026-12-06T18:01:00.000Z', why: 'sandbox-down' } };
    assert.equal(gridRow(down, 'en').cells.state, 'sandbox down since 18:01:00 UTC (1m)');
    assert.equal(gridRow(down, 'zh').cells.state, '沙盒自 18:01:00 UTC 起无法连接（1m）');
  });

  it("says how the teacher's last reset went, in both languages", () => {
    const at = (state: NonNullable<StatusRow['reset']>['state'], extra = {}) => gridRow({ ...stuck, reset: { id: 'c1', labId: 'l', step: 2, state, requestedAt: '2026-12-06T18:03:00.000Z', ...extra } }, 'en').reset;
    assert.equal(at('pending'), 'reset to step 2 asked 18:03:00 UTC');
    assert.equal(at('sent'), 'resetting to step 2…');
    assert.equal(at('done', { doneAt: '2026-12-06T18:03:05.000Z' }), 'reset to step 2 at 18:03:05 UTC');
    assert.equal(at('failed', { message: 'no active lab' }), 'reset to step 2 failed: no active lab');
    assert.equal(gridRow({ ...stuck, reset: { id: 'c1', labId: 'l', step: 2, state: 'sent', requestedAt: '2026-12-06T18:03:00.000Z' } }, 'zh').reset, '正在重置到第 2 步…');
    assert.equal(gridRow(stuck, 'en').reset, '');
  });
});
