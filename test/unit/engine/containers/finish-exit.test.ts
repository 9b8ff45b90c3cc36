// Stage 4, the exit: the code from the exit file (or the shim's status, or the fallback), OOM read before
// runc delete, runc delete and the unmount, then the network; the record, the trace and the die event.
// After `runc run` returned (an exit file) the engine does runc delete's work itself in the plain case
// (stopped-runc-state.ts); without an exit file (a killed shim) runc delete --force runs as before.
import assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
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

  /** what `runc run --keep` leaves (the recorded state.json), its cgroup folders in the temp dir, its init gone */
  const keptByRunc = async (stage: ReturnType<typeof recordingStage>, id: string, change: (state: Record<string, any>) => void = () => undefined) => {
    const state = JSON.parse(recordedRunc('state-stopped.json')) as Record<string, any>;
    state.id = id;
    state.init_process_pid = 2 ** 23; // above any pid_max: no such process
    state.cgroup_paths = { memory: path.join(root, 'cgroup', 'memory', id), '': path.join(root, 'cgroup', 'unified', id) };
    change(state);
    for (const dir of Object.values(state.cgroup_paths) as string[]) await fs.mkdir(dir, { recursive: true });
    await fs.mkdir(path.join(stage.deps.paths.runcRoot, id), { recursive: true });
    await fs.writeFile(path.join(stage.deps.paths.runcRoot, id, 'state.json'), JSON.stringify(state));
    return Object.values(state.cgroup_paths) as string[];
  };
  const gone = (p: string) => fs.stat(p).then(() => false, () => true);

  it('reads the code from the exit file, OOM before runc delete, then deletes (no runc: the engine), unmounts and detaches', async () => {
    const stage = recordingStage(root, { oomKilled: true });
    const live = await running(stage);
    const id = live.record.Id;
    const cgroups = await keptByRunc(stage, id);
    await fs.writeFile(live.files.exitFile, '  3\n'); // as the shim writes it
    const exit = await finishExit(stage.deps, live, 0, 255);
    assert.equal(exit.exitCode, 3);
    assert.equal(exit.oomKilled, true);
    assert.ok(exit.ranMs >= 1500);
    assert.deepEqual(stage.runner.callsOf('runc'), []);
    for (const dir of [...cgroups, path.join(stage.deps.paths.runcRoot, id)]) assert.ok(await gone(dir), `${dir} removed`);
    assert.deepEqual(stage.tracer.events[0].details, { by: 'engine' });
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

  it('a killed shim (no exit file): runc delete --force, which kills what is left, even with runc state there', async () => {
    const stage = recordingStage(root, { network: false });
    const live = await running(stage);
    await keptByRunc(stage, live.record.Id);
    await finishExit(stage.deps, live, undefined, 137);
    assert.deepEqual(stage.runner.callsOf('runc'), [['--root', stage.deps.paths.runcRoot, 'delete', '--force', live.record.Id]]);
    assert.deepEqual(stage.tracer.events.map((e) => [e.step, e.details]), [['runc.delete', {}], ['process.exit', { exitCode: 137, oomKilled: false }]]);
  });

  it('after runc run returned, a shared pid namespace or a cgroup that will not go is left to runc delete --force', async () => {
    for (const [why, change] of [
      ['shared pid namespace', (s: Record<string, any>) => (s.config.namespaces[0].path = '/proc/1/ns/pid')],
      ['poststop hook', (s: Record<string, any>) => (s.config.Hooks.poststop = [{ path: '/bin/true' }])],
      ['init still running', (s: Record<string, any>) => Object.assign(s, { init_process_pid: process.pid, init_process_start: ownStartTime() })],
    ] as const) {
      const stage = recordingStage(path.join(root, why.replace(/ /g, '-')), { network: false });
      const live = await running(stage);
      await keptByRunc(stage, live.record.Id, change);
      await fs.writeFile(live.files.exitFile, '  0\n');
      await finishExit(stage.deps, live, 0, 255);
      assert.deepEqual(stage.runner.callsOf('runc'), [['--root', stage.deps.paths.runcRoot, 'delete', '--force', live.record.Id]], why);
    }
    // a cgroup folder that still has a child (rmdir refuses): runc's job
    const stage = recordingStage(path.join(root, 'busy'), { network: false });
    const live = await running(stage);
    const [memory] = await keptByRunc(stage, live.record.Id);
    await fs.mkdir(path.join(memory, 'child'));
    await fs.writeFile(live.files.exitFile, '  0\n');
    await finishExit(stage.deps, live, 0, 255);
    assert.equal(stage.runner.callsOf('runc').length, 1);
    assert.ok(!(await gone(path.join(stage.deps.paths.runcRoot, live.record.Id))), 'the state folder stays for runc');
  });

  it('a runc that does not know the container any more is no error, and no runc.delete in the trace', async () => {
    const stage = recordingStage(root, { network: false });
    stage.runner.reply('runc', ['delete'], { exitCode: 1, stderr: recordedRunc('delete-missing.stderr') });
    const live = await running(stage);
    await finishExit(stage.deps, live, 0, 255);
    assert.deepEqual(stage.tracer.events.map((e) => e.step), ['process.exit']);
  });

  it('after runc run returned, no runc state folder: nothing to delete and no runc started', async () => {
    const stage = recordingStage(root, { network: false });
    const live = await running(stage);
    await fs.writeFile(live.files.exitFile, '  0\n');
    await finishExit(stage.deps, live, 0, 255);
    assert.deepEqual(stage.runner.callsOf('runc'), []);
    assert.deepEqual(stage.tracer.events.map((e) => e.step), ['process.exit']);
  });
});

/** this process's start time (field 22 of /proc/self/stat), so the test can play a running init */
function ownStartTime(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/)[19]);
}
