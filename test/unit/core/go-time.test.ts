import assert from 'node:assert/strict';
import { formatGoDuration, isoNanos, parseGoDuration, parseTimestamp, tryGoDuration } from '../../../src/core/go-time.js';

const S = 1_000_000_000n;

/** the whole message, not a part of it */
const throwsMessage = (fn: () => unknown, message: RegExp) => assert.throws(fn, (err: Error) => message.test(err.message));

describe('go-time: Go durations and dockerd timestamps', () => {
  // Go's time.ParseDuration on the cases of its own tests (time/time_test.go), in nanoseconds
  const durations: Array<[string, number]> = [
    ['0', 0], ['5s', 5e9], ['30s', 30e9], ['1478s', 1478e9], ['-5s', -5e9], ['+5s', 5e9], ['-0', 0], ['+0', 0],
    ['5.0s', 5e9], ['5.6s', 5.6e9], ['5.s', 5e9], ['.5s', 0.5e9], ['1.0s', 1e9], ['1.00s', 1e9], ['1.004s', 1.004e9],
    ['100.00100s', 100.001e9], ['10ns', 10], ['11us', 11e3], ['12µs', 12e3], ['12μs', 12e3], ['13ms', 13e6], ['14s', 14e9],
    ['15m', 15 * 60e9], ['16h', 16 * 3600e9], ['3h30m', 3.5 * 3600e9], ['10.5s4m', 4 * 60e9 + 10.5e9], ['-2m3.4s', -(2 * 60e9 + 3.4e9)],
    ['1h2m3s4ms5us6ns', 3600e9 + 2 * 60e9 + 3e9 + 4e6 + 5e3 + 6], ['39h9m14.425s', 39 * 3600e9 + 9 * 60e9 + 14.425e9], ['1.5h', 1.5 * 3600e9],
  ];
  for (const [text, nanos] of durations) {
    it(`reads the duration ${text}`, () => assert.equal(parseGoDuration(text), nanos));
  }

  // ... and the ones it refuses, with its messages
  const refused: Array<[string, RegExp]> = [
    ['', /^time: invalid duration ""$/], ['3', /^time: missing unit in duration "3"$/], ['-', /^time: invalid duration "-"$/],
    ['s', /^time: invalid duration "s"$/], ['.', /^time: invalid duration "."$/], ['-.', /^time: invalid duration "-."$/],
    ['.s', /^time: invalid duration ".s"$/], ['+.s', /^time: invalid duration "\+.s"$/], ['10d', /^time: unknown unit "d" in duration "10d"$/],
    ['1h-2m', /^time: unknown unit "h-" in duration "1h-2m"$/], ['24 h', /^time: unknown unit " h" in duration "24 h"$/],
  ];
  for (const [text, message] of refused) {
    it(`refuses the duration ${JSON.stringify(text)}`, () => {
      throwsMessage(() => parseGoDuration(text), message);
      assert.equal(tryGoDuration(text), undefined);
    });
  }

  const now = Date.parse('2026-11-23T10:00:00.750Z');
  it('counts a duration back from now in whole seconds, as dockerd\'s GetTimestamp does', () => {
    assert.equal(parseTimestamp('1h', now), BigInt(Math.floor(now / 1000) - 3600) * S);
    assert.equal(parseTimestamp('24h', now), BigInt(Math.floor(now / 1000) - 86400) * S);
    assert.equal(parseTimestamp('-1h', now), BigInt(Math.floor(now / 1000) + 3600) * S);
    assert.equal(parseTimestamp('1.5h', now), BigInt(Math.floor(now / 1000) - 5400) * S);
  });

  it('reads unix seconds with a fraction of up to nine digits, and "0" as the epoch', () => {
    assert.equal(parseTimestamp('1700000000', now), 1_700_000_000n * S);
    assert.equal(parseTimestamp('1700000000.5', now), 1_700_000_000_500_000_000n);
    assert.equal(parseTimestamp('1700000000.000000001', now), 1_700_000_000_000_000_001n);
    assert.equal(parseTimestamp('0', now), 0n);
  });

  it('reads RFC 3339 times with a zone, and dates alone', () => {
    assert.equal(parseTimestamp('2026-11-23T09:00:00Z', now), BigInt(Date.parse('2026-11-23T09:00:00Z') / 1000) * S);
    assert.equal(parseTimestamp('2026-11-23T09:00:00+01:00', now), BigInt(Date.parse('2026-11-23T08:00:00Z') / 1000) * S);
    assert.equal(parseTimestamp('2026-11-23T09:00:00.123456789Z', now), BigInt(Date.parse('2026-11-23T09:00:00Z') / 1000) * S + 123_456_789n);
    assert.equal(parseTimestamp('2026-11-23Z', now), BigInt(Date.parse('2026-11-23T00:00:00Z') / 1000) * S);
  });

  it('reads times without a zone as local time (the daemon\'s zone), down to the hour', () => {
    assert.equal(parseTimestamp('2026-11-23', now), BigInt(new Date(2026, 10, 23).getTime() / 1000) * S);
    assert.equal(parseTimestamp('2026-11-23T10', now), BigInt(new Date(2026, 10, 23, 10).getTime() / 1000) * S);
    assert.equal(parseTimestamp('2026-11-23T10:30', now), BigInt(new Date(2026, 10, 23, 10, 30).getTime() / 1000) * S);
    assert.equal(parseTimestamp('2026-11-23T10:30:05', now), BigInt(new Date(2026, 10, 23, 10, 30, 5).getTime() / 1000) * S);
  });

  // dockerd 20.10's answers to `docker container prune --filter until=...` (test/fixtures/outputs/dockerd-api/prune.json)
  for (const bad of ['abc', '', '10d', '2026-13-01', '2026-11-31', 'yesterday', '1.2.3']) {
    it(`refuses the time ${JSON.stringify(bad)} with dockerd's message`, () => {
      throwsMessage(() => parseTimestamp(bad, now), new RegExp(`^failed to parse value as time or duration: ${JSON.stringify(bad).replace(/[.]/g, '\\.')}$`));
    });
  }

  it('reads the times boxlab records, keeping nanoseconds', () => {
    assert.equal(isoNanos('2026-11-23T09:00:00.123456789Z'), BigInt(Date.parse('2026-11-23T09:00:00Z') / 1000) * S + 123_456_789n);
    assert.equal(isoNanos('2026-11-23T09:00:00.5Z'), BigInt(Date.parse('2026-11-23T09:00:00Z') / 1000) * S + 500_000_000n);
  });
});

describe('go-time: Go\'s Duration.String', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'], [1, '1ns'], [1500, '1.5µs'], [1e6, '1ms'], [250e6, '250ms'], [1e9, '1s'], [1.5e9, '1.5s'],
    [30e9, '30s'], [90e9, '1m30s'], [120e9, '2m0s'], [3600e9, '1h0m0s'], [3723.5e9, '1h2m3.5s'], [-2e9, '-2s'],
  ];
  for (const [nanos, text] of cases) it(`${nanos} ns is ${text}`, () => assert.equal(formatGoDuration(nanos), text));
});
