// Which qemu start failures are a taken hostfwd port (retried with another port) and which are not.
import assert from 'node:assert/strict';
import { isHostfwdPortTaken } from '../../../../../src/vm/providers/qemu/port-race.js';

describe('qemu hostfwd port race', () => {
  it('recognises qemu 7.2 failing to bind the forwarded port, and nothing else', () => {
    // recorded: qemu-system-x86_64 7.2.22 (Debian 12) with hostfwd on a port a python socket held
    const taken = "qemu-system-x86_64: -netdev user,id=n0,hostfwd=tcp:127.0.0.1:52243-:22: Could not set up host forwarding rule 'tcp:127.0.0.1:52243-:22'\n";
    assert.equal(isHostfwdPortTaken(taken), true);
    assert.equal(isHostfwdPortTaken('qemu-system-x86_64: cannot set up guest memory \'pc.ram\': Cannot allocate memory\n'), false);
    assert.equal(isHostfwdPortTaken("qemu-system-x86_64: -drive file=/x/disk.qcow2: Could not open '/x/disk.qcow2': No such file or directory\n"), false);
  });
});
