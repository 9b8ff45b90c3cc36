import assert from 'node:assert/strict';
import { parseSignal } from '../../../../src/engine/containers/signals.js';

describe('signal names', () => {
  it('accepts SIGTERM, TERM, term and 15 alike', () => {
    for (const s of ['SIGTERM', 'TERM', 'term', '15']) assert.deepEqual(parseSignal(s), { name: 'TERM', number: 15 });
    assert.deepEqual(parseSignal(undefined, 'SIGKILL'), { name: 'KILL', number: 9 });
    assert.deepEqual(parseSignal('34'), { name: '34', number: 34 });
  });

  it('refuses what is not a signal', () => {
    assert.throws(() => parseSignal('SIGNOPE'), { code: 'INVALID_ARGUMENT', message: 'invalid signal: SIGNOPE' });
    assert.throws(() => parseSignal('99'), /invalid signal: 99/);
  });
});
