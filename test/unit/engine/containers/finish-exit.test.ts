// Stage 4, the exit: the code from the exit file (or the shim's status, or the fallback), OOM read before
// runc delete, runc delete and the unmount, then the network; the record, the trace and the die event.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitCodeOf, finishExit } from '../../../../src/engine/containers/finish-exit.js';
import { LiveTable } from '../../../../src/engine/containers/live-table.js';
import { record } from './fixtures.js';
import { recordedRunc } from './recording-runner.js';
import { recordingStage } from './stage-deps.js';

describe('the exit (stage 4)', () => {
  let root: string;
  beforeEach(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-exit-'))));
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  const running = async (stage: ReturnType<typeof recordingStage>) => {
    const id = 'e'.repeat(64);
    const live = new LiveTable(stage.deps.paths.containers).track(
      record({ Id: id, Name: '/web', State: { Status: 'running', Pid: 77, ExitCode: 0, Error: '', OOMKilled: false, StartedAt: new Date(Date.now() - 1500).toISOString(), FinishedAt: '0001-01-01T00:00:00Z' }, shimPid: 76 }),
    );
    await fs.mkdir(live.files.dir, { recursive: true });
    await stage.deps.snapshotter.prepare(id, []);
    stage.calls.length = 0;
    return live;
  };

  it('reads the code from the exit file, OOM before runc delete, then deletes, unmounts and detaches', async () => {
    const stage = recordingStage(root, { oomKilled: true });
    const live = await running(stage);
    await fs.writeFile(live.files.exitFile, '  3\n'); // as the shim writes it
    const exit = await finishExit(stage.deps, live, 0, 255);
    assert.equal(exit.exitCode, 3);
    assert.equal(exit.oomKilled, true);
    assert.ok(exit.ranMs >= 1500);
    const id = live.record.Id;
    assert.deepEqual(stage.runner.callsOf('runc'), [['--root', stage.deps.paths.runcRoot, 'delete', '--force', id]]);
    assert.deepEqual(stage.calls, [`cgroup.oom /boxlab/${id}`, `unmount ${root}/snapshots/${id}/merged`, 'network.detach eeee']);
    assert.deepEqual(
      { ...live.record.State, FinishedAt: '' },
      { Status: 'exited', Pid: 0, ExitCode: 3, Error: '', OOMKilled: true, StartedAt: live.record.State.StartedAt, FinishedAt: '' },
    );
    assert.equal(live.record.shimPid, 0);
    assert.deepEqual(stage.tracer.events.map((e) => e.step), ['runc.delete', 'process.exit']);
    assert.deepEqual(stage.events.map((e) => [e.action, e.name, e.attributes.exitCode]), [['die', 'web', '3']]);
  });

  it('the code: the exit file is the truth, then the shim\'s own status (a full disk), then the fallback', () => {
    assert.equal(exitCodeOf(3, 0, 255), 3);
    assert.equal(exitCodeOf(undefined, 7, 255), 7);
    assert.equal(exitCodeOf(undefined, undefined, 137), 137);
  });

  it('without an exit file and a shim status (killed while the engine was down) the fallback is recorded', async () => {
    const stage = recordingStage(root);
    const live = await running(stage);
    const exit = await finishExit(stage.deps, live, undefined, 137);
    assert.equal(exit.exitCode, 137);
    assert.equal(stage.events[0].attributes.exitCode, '137');
  });

  it('a runc that does not know the container any more is no error, and no runc.delete in the trace', async () => {
    const stage = recordingStage(root, { network: false });
    stage.runner.reply('runc', ['delete'], { exitCode: 1, stderr: recordedRunc('delete-missing.stderr') });
    const live = await running(stage);
    await finishExit(stage.deps, live, 0, 255);
    assert.deepEqual(stage.tracer.events.map((e) => e.step), ['process.exit']);
  });
});
