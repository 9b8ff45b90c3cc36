import assert from 'node:assert/strict';
import {
  formatLogRecord,
  LineSplitter,
  parseLogFile,
  parseLogRecord,
  parseTail,
  selectLogEntries,
  timeSeconds,
} from '../../../../src/engine/containers/json-log.js';
import type { LogEntry } from '../../../../src/engine/containers/container-service.js';

describe('json-file log format', () => {
  it('formats a record as Docker\'s json-file driver does', () => {
    assert.equal(
      formatLogRecord('stdout', 'hello\n', '2026-11-23T18:22:38.123Z'),
      '{"log":"hello\\n","stream":"stdout","time":"2026-11-23T18:22:38.123Z"}\n',
    );
    assert.deepEqual(parseLogRecord('{"log":"x\\n","stream":"stderr","time":"2026-11-23T18:22:38Z"}'), { log: 'x\n', stream: 'stderr', time: '2026-11-23T18:22:38Z' });
  });

  it('skips a last line cut short by a crash', () => {
    const text = formatLogRecord('stdout', 'a\n', '2026-01-01T00:00:00Z') + '{"log":"b\\n","str';
    assert.deepEqual(parseLogFile(text).map((e) => e.log), ['a\n']);
  });

  it('keeps a partial line until its end arrives', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push(Buffer.from('hel')), []);
    assert.deepEqual(s.push(Buffer.from('lo\nwor')), ['hello\n']);
    assert.deepEqual(s.push(Buffer.from('ld\n\nx')), ['world\n', '\n']);
    assert.equal(s.flush(), 'x');
    assert.equal(s.flush(), undefined);
  });

  it('cuts very long lines into 16 KiB records, the last one with the newline', () => {
    const s = new LineSplitter();
    const lines = s.push(Buffer.from('a'.repeat(40 * 1024) + '\n'));
    assert.deepEqual(lines.map((l) => l.length), [16384, 16384, 8192 + 1]);
    assert.ok(lines[2].endsWith('\n'));
  });

  it('does not split a UTF-8 character when cutting', () => {
    const s = new LineSplitter(8);
    const lines = s.push(Buffer.from('abcdefg好好\n'));
    assert.deepEqual(lines, ['abcdefg', '好好\n']);
  });

  it('parses --tail', () => {
    assert.equal(parseTail('all'), 'all');
    assert.equal(parseTail(undefined), 'all');
    assert.equal(parseTail('5'), 5);
    assert.equal(parseTail('-1'), 'all');
    assert.throws(() => parseTail('five'), /invalid tail value "five"/);
  });

  it('reads nanosecond times', () => {
    assert.equal(timeSeconds('2023-11-14T22:13:20.123456789Z'), 1700000000.123456789);
  });

  it('selects streams, a time window and the last lines', () => {
    const e = (log: string, stream: 'stdout' | 'stderr', s: number): LogEntry => ({ log, stream, time: new Date(s * 1000).toISOString() });
    const entries = [e('1\n', 'stdout', 100), e('2\n', 'stderr', 200), e('3\n', 'stdout', 300), e('4\n', 'stdout', 400)];
    const all = { stdout: true, stderr: true, since: 0, until: 0, tail: 'all' as const };
    assert.deepEqual(selectLogEntries(entries, { ...all, tail: 2 }).map((x) => x.log), ['3\n', '4\n']);
    assert.deepEqual(selectLogEntries(entries, { ...all, stderr: false }).map((x) => x.log), ['1\n', '3\n', '4\n']);
    assert.deepEqual(selectLogEntries(entries, { ...all, since: 200, until: 400 }).map((x) => x.log), ['2\n', '3\n']);
    assert.deepEqual(selectLogEntries(entries, { ...all, tail: 0 }), []);
  });
});
