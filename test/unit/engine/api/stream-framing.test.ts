import assert from 'node:assert/strict';
import { encodeFrame, FrameDecoder } from '../../../../src/engine/api/stream-framing.js';

describe('multiplexed stream framing', () => {
  it('prefixes stdout with type 1 and a big-endian length', () => {
    const frame = encodeFrame('stdout', Buffer.from('hello\n'));
    assert.deepEqual([...frame.subarray(0, 8)], [1, 0, 0, 0, 0, 0, 0, 6]);
    assert.equal(frame.subarray(8).toString(), 'hello\n');
  });

  it('marks stderr with type 2 and encodes lengths above 255 in big-endian order', () => {
    const frame = encodeFrame('stderr', Buffer.alloc(0x0102, 'x'));
    assert.deepEqual([...frame.subarray(0, 8)], [2, 0, 0, 0, 0, 0, 1, 2]);
    assert.equal(frame.length, 8 + 0x0102);
  });

  it('decodes frames split at any byte', () => {
    const bytes = Buffer.concat([encodeFrame('stdout', Buffer.from('out')), encodeFrame('stderr', Buffer.from('err!')), encodeFrame('stdout', Buffer.alloc(0))]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const decoder = new FrameDecoder();
      const frames = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
      assert.deepEqual(frames.map((f) => [f.stream, f.payload.toString()]), [['stdout', 'out'], ['stderr', 'err!'], ['stdout', '']], `cut at ${cut}`);
      assert.equal(decoder.pending, 0);
    }
  });

  it('rejects an unknown stream type', () => {
    assert.throws(() => new FrameDecoder().push(Buffer.from([7, 0, 0, 0, 0, 0, 0, 0])), /invalid stream type 7/);
  });
});
