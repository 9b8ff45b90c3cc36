// A full disk under the engine's root (issue 12, finding 7): the root is on a small tmpfs that the test
// fills with one file while containers run. No exit may be lost (the shim cannot create its exit file
// then), `docker stop` must tell the real outcome, `docker rm -f` must leave no shim, a create must fail
// with a message that says what to do, SIGTERM must still stop the engine, and freeing space heals all.
import assert from 'node:assert/strict';
import { closeSync, openSync, promises as fs, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { defaultBridge } from '../../../src/engine/network/default-bridge.js';
import { useEngine } from '../../helpers/engine-suite.js';

/** writes one file until the filesystem has not a byte left (big blocks, then small ones) */
function fillDisk(file: string): void {
  const fd = openSync(file, 'a');
  try {
    for (const size of [1 << 20, 4096, 512, 1]) {
      const block = Buffer.alloc(size, 0x78);
      try {
        for (;;) writeSync(fd, block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** processes whose command line names the container (its shim, runc, script) */
async function processesOf(id: string): Promise<string> {
  return (await run('pgrep', ['-af', id], { allowFailure: true })).stdout.trim();
}

describe('docker CLI: a full disk under the engine root', function () {
  this.timeout(120_000);
  let mnt = '';
  let filler = '';
  const freeDisk = () => fs.rm(filler, { force: true });
  // the engine's root on a 48 MB tmpfs; the engine stops (useEngine's after) before it is unmounted
  const engine = useEngine({
    prepare: async () => {
      mnt = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-fulldisk-'));
      await run('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mnt]);
      filler = path.join(mnt, 'filler');
      return { root: path.join(mnt, 'root') };
    },
  });
  const inspect = async (name: string) => JSON.parse(await engine.dockerOk(['inspect', name]))[0];
  afterEach(async () => {
    await freeDisk();
    await engine.removeAllContainers();
  });
  after(async () => {
    if (mnt) {
      await run('umount', ['-l', mnt], { allowFailure: true });
      await fs.rm(mnt, { recursive: true, force: true });
    }
  });

  it('docker stop reports the exit the container really had, and it is kept', async () => {
    const id = (await engine.dockerOk(['run', '-d', '--name', 'fd-stop', 'busybox', 'sh', '-c', 'trap "exit 3" TERM; while true; do sleep 0.1; done'])).trim();
    fillDisk(filler);
    const stop = await engine.docker(['stop', '-t', '5', 'fd-stop'], { timeout: 60_000 });
    const state = (await inspect('fd-stop')).State;
    // either the container is exited with its code, or stop says it failed: never success while it runs
    assert.equal(stop.exitCode, 0, `docker stop: ${stop.stderr}`);
    assert.equal(state.Status, 'exited', `stop said ok, the container is ${state.Status}`);
    assert.equal(state.ExitCode, 3);
    assert.equal(await processesOf(id), '', 'a process of the container is left');
    // the exit is on disk too: a restarted engine (space freed) still knows it
    await freeDisk();
    await engine.restartEngine();
    const after = (await inspect('fd-stop')).State;
    assert.deepEqual([after.Status, after.ExitCode], ['exited', 3]);
  });

  it('a container that exits on its own while the disk is full is seen to exit', async () => {
    const id = (await engine.dockerOk(['run', '-d', '--name', 'fd-self', 'busybox', 'sh', '-c', 'trap "exit 5" USR1; while true; do sleep 0.1; done'])).trim();
    fillDisk(filler);
    // a signal it handles itself: the exit is the container's own, no stop or kill path involved
    await engine.dockerOk(['kill', '-s', 'USR1', 'fd-self']);
    const wait = await engine.docker(['wait', 'fd-self'], { timeout: 20_000 });
    assert.equal(wait.exitCode, 0, `docker wait: ${wait.stderr}`);
    assert.equal(wait.stdout.trim(), '5');
    assert.equal((await inspect('fd-self')).State.Status, 'exited');
    assert.equal(await processesOf(id), '');
  });

  it('docker rm -f removes a running container and leaves no shim', async () => {
    const id = (await engine.dockerOk(['run', '-d', '--name', 'fd-rm', 'busybox', 'sleep', '600'])).trim();
    fillDisk(filler);
    const rm = await engine.docker(['rm', '-f', 'fd-rm'], { timeout: 60_000 });
    assert.equal(rm.exitCode, 0, `docker rm -f: ${rm.stderr}`);
    assert.equal((await engine.docker(['inspect', 'fd-rm'])).exitCode, 1);
    assert.equal(await processesOf(id), '', 'a process of the container is left');
  });

  it('a run or start on a full disk fails with a message that says what to do; freeing space heals it', async () => {
    await engine.dockerOk(['create', '--name', 'fd-made', 'busybox', 'echo', 'made']);
    fillDisk(filler);
    const clear = /no space left on device writing .+ under .+: free space \(docker system prune, docker volume prune\) or grow the disk/;
    const res = await engine.docker(['run', '--name', 'fd-new', 'busybox', 'true'], { timeout: 60_000 });
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, clear);
    assert.doesNotMatch(res.stderr, /ENOSPC/);
    const start = await engine.docker(['start', 'fd-made'], { timeout: 60_000 });
    assert.notEqual(start.exitCode, 0);
    assert.match(start.stderr, /no space left on device writing the runtime files of container fd-made under /);
    await freeDisk();
    assert.equal((await engine.dockerOk(['start', '-a', 'fd-made'])).trim(), 'made');
    assert.equal((await engine.dockerOk(['run', '--rm', 'busybox', 'echo', 'ok'])).trim(), 'ok');
  });

  it('docker stop never reports success while the exit is unseen; rm -f still cleans up', async function () {
    this.timeout(150_000);
    const id = (await engine.dockerOk(['run', '-d', '--name', 'fd-unseen', 'busybox', 'sleep', '600'])).trim();
    // a shim that cannot act (as one stuck on a broken disk): the container dies, its exit is not reported
    const { shimPid } = JSON.parse(await fs.readFile(path.join(engine.root, 'containers', id, 'container.json'), 'utf8'));
    process.kill(shimPid, 'SIGSTOP');
    try {
      const stop = await engine.docker(['stop', '-t', '1', 'fd-unseen'], { timeout: 90_000 });
      assert.notEqual(stop.exitCode, 0, `docker stop said ${stop.stdout.trim()} while the container is ${(await inspect('fd-unseen')).State.Status}`);
      assert.match(stop.stderr, /cannot stop container: fd-unseen: tried to kill container, but did not receive an exit event/);
      const rm = await engine.docker(['rm', '-f', 'fd-unseen'], { timeout: 90_000 });
      assert.equal(rm.exitCode, 0, `docker rm -f: ${rm.stderr}`);
    } finally {
      process.kill(shimPid, 'SIGCONT');
    }
    // the shim finds its ack (or no folder to write to) and goes; a process exit has no event to wait on
    for (let i = 0; i < 100 && (await processesOf(id)) !== ''; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await processesOf(id), '', 'a process of the container is left');
  });

  it('SIGTERM stops the engine within its bound with the disk full, leaving no bridge, mount or shim', async () => {
    const id = (await engine.dockerOk(['run', '-d', '--name', 'fd-term', 'busybox', 'sleep', '600'])).trim();
    fillDisk(filler);
    await engine.docker(['stop', '-t', '1', 'fd-term'], { timeout: 60_000 });
    await engine.docker(['rm', '-f', 'fd-term'], { timeout: 60_000 });
    const started = Date.now();
    const code = await engine.stopEngine();
    assert.equal(code, 0, `boxlabd exited ${code} after ${Date.now() - started} ms:\n${await engine.logTail(15)}`);
    const links = (await run('ip', ['-o', 'link', 'show'])).stdout;
    assert.doesNotMatch(links, new RegExp(`: ${defaultBridge(engine.root).bridge}[:@]`));
    assert.deepEqual(await engine.mountsUnderRoot(), []);
    assert.equal(await processesOf(id), '');
  });
});
