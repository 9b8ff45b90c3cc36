// The hosts file of hosted seats: what a line may say, the errors with file:line, and the bound the pool
// keeps (the host with the most free slots, never past its slots).
import assert from 'node:assert/strict';
import { hostKey, parseHostsFile, pickHost } from '../../../../src/classroom/hosted/hosts-file.js';

describe('hosts file (hosted seats)', () => {
  it('reads user@host[:port] with identity and slots, skipping comments and blank lines', () => {
    const hosts = parseHostsFile('# lab room\n\nroot@10.0.0.5 identity=~/.ssh/k slots=4\nstudent@lab-2:2222  # the old one\nops@[fd00::7]:22 slots=2\n', 'h.txt');
    assert.deepEqual(hosts, [
      { user: 'root', host: '10.0.0.5', port: 22, slots: 4, identity: '~/.ssh/k' },
      { user: 'student', host: 'lab-2', port: 2222, slots: 1 },
      { user: 'ops', host: 'fd00::7', port: 22, slots: 2 },
    ]);
    assert.equal(hostKey(hosts[2]), 'ops@[fd00::7]:22');
  });

  it('says file:line, what it expected and what it found', () => {
    assert.throws(() => parseHostsFile('root@a\n10.0.0.5\n', 'h.txt'), /h\.txt:2: expected user@host\[:port\], found "10\.0\.0\.5"/);
    assert.throws(() => parseHostsFile('root@a slots=0\n', 'h.txt'), /h\.txt:1: expected identity=<key file> or slots=<a number from 1>, found "slots=0"/);
    assert.throws(() => parseHostsFile('root@a:70000\n', 'h.txt'), /h\.txt:1: port 70000/);
    assert.throws(() => parseHostsFile('root@a\nroot@a:22\n', 'h.txt'), /h\.txt:2: root@a:22 is listed twice/);
    assert.throws(() => parseHostsFile('# nothing\n', 'h.txt'), /h\.txt lists no host/);
  });

  it('picks the host with the most free slots, the first listed on a tie, none when all are full', () => {
    const hosts = parseHostsFile('root@a slots=2\nroot@b slots=3\n');
    assert.equal(pickHost(hosts, new Map())?.host, 'b');
    assert.equal(pickHost(hosts, new Map([['root@b:22', 1]]))?.host, 'a');
    assert.equal(pickHost(hosts, new Map([['root@a:22', 2], ['root@b:22', 3]])), undefined);
  });
});
