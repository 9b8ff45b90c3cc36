import assert from 'node:assert/strict';
import { parsePsOutput } from '../../../../src/engine/containers/top-output.js';

const PS = `UID          PID    PPID  C STIME TTY          TIME CMD
root           1       0  0 10:00 ?        00:00:01 /sbin/init
root        4242    4200  0 10:01 ?        00:00:00 sh -c while true; do sleep 1; done
root        4250    4242  0 10:01 ?        00:00:00 sleep 1
`;

describe('docker top', () => {
  it('keeps the rows of the container\'s pids, the command with its spaces', () => {
    const top = parsePsOutput(PS, [4242, 4250]);
    assert.deepEqual(top.Titles, ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
    assert.deepEqual(top.Processes.map((p) => p.at(-1)), ['sh -c while true; do sleep 1; done', 'sleep 1']);
  });

  it('needs a PID column', () => {
    assert.throws(() => parsePsOutput('CMD\nsh\n', [1]), /Couldn't find PID field in ps output/);
  });
});
