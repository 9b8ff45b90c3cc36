// The progress store on a real SQLite file in a temp dir: what a learner sees after a restart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProgressStore, defaultBoxlabHome } from '../../../src/labs/progress-store.js';

describe('progress store (SQLite)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-labs-progress-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the current step and passed checks across a restart', () => {
    const file = path.join(dir, 'progress.db');
    let clock = Date.parse('2026-11-23T10:00:00Z');
    const now = () => new Date((clock += 1000));
    const a = new ProgressStore(file, now);
    a.start('ana', 'lab1');
    a.recordChecks('ana', 'lab1', 0, 's1', ['c1'], false, 2);
    a.recordChecks('ana', 'lab1', 0, 's1', ['c1', 'c2'], true, 2);
    a.close();
    const b = new ProgressStore(file, now);
    const p = b.get('ana', 'lab1')!;
    assert.equal(p.currentStep, 1);
    assert.equal(b.activeLab('ana'), 'lab1');
    assert.deepEqual(Object.keys(p.passed.s1), ['c1', 'c2']);
    assert.equal(p.passed.s1.c1, '2026-11-23T10:00:02.000Z', 'the first pass time is kept');
    assert.equal(p.finishedAt, undefined);
    b.close();
  });

  it('finishes the lab after the last step, and reset goes back and forgets later passes', () => {
    const s = new ProgressStore(path.join(dir, 'p.db'));
    s.start('ana', 'lab1');
    s.recordChecks('ana', 'lab1', 0, 's1', ['a'], true, 2);
    const done = s.recordChecks('ana', 'lab1', 1, 's2', ['b'], true, 2);
    assert.equal(done.currentStep, 2);
    assert.ok(done.finishedAt);
    const back = s.reset('ana', 'lab1', 1, ['s2']);
    assert.equal(back.currentStep, 1);
    assert.equal(back.finishedAt, undefined);
    assert.deepEqual(back.passed, { s1: { a: back.passed.s1.a } });
    s.close();
  });

  it('does not advance when a later step passes out of order', () => {
    const s = new ProgressStore(':memory:');
    s.start('bo', 'lab1');
    assert.equal(s.recordChecks('bo', 'lab1', 1, 's2', ['x'], true, 3).currentStep, 0);
    s.close();
  });

  it('lives under $BOXLAB_HOME when set', () => {
    assert.equal(defaultBoxlabHome({ BOXLAB_HOME: '/x/y' }), '/x/y');
    assert.equal(defaultBoxlabHome({ HOME: '/h', XDG_DATA_HOME: '/d' }), '/d/boxlab');
  });
});
