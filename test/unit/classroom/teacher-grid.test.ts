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
});
