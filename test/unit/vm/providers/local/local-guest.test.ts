// LocalGuest: runs argv and scripts on this host, with env, input and a timeout that kills the tree.
import assert from 'node:assert/strict';
import { LocalGuest, LOCAL_GUEST_WARNING } from '../../../../../src/vm/providers/local/local-guest.js';

describe('LocalGuest', () => {
  it('warns that there is no VM boundary', () => {
    const said: string[] = [];
    new LocalGuest({ warn: (m) => said.push(m) });
    assert.deepEqual(said, [LOCAL_GUEST_WARNING]);
    assert.match(LOCAL_GUEST_WARNING, /no VM boundary/);
  });

  it('runs an argv with env and input, and a script through bash', async () => {
    const g = new LocalGuest({ warn: null });
    assert.deepEqual(await g.exec(['cat'], { input: 'in' }), { exitCode: 0, stdout: 'in', stderr: '' });
    const r = await g.exec({ script: 'echo "$X"; echo err >&2; exit 3' }, { env: { X: 'x y' } });
    assert.deepEqual(r, { exitCode: 3, stdout: 'x y\n', stderr: 'err\n' });
  });

  it('kills the whole process tree at the timeout and returns 124', async () => {
    const g = new LocalGuest({ warn: null });
    const t = Date.now();
    const r = await g.exec({ script: 'sleep 20 & sleep 20; wait' }, { timeoutMs: 200 });
    assert.equal(r.exitCode, 124);
    assert.ok(Date.now() - t < 5000);
  });
});
