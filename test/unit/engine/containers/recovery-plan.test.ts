// ADR 0001's recovery table, one case per row: what recover() found decides what it does.
import assert from 'node:assert/strict';
import { planRecovery, type FoundContainer, type RecoveryAction } from '../../../../src/engine/containers/recovery-plan.js';

const found = (over: Partial<FoundContainer>): FoundContainer => ({ hasRecord: true, status: 'running', ours: false, shimPid: 4242, shimAlive: false, exitFile: false, ...over });

const ROWS: Array<{ row: string; found: FoundContainer; action: RecoveryAction['kind']; extra?: Partial<RecoveryAction> }> = [
  { row: 'no container.json: a create that never finished', found: found({ hasRecord: false, status: undefined }), action: 'remove-unfinished-create' },
  { row: 'a shim this engine holds already', found: found({ ours: true, shimAlive: true }), action: 'still-ours' },
  { row: 'removing: the removal is finished', found: found({ status: 'removing' }), action: 'finish-removal' },
  { row: 'exited: nothing mounted or left in runc, a waiting shim acked', found: found({ status: 'exited' }), action: 'clean-stopped' },
  { row: 'created (a start the engine died in): the same', found: found({ status: 'created' }), action: 'clean-stopped' },
  { row: 'restarting: restart now (the back-off timer died with the engine)', found: found({ status: 'restarting' }), action: 'restart', extra: { why: 'restarting it (restart policy)' } },
  {
    row: 'running, shim alive: reattach and keep reading',
    found: found({ shimAlive: true }),
    action: 'reattach',
    extra: { finishBeforeReturn: false, why: 'its shim (pid 4242) still runs: reading its output again' },
  },
  { row: 'running, shim alive, exit present: reattach, finish the exit before recover() returns', found: found({ shimAlive: true, exitFile: true }), action: 'reattach', extra: { finishBeforeReturn: true } },
  { row: 'paused, shim alive: reattach as for running', found: found({ status: 'paused', shimAlive: true }), action: 'reattach' },
  {
    row: 'running, shim dead, exit present: finish the exit with its code',
    found: found({ exitFile: true }),
    action: 'finish-exit',
    extra: { why: 'it exited while the engine was down: recording its exit code' },
  },
  {
    row: 'running, shim dead, no exit (kill -9, or a full disk at the exit): finish as 137',
    found: found({}),
    action: 'finish-exit',
    extra: { why: 'its shim is gone without an exit status: marking it exited (137)' },
  },
];

describe('recovery after an engine restart (ADR 0001 table)', () => {
  for (const { row, found: f, action, extra } of ROWS) {
    it(row, () => {
      const plan = planRecovery(f);
      assert.equal(plan.kind, action);
      for (const [k, v] of Object.entries(extra ?? {})) assert.deepEqual((plan as Record<string, unknown>)[k], v, k);
    });
  }

  it('restarting wins over a live shim: the restart timer is the only thing that died', () => {
    assert.equal(planRecovery(found({ status: 'restarting', shimAlive: true, exitFile: true })).kind, 'restart');
  });
});
