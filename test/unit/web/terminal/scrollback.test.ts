import assert from 'node:assert/strict';
import { Scrollback } from '../../../../src/web/terminal/scrollback.js';

describe('Scrollback', () => {
  it('keeps everything under the limit, in order', () => {
    const s = new Scrollback(100);
    s.push('$ echo hi\r\n');
    s.push('hi\r\n');
    assert.equal(s.text(), '$ echo hi\r\nhi\r\n');
  });

  it('keeps only the last `limit` characters of a flood', () => {
    const s = new Scrollback(10);
    for (let i = 0; i < 1000; i++) s.push(`${i % 10}`);
    assert.equal(s.length, 10);
    assert.equal(s.text(), '0123456789');
    s.push('abc');
    assert.equal(s.text(), '3456789abc');
  });

  it('cuts a single chunk larger than the limit', () => {
    const s = new Scrollback(4);
    s.push('abcdefgh');
    assert.equal(s.text(), 'efgh');
  });
});
