// The process boundary on node's own spawn: what callers relied on when it was execa (the same results,
// the same errors), checked with real programs.
import assert from 'node:assert/strict';
import { run, stripFinalNewline } from '../../../src/core/exec.js';

describe('run (core/exec.ts)', () => {
  it('returns the exit code and the output, one final newline stripped', async () => {
    assert.deepEqual(await run('sh', ['-c', 'printf "a\\n\\n"; printf "e\\n" >&2']), { exitCode: 0, stdout: 'a\n', stderr: 'e' });
    assert.equal(stripFinalNewline('x\r\n'), 'x');
    assert.equal(stripFinalNewline('x'), 'x');
  });

  it('writes input to stdin and ends it; the environment is added to the engine\'s; cwd', async () => {
    assert.equal((await run('cat', [], { input: 'one\ntwo\n' })).stdout, 'one\ntwo');
    assert.equal((await run('sh', ['-c', 'echo "$BOXLAB_T $HOME"'], { env: { BOXLAB_T: 'x' } })).stdout, `x ${process.env.HOME}`);
    assert.equal((await run('pwd', [], { cwd: '/' })).stdout, '/');
    // a program that does not read its input is no error (EPIPE)
    assert.equal((await run('true', [], { input: 'x'.repeat(1 << 20) })).exitCode, 0);
  });

  it('a non-zero exit throws COMMAND_FAILED naming the command and its stderr, unless allowed', async () => {
    await assert.rejects(run('sh', ['-c', 'echo oops >&2; exit 3']), { code: 'COMMAND_FAILED', message: 'sh -c echo oops >&2; exit 3 failed: oops' });
    assert.deepEqual(await run('sh', ['-c', 'echo out; exit 3'], { allowFailure: true }), { exitCode: 3, stdout: 'out', stderr: '' });
  });

  it('a program that cannot be run, is killed, or times out "could not be run", even when failure is allowed', async () => {
    await assert.rejects(run('/nonexistent-boxlab', [], { allowFailure: true }), { code: 'COMMAND_FAILED', message: /^\/nonexistent-boxlab could not be run: Command failed with ENOENT/ });
    await assert.rejects(run('sh', ['-c', 'kill -9 $$'], { allowFailure: true }), { message: /^sh could not be run: Command was killed with SIGKILL/ });
    await assert.rejects(run('sleep', ['5'], { timeout: 200 }), { message: 'sleep could not be run: Command timed out after 200 milliseconds: sleep 5' });
    // one that answers the timeout's SIGTERM with an exit code gives that code
    assert.equal((await run('sh', ['-c', 'trap "exit 7" TERM; sleep 5 >/dev/null 2>&1 & wait'], { timeout: 200, allowFailure: true })).exitCode, 7);
  });
});
