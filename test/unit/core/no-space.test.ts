// A full disk said plainly (issue 12, finding 7): what was being written, on which disk, how to make room.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { AppError, internal } from '../../../src/core/errors.js';
import { explainNoSpace, isNoSpace, noSpaceLeft, noSpaceMessage } from '../../../src/core/no-space.js';
import { errorAnswer } from '../../../src/engine/api/http-status.js';

/** an ENOSPC as Node's fs gives it (a write has no path in it) */
function enospc(path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write', path });
}

describe('no space left on device', () => {
  it('names what was written, the root and the way out', () => {
    assert.equal(
      noSpaceMessage('the files of container web', '/var/lib/boxlab'),
      'no space left on device writing the files of container web under /var/lib/boxlab: free space (docker system prune, docker volume prune) or grow the disk',
    );
    const err = noSpaceLeft('x', '/r', enospc());
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'INTERNAL');
    assert.deepEqual(err.suggestions, ['docker system prune', 'docker volume prune', 'or grow the disk']);
  });

  it("recognises Node's ENOSPC and a tool's stderr, not its own message again", () => {
    assert.ok(isNoSpace(enospc()));
    assert.ok(isNoSpace(new AppError('COMMAND_FAILED', "mkfifo: cannot create fifo '/r/x/stdin': No space left on device")));
    assert.ok(!isNoSpace(noSpaceLeft('x', '/r')));
    assert.ok(!isNoSpace(internal('runc failed')));
    assert.ok(!isNoSpace(undefined));
  });

  it('explainNoSpace turns only a full disk into the clear error', async () => {
    await assert.rejects(
      explainNoSpace('the runtime files of container web', '/r', () => fs.writeFile('/dev/full', 'x')),
      /^AppError: no space left on device writing the runtime files of container web under \/r: free space/,
    );
    await assert.rejects(explainNoSpace('x', '/r', async () => { throw internal('other'); }), /^AppError: other$/);
    assert.equal(await explainNoSpace('x', '/r', async () => 7), 7);
  });

  it('an ENOSPC reaching the API edge names the file, not a bare errno', () => {
    const answer = errorAnswer(enospc('/r/images/x.json'));
    assert.equal(answer.status, 500);
    assert.equal(answer.body.message, noSpaceMessage('/r/images/x.json'));
    assert.doesNotMatch(errorAnswer(enospc()).body.message, /ENOSPC/);
  });
});
