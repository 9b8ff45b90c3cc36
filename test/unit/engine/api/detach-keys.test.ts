import assert from 'node:assert/strict';
import { DetachKeyScanner, parseDetachKeys } from '../../../../src/engine/api/detach-keys.js';

describe('detach keys', () => {
  it('parses Docker\'s key names', () => {
    assert.deepEqual(parseDetachKeys('ctrl-p,ctrl-q'), [0x10, 0x11]);
    assert.deepEqual(parseDetachKeys('ctrl-@,a,ctrl-\\'), [0, 0x61, 28]);
    assert.throws(() => parseDetachKeys('ctrl-pp'), /invalid detach keys "ctrl-pp"/);
  });

  it('detaches on the full sequence and forwards the bytes before it', () => {
    const s = new DetachKeyScanner([0x10, 0x11]);
    assert.deepEqual(s.push(Buffer.from('ls\x10')), { forward: Buffer.from('ls'), detached: false });
    assert.deepEqual(s.push(Buffer.from('\x11more')), { forward: Buffer.alloc(0), detached: true });
  });

  it('gives back a false start', () => {
    const s = new DetachKeyScanner([0x10, 0x11]);
    assert.deepEqual(s.push(Buffer.from('\x10x')), { forward: Buffer.from('\x10x'), detached: false });
    assert.deepEqual(s.push(Buffer.from('\x10\x10\x11')), { forward: Buffer.from('\x10'), detached: true });
  });
});
