import assert from 'node:assert/strict';
import { formatTrace } from '../../../src/cli/explain-format.js';
import { MemoryTracer } from '../../../src/engine/trace/tracer.js';

describe('formatTrace', () => {
  const tracer = new MemoryTracer();
  tracer.emit('c1', 'mount.overlay', { target: '/var/lib/boxlab/snapshots/containers/c1/merged', lowerdir: ['/l2', '/l1'] });
  tracer.emit('c1', 'process.exit', { exitCode: 137, oomKilled: true });

  it('numbers the steps and explains each in English with its details', () => {
    const out = formatTrace('web', tracer.events, 'en');
    assert.match(out, /^What boxlabd did for web, step by step:/);
    assert.match(out, /  1\. .*\[mount\.overlay\] mounted overlayfs at \/var\/lib\/boxlab\/snapshots\/containers\/c1\/merged/);
    assert.match(out, /lowerdir: \["\/l2","\/l1"\]/);
    assert.match(out, /  2\. .*exited with code 137 \(killed by the kernel OOM killer/);
  });

  it('speaks Chinese and can leave the details out', () => {
    const out = formatTrace('web', tracer.events, 'zh', false);
    assert.match(out, /^boxlabd 为 web 所做的每一步：/);
    assert.match(out, /挂载 overlayfs/);
    assert.match(out, /OOM killer/);
    assert.doesNotMatch(out, /lowerdir:/);
  });

  it('a removed container: says when it was removed and how long its story is kept (en, zh)', () => {
    const removed = new MemoryTracer();
    removed.emit('c1', 'runc.run', { args: ['runc', 'run', 'c1'] });
    removed.emit('c1', 'cleanup', { what: 'container web removed', removed: true });
    const t = removed.events[1].time.slice(11, 19);
    const en = formatTrace('web', removed.events, 'en');
    assert.equal(en.split('\n')[0], `web was removed at ${t}: boxlabd keeps the story of the last 20 removed containers for 60 minutes.`);
    assert.doesNotMatch(en, /removed: true/);
    assert.match(formatTrace('web', removed.events, 'zh'), /^web 已在 \S+ 被删除：boxlabd 会把最近删除的 20 个容器的记录保留 60 分钟。/);
    assert.doesNotMatch(formatTrace('web', tracer.events, 'en'), /was removed/);
  });

  it('says so when nothing was recorded', () => {
    assert.equal(formatTrace('web', [], 'en'), 'no trace recorded for web yet');
  });
});
