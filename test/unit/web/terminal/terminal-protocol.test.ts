import assert from 'node:assert/strict';
import { decodeClientMessage, decodeServerMessage, encodeMessage, type ClientMessage, type ServerMessage } from '../../../../src/web/terminal/terminal-protocol.js';

describe('terminal protocol', () => {
  it('round-trips every client message', () => {
    const all: ClientMessage[] = [{ t: 'data', d: 'ls -l\r' }, { t: 'resize', cols: 120, rows: 40 }, { t: 'ack', n: 8192 }, { t: 'ping' }];
    for (const m of all) assert.deepEqual(decodeClientMessage(encodeMessage(m)), { ok: true, message: m });
  });

  it('round-trips every server message, unicode and escapes included', () => {
    const all: ServerMessage[] = [
      { t: 'hello', session: 'abc', pid: 42, resumed: true },
      { t: 'data', d: '\x1b[31m红色\x1b[0m\r\n' },
      { t: 'exit', code: 130, signal: 2 },
      { t: 'exit', code: 0 },
      { t: 'error', message: 'no shell' },
      { t: 'pong' },
    ];
    for (const m of all) assert.deepEqual(decodeServerMessage(encodeMessage(m)), { ok: true, message: m });
  });

  it('refuses malformed client frames with a reason', () => {
    const bad: Array<[string, RegExp]> = [
      ['not json', /not JSON/],
      ['null', /not an object/],
      ['{"t":"data"}', /string "d"/],
      ['{"t":"resize","cols":0,"rows":10}', /cols 1-1000/],
      ['{"t":"resize","cols":80.5,"rows":10}', /integer/],
      ['{"t":"resize","cols":80,"rows":100000}', /rows 1-500/],
      ['{"t":"ack","n":-1}', /non-negative/],
      ['{"t":"exec","cmd":"rm -rf /"}', /unknown terminal message type "exec"/],
    ];
    for (const [raw, reason] of bad) {
      const r = decodeClientMessage(raw);
      assert.equal(r.ok, false, raw);
      if (!r.ok) assert.match(r.error, reason, raw);
    }
  });

  it('drops unknown fields instead of passing them on', () => {
    assert.deepEqual(decodeClientMessage('{"t":"data","d":"x","extra":1}'), { ok: true, message: { t: 'data', d: 'x' } });
  });
});
