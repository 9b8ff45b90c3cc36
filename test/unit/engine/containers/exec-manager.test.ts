// runc's refusal to start an exec'd process, recognised in its output (recorded from runc 1.1 under
// boxlabd) and worded as dockerd words it in a health probe's log (recorded from Debian's dockerd 20.10).
import assert from 'node:assert/strict';
import { runcExecFailure } from '../../../../src/engine/containers/exec-manager.js';

const RUNC_NOT_FOUND = 'time="2026-12-06T11:27:59Z" level=error msg="exec failed: unable to start container process: exec: \\"nosuchbin\\": executable file not found in $PATH"\n';

describe('exec: runc could not start the process', () => {
  it('words runc\'s refusal as dockerd does', () => {
    assert.equal(runcExecFailure(255, RUNC_NOT_FOUND), 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchbin": executable file not found in $PATH: unknown');
  });
  it('leaves a process that ran and failed alone, whatever it printed', () => {
    assert.equal(runcExecFailure(1, RUNC_NOT_FOUND), undefined);
    assert.equal(runcExecFailure(255, 'some output\n'), undefined);
    assert.equal(runcExecFailure(255, `${RUNC_NOT_FOUND}more\n`), undefined);
    assert.equal(runcExecFailure(0, ''), undefined);
  });
});
