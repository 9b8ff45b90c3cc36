// runc's argument lists (one builder each, `runc run` included) and what Runc makes of runc's recorded
// answers, through the recording process port.
import assert from 'node:assert/strict';
import { parseRuncList, Runc, runcArgs } from '../../../../src/engine/containers/runc.js';
import { recordedRunc, RecordingProcessRunner } from './recording-runner.js';

describe('runc commands', () => {
  it('runc run: json log, --keep (the cgroup outlives the process for the OOM count), the pid file, the bundle, the id last', () => {
    assert.deepEqual(runcArgs.run({ root: '/r', log: '/c/runc.log', pidFile: '/c/init.pid', bundle: '/c', id: 'abc' }), [
      '--root', '/r', '--log', '/c/runc.log', '--log-format', 'json', 'run', '--keep', '--pid-file', '/c/init.pid', '--bundle', '/c', 'abc',
    ]);
  });

  it('delete --force, kill, pause and resume go to the runc binary with the engine root', async () => {
    const runner = new RecordingProcessRunner();
    const runc = new Runc('/var/lib/boxlab/runc', 'runc', runner.run);
    assert.equal(await runc.delete('abc', true), true);
    await runc.kill('abc', 'TERM');
    await runc.pause('abc');
    await runc.resume('abc');
    assert.deepEqual(runner.callsOf('runc'), [
      ['--root', '/var/lib/boxlab/runc', 'delete', '--force', 'abc'],
      ['--root', '/var/lib/boxlab/runc', 'kill', 'abc', 'TERM'],
      ['--root', '/var/lib/boxlab/runc', 'pause', 'abc'],
      ['--root', '/var/lib/boxlab/runc', 'resume', 'abc'],
    ]);
  });

  it('delete of a container runc does not know is false, not an error (recorded runc 1.1.5)', async () => {
    const runner = new RecordingProcessRunner().reply('runc', ['delete'], { exitCode: 1, stderr: recordedRunc('delete-missing.stderr') });
    assert.equal(await new Runc('/r', 'runc', runner.run).delete('nope'), false);
  });

  it('parses runc list: one stopped container kept by --keep, and null when there is none', () => {
    assert.deepEqual(parseRuncList(recordedRunc('list-one-stopped.json')).map((c) => [c.id, c.status, c.pid]), [['rrtest', 'stopped', 0]]);
    assert.deepEqual(parseRuncList(recordedRunc('list-empty.json')), []);
  });
});
