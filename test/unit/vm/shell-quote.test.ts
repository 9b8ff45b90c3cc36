// shellQuote: an argv survives the remote shell word for word (checked with a real sh).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { quoteWord, shellQuote, withEnv } from '../../../src/vm/shell-quote.js';

describe('shellQuote', () => {
  it('keeps plain words plain and quotes the rest', () => {
    assert.equal(shellQuote(['docker', 'ps', '-a']), 'docker ps -a');
    assert.equal(quoteWord("it's"), `'it'\\''s'`);
    assert.equal(quoteWord(''), "''");
  });

  it('round-trips hostile words through sh', () => {
    const words = ['a b', "it's", '$HOME', '`id`', '; rm -rf /', '"q"', '\\', 'new\nline', '*', ''];
    const line = shellQuote(['printf', '%s\\0', ...words]);
    const out = execFileSync('sh', ['-c', line]).toString('utf8');
    assert.deepEqual(out.split('\0').slice(0, -1), words);
  });

  it('puts env in front with env(1) and rejects bad names', () => {
    assert.deepEqual(withEnv(['ls'], { A: '1 2' }), ['env', 'A=1 2', 'ls']);
    assert.deepEqual(withEnv(['ls'], undefined), ['ls']);
    assert.throws(() => withEnv(['ls'], { 'A;B': 'x' }), /invalid environment variable name/);
  });
});
