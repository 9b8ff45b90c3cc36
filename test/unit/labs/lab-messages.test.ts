// Messages built in code come in both languages and fill in their values.
import assert from 'node:assert/strict';
import { labMessage, MESSAGE_KEYS } from '../../../src/labs/lab-messages.js';
import { summarizeStep } from '../../../src/labs/check-engine.js';
import type { Step } from '../../../src/labs/lab-model.js';

describe('lab messages', () => {
  it('fills values in both languages', () => {
    assert.equal(labMessage('en', 'check.skipped', { needs: 'a, b' }), 'skipped: needs a, b to pass first');
    assert.equal(labMessage('zh', 'check.skipped', { needs: 'a, b' }), '已跳过：需要先通过 a, b');
  });

  it('every zh message differs from its en one and keeps the same placeholders', () => {
    for (const key of MESSAGE_KEYS) {
      const en = labMessage('en', key);
      const zh = labMessage('zh', key);
      assert.notEqual(zh, en, key);
      assert.deepEqual(zh.match(/\{\w+\}/g)?.sort() ?? [], en.match(/\{\w+\}/g)?.sort() ?? [], key);
    }
  });

  it('a student checking in Chinese sees skipped and timed-out checks in Chinese', () => {
    const pos = { file: 'x', line: 1 };
    const step: Step = {
      id: 's', title: {}, text: {}, snippets: [], hints: [], covers: [], pos,
      checks: [
        { name: 'a', script: 'sleep 9', timeoutMs: 500, needs: [], pos },
        { name: 'b', script: 'true', timeoutMs: 500, needs: ['a'], pos },
      ],
    };
    const r = summarizeStep(step, [
      { name: 'a', status: 'failed', exitCode: 124, stdout: '', stderr: '', timedOut: true, unmet: [] },
      { name: 'b', status: 'skipped', stdout: '', stderr: '', timedOut: false, unmet: ['a'] },
    ], 'zh');
    assert.deepEqual(r.checks.map((c) => c.message), ['超时（500ms）', '已跳过：需要先通过 a']);
  });
});
