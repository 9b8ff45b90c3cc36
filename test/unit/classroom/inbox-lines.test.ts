// What the teacher sent, as the student reads it after a lab command and on the lab page.
import assert from 'node:assert/strict';
import { inboxLines } from '../../../src/classroom/inbox-lines.js';
import type { InboxEntry } from '../../../src/classroom/class-membership.js';

const entries: InboxEntry[] = [
  { from: 'teacher', text: 'ten minutes left', at: '2026-12-06T21:05:09.000Z', broadcastId: 1 },
  { from: 'reset', text: 'your teacher reset lab l1 to step 1: now at step 1/4', text_zh: '老师把实验 l1 重置到了第 1 步：现在在第 1/4 步', at: '2026-12-06T21:06:00.000Z' },
];

describe('inbox lines', () => {
  it('say who sent what and when, in English and Chinese', () => {
    assert.deepEqual(inboxLines(entries, 'en'), ['message from your teacher (21:05 UTC): ten minutes left', 'your teacher reset lab l1 to step 1: now at step 1/4']);
    assert.deepEqual(inboxLines(entries, 'zh'), ['老师的消息（21:05 UTC）：ten minutes left', '老师把实验 l1 重置到了第 1 步：现在在第 1/4 步']);
  });
});
