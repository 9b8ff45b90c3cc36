// Stage 3, the shim and the pid: start waits for runc's init.pid (inotify, no polling); a shim that exits
// without one means the process could not start, and runc's json log (recorded from runc 1.1.5) says why.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ContainerProcess } from '../../../../src/engine/containers/container-process.js';
import { LiveTable } from '../../../../src/engine/containers/live-table.js';
import type { ShimParams } from '../../../../src/engine/containers/shim.js';
import { failedStartExitCode, MOUNT_TYPE_HINT, parsePidFile, startFailedError, startFailure, startShim } from '../../../../src/engine/containers/start-shim.js';
import { record } from './fixtures.js';
import { recordedRunc } from './recording-runner.js';
import { recordingStage } from './stage-deps.js';

/** a shim double: does what the test says with the shim's files, and exits when told */
function fakeShim(act: (p: ShimParams) => Promise<void>, written: Buffer[]) {
  const spawned: ShimParams[] = [];
  let exit!: (code: number | undefined) => void;
  const exited = new Promise<number | undefined>((r) => (exit = r));
  const spawn = (p: ShimParams): ContainerProcess => {
    spawned.push(p);
    void act(p);
    return {
      kind: 'spawned',
      shimPid: 4321,
      exited,
      stdin: { write: (c: Buffer) => written.push(c) } as unknown as ContainerProcess['stdin'],
      resize: () => undefined,
      closeStdin: () => undefined,
      release: () => undefined,
    };
  };
  return { spawn, spawned, exit };
}

describe('the shim and the pid (stage 3)', () => {
  let root: string;
  beforeEach(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-shim-stage-'))));
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  const created = async (stage: ReturnType<typeof recordingStage>, tty = false) => {
    const live = new LiveTable(stage.deps.paths.containers).track(record({ Id: 's'.repeat(64), Config: { Image: 'busybox', Tty: tty, OpenStdin: true } }));
    await fs.mkdir(live.files.dir, { recursive: true });
    return live;
  };

  it('resolves with the pid runc writes; stdin an attach wrote before the start reaches the shim', async () => {
    const stage = recordingStage(root);
    const live = await created(stage);
    live.pendingStdin.push(Buffer.from('typed early\n'));
    await fs.writeFile(live.files.exitFile, '  0\n'); // left by an earlier run: removed before the spawn
    const written: Buffer[] = [];
    const shim = fakeShim(async (p) => {
      await new Promise((r) => setTimeout(r, 20));
      await fs.writeFile(p.pidFile, '1234');
    }, written);
    const started = await startShim(stage.deps, live, shim.spawn);
    assert.equal(started.started && started.pid, 1234);
    assert.equal(live.proc?.shimPid, 4321);
    assert.deepEqual(written.map(String), ['typed early\n']);
    assert.deepEqual(live.pendingStdin, []);
    await assert.rejects(fs.stat(live.files.exitFile), /ENOENT/);
    const p = shim.spawned[0];
    assert.deepEqual([p.id, p.bundleDir, p.runcRoot, p.ttyFile, p.rows, p.cols], [live.record.Id, live.files.dir, stage.deps.paths.runcRoot, '', 24, 80]);
  });

  it('a tty container gets its terminal file and the size asked for before the start', async () => {
    const stage = recordingStage(root);
    const live = await created(stage, true);
    live.size = { cols: 101, rows: 33 };
    const shim = fakeShim(async (p) => fs.writeFile(p.pidFile, '99\n'), []);
    await startShim(stage.deps, live, shim.spawn);
    assert.deepEqual([shim.spawned[0].ttyFile, shim.spawned[0].rows, shim.spawned[0].cols], [live.files.ttyFile, 33, 101]);
  });

  it('a shim that exits without a pid file: runc\'s reason, exit code 127, no process kept', async () => {
    const stage = recordingStage(root);
    const live = await created(stage);
    const shim = fakeShim(async (p) => {
      await fs.writeFile(p.runcLog, recordedRunc('run-not-found.runc-log.json'));
      shim.exit(1);
    }, []);
    const started = await startShim(stage.deps, live, shim.spawn);
    assert.equal(started.started, false);
    assert.deepEqual(!started.started && started.failure, { exitCode: 127, why: 'runc run failed: unable to start container process: exec: "nope": executable file not found in $PATH' });
    assert.equal(live.proc, undefined);
  });

  it("runc's reasons become Docker's exit codes and error (recorded runc logs)", () => {
    assert.equal(startFailure(recordedRunc('run-not-found.runc-log.json'), 1).exitCode, 127);
    assert.equal(startFailure(recordedRunc('run-permission-denied.runc-log.json'), 1).exitCode, 126);
    assert.deepEqual(startFailure('', 1), { exitCode: 128, why: 'runc exited with status 1' });
    const err = startFailedError(startFailure(recordedRunc('run-not-found.runc-log.json'), 1));
    assert.equal(err.code, 'INVALID_ARGUMENT');
    assert.match(err.message, /^failed to create shim task: OCI runtime create failed: runc run failed: .*executable file not found in \$PATH: unknown$/);
    assert.equal(startFailedError({ exitCode: 128, why: 'x' }).code, 'INTERNAL');
  });

  it('a file mounted onto a folder: 127 and dockerd\'s question appended, as dockerd 20.10 (recorded runc log)', () => {
    const failure = startFailure(recordedRunc('run-not-a-directory.runc-log.json'), 1);
    assert.equal(failure.exitCode, 127);
    const err = startFailedError(failure);
    assert.equal(err.code, 'INVALID_ARGUMENT');
    assert.match(err.message, /flags: 0x5000: not a directory: unknown: Are you trying to mount a directory onto a file \(or vice-versa\)\? Check if the specified host path exists and is the expected type$/);
    assert.ok(err.message.endsWith(MOUNT_TYPE_HINT));
  });

  it("a failed start's exit code: runc's 127/126 as they are, else 128 unless the last run left one (dockerd's rule)", () => {
    assert.equal(failedStartExitCode(0), 128);
    assert.equal(failedStartExitCode(3), 3);
    assert.equal(failedStartExitCode(0, { exitCode: 127, why: 'x' }), 127);
    assert.equal(failedStartExitCode(3, { exitCode: 126, why: 'x' }), 126);
    assert.equal(failedStartExitCode(0, { exitCode: 128, why: 'x' }), 128);
    assert.equal(failedStartExitCode(2, { exitCode: 128, why: 'x' }), 2);
  });

  it('the pid file: a positive whole number, nothing while runc has not written it', () => {
    assert.equal(parsePidFile('1234'), 1234);
    assert.equal(parsePidFile(''), undefined);
    assert.equal(parsePidFile('0'), undefined);
  });
});
