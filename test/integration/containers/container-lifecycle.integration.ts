// The container lifecycle against real runc, overlayfs and cgroups: a RuncContainerService built over a
// temp root with the real image store (busybox baked from Debian's busybox-static), snapshotter and
// mounter. After each test: no runc state under the temp runc root and no mounts under the temp root.
import assert from 'node:assert/strict';
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { enginePaths, type EnginePaths } from '../../../src/core/paths.js';
import type { ContainerCreateBody } from '../../../src/engine/docker-model.js';
import { CgroupReader } from '../../../src/engine/cgroups/cgroup-reader.js';
import type { CgroupReader as CgroupPort, ProcessRunner } from '../../../src/engine/containers/container-deps.js';
import { cgroupPort } from '../../../src/engine/engine-services.js';
import type { LogEntry, StdioSession } from '../../../src/engine/containers/container-service.js';
import { RuncContainerService } from '../../../src/engine/containers/runc-container-service.js';
import { LocalImageStore } from '../../../src/engine/images/local-image-store.js';
import { Mounter } from '../../../src/engine/snapshots/mounter.js';
import { OverlaySnapshotter } from '../../../src/engine/snapshots/overlay-snapshotter.js';
import { MemoryTracer } from '../../../src/engine/trace/tracer.js';
import { LocalVolumeStore } from '../../../src/engine/volumes/local-volume-store.js';
import { volumeMountResolver } from '../../../src/engine/volumes/volume-mount-resolver.js';
import { busyboxArchive } from '../../helpers/engine-harness.js';
import { requires } from '../../helpers/requires.js';
import { catchesSignal, fileExists, waitFor } from '../../helpers/wait-for.js';

// the engine's own cgroups port over the cgroups plane's reader (v1 here, v2 in a VM)
const testCgroups: CgroupPort = cgroupPort(new CgroupReader());

async function collect(it: AsyncIterable<LogEntry>): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

const allLogs = { follow: false, stdout: true, stderr: true, since: 0, until: 0, timestamps: false, tail: 'all' as const };

describe('RuncContainerService (root, runc, overlayfs)', function () {
  this.timeout(60_000);
  let dir: string;
  let paths: EnginePaths;
  let images: LocalImageStore;
  let volumes: LocalVolumeStore;
  let tracer: MemoryTracer;
  let services: RuncContainerService[];

  const newService = (extra: { exec?: ProcessRunner } = {}) => {
    const svc = new RuncContainerService({
      ...extra,
      paths,
      images,
      snapshotter: new OverlaySnapshotter(paths.snapshots, tracer),
      volumes,
      tracer,
      mounter: new Mounter(tracer),
      cgroups: testCgroups,
      resolveMounts: volumeMountResolver(volumes, { volumesDir: paths.volumes, tracer }),
    });
    services.push(svc);
    return svc;
  };

  const body = (cmd: string[], extra: Partial<ContainerCreateBody> = {}): ContainerCreateBody => ({ Image: 'busybox', Cmd: cmd, ...extra });

  before(async function () {
    requires(this, 'root', 'runc', 'busybox', 'overlayfs');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-containers-'));
    paths = enginePaths(path.join(dir, 'root'));
    tracer = new MemoryTracer();
    images = new LocalImageStore(paths, { tracer });
    await images.init();
    await images.load(createReadStream(await busyboxArchive()));
    volumes = new LocalVolumeStore(paths.volumes, tracer);
  });

  beforeEach(() => {
    services = [];
  });

  afterEach(async () => {
    // remove whatever a test left, through the last service, then check for leaks
    const svc = services.at(-1);
    if (svc) {
      for (const c of await svc.list({ all: true, filters: {} })) await svc.remove(c.Id as string, { force: true, volumes: true }).catch(() => undefined);
      for (const s of services) await s.close();
    }
    const runcList = await run('runc', ['--root', paths.runcRoot, 'list', '-q'], { allowFailure: true });
    const mounts = (await fs.readFile('/proc/self/mountinfo', 'utf8')).split('\n').filter((l) => l.includes(` ${dir}/`));
    assert.equal(runcList.stdout.trim(), '', 'runc state leaked');
    assert.deepEqual(mounts, [], 'mounts leaked');
  });

  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('runs `echo hello` and keeps its output in the json-file log', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['echo', 'hello']), 'hello');
    const waited = svc.wait(Id, 'next-exit');
    await svc.start('hello');
    assert.deepEqual(await waited, { StatusCode: 0, Error: null });
    const logs = await collect(svc.logs('hello', allLogs));
    assert.deepEqual(logs.map((e) => [e.stream, e.log]), [['stdout', 'hello\n']]);
    const file = await fs.readFile(path.join(paths.containers, Id, `${Id}-json.log`), 'utf8');
    assert.match(file, /^\{"log":"hello\\n","stream":"stdout","time":"\d{4}-\d\d-\d\dT[^"]+Z"\}\n$/);
    const info = (await svc.inspect(Id)) as { State: Record<string, unknown>; Name: string; Path: string; Args: string[] };
    assert.equal(info.State.Status, 'exited');
    assert.equal(info.State.ExitCode, 0);
    assert.equal(info.Name, '/hello');
    assert.deepEqual([info.Path, ...info.Args], ['echo', 'hello']);
    const steps = tracer.events.filter((e) => e.objectId === Id).map((e) => e.step);
    for (const step of ['snapshot.prepare', 'mount.overlay', 'spec.write', 'runc.run', 'process.exit', 'runc.delete', 'mount.unmount'] as const) {
      assert.ok(steps.includes(step), `trace has ${step}: ${steps.join(', ')}`);
    }
  });

  it('an exit of runc run leaves no cgroup and no runc state, and starts no runc delete for it (issue 19)', async () => {
    // every process the service starts, run for real
    const started: string[][] = [];
    const svc = newService({ exec: (file, args, options) => (started.push([file, ...args]), run(file, args, options)) });
    const { Id } = await svc.create(body(['true']));
    const waited = svc.wait(Id, 'next-exit');
    await svc.start(Id);
    assert.equal((await waited).StatusCode, 0);
    // runc run --keep left them: the engine removed them as runc delete would
    const hierarchies = ['', ...(await fs.readdir('/sys/fs/cgroup'))];
    const left = hierarchies.map((h) => path.join('/sys/fs/cgroup', h, 'boxlab', Id)).filter((p) => existsSync(p));
    assert.deepEqual(left, [], 'cgroup folders left');
    assert.equal((await run('runc', ['--root', paths.runcRoot, 'list', '-q'])).stdout.trim(), '', 'runc still knows the container');
    assert.deepEqual(started.filter((argv) => argv[0] === 'runc' && argv.includes('delete')), [], 'runc delete started');
    const deleted = tracer.events.find((e) => e.objectId === Id && e.step === 'runc.delete');
    assert.deepEqual(deleted?.details, { by: 'engine' });
    // and it starts again as before (a new cgroup, a new runc state)
    const again = svc.wait(Id, 'next-exit');
    await svc.start(Id);
    assert.equal((await again).StatusCode, 0);
  });

  it('one mkfifo for eight creates: the next containers\' fifos come from its stock and carry their output (issue 19)', async () => {
    const started: string[][] = [];
    const svc = newService({ exec: (file, args, options) => (started.push([file, ...args]), run(file, args, options)) });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await svc.create(body(['sh', '-c', `echo out${i}; echo err${i} >&2`]))).Id);
    assert.equal(started.filter((argv) => argv[0] === 'mkfifo').length, 1, 'mkfifo processes for three creates');
    for (const [i, id] of ids.entries()) {
      const waited = svc.wait(id, 'next-exit');
      await svc.start(id);
      assert.equal((await waited).StatusCode, 0);
      const logs = await collect(svc.logs(id, allLogs));
      assert.deepEqual(logs.map((e) => [e.stream, e.log]).sort(), [['stderr', `err${i}\n`], ['stdout', `out${i}\n`]]);
    }
  });

  it('records exit codes and stderr, and shows Docker status strings', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sh', '-c', 'echo oops >&2; exit 3']));
    const waited = svc.wait(Id, 'next-exit');
    await svc.start(Id);
    assert.equal((await waited).StatusCode, 3);
    const logs = await collect(svc.logs(Id, { ...allLogs, stdout: false }));
    assert.deepEqual(logs.map((e) => [e.stream, e.log]), [['stderr', 'oops\n']]);
    const [summary] = await svc.list({ all: true, filters: { exited: ['3'] } });
    assert.equal(summary.Id, Id);
    assert.match(summary.Status as string, /^Exited \(3\) (Less than a second|\d+ seconds?) ago$/);
    assert.deepEqual(await svc.list({ all: false, filters: {} }), []);
  });

  it('refuses a command that does not exist, leaving nothing mounted', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['no-such-command']));
    await assert.rejects(svc.start(Id), /executable file not found|no such file/);
    const info = (await svc.inspect(Id)) as { State: { Status: string; ExitCode: number } };
    assert.equal(info.State.Status, 'created');
    assert.equal(info.State.ExitCode, 127);
  });

  it('stop sends SIGTERM, then SIGKILL after the timeout', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sh', '-c', "trap '' TERM; echo ready; while true; do sleep 0.1; done"]));
    await svc.start(Id);
    await waitFor('ready', async () => (await collect(svc.logs(Id, allLogs))).length > 0);
    const t0 = Date.now();
    await svc.stop(Id, 1);
    const took = Date.now() - t0;
    assert.ok(took >= 900 && took < 5000, `stop took ${took} ms`);
    const info = (await svc.inspect(Id)) as { State: { Status: string; ExitCode: number; Pid: number } };
    assert.deepEqual([info.State.Status, info.State.ExitCode, info.State.Pid], ['exited', 137, 0]);
  });

  it('a container that handles SIGTERM stops at once with its own exit code', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sh', '-c', "trap 'exit 42' TERM; while true; do sleep 0.1; done"]));
    await svc.start(Id);
    const info = (await svc.inspect(Id)) as { State: { Running: boolean; Pid: number } };
    assert.equal(info.State.Running, true);
    assert.ok(info.State.Pid > 1, 'State.Pid is the container process on the host');
    await fs.access(`/proc/${info.State.Pid}`);
    await waitFor('the shell to install its TERM trap', () => catchesSignal(info.State.Pid, 15));
    const t0 = Date.now();
    await svc.stop(Id, 10);
    assert.ok(Date.now() - t0 < 3000);
    assert.equal(((await svc.inspect(Id)) as { State: { ExitCode: number } }).State.ExitCode, 42);
  });

  it('a memory hog over -m 16m is OOM-killed: exit 137, OOMKilled true', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'], { HostConfig: { Memory: 16 * 1024 * 1024 } }));
    const waited = svc.wait(Id, 'next-exit');
    await svc.start(Id);
    assert.equal((await waited).StatusCode, 137);
    const info = (await svc.inspect(Id)) as { State: { OOMKilled: boolean } };
    assert.equal(info.State.OOMKilled, true);
  });

  it('--pids-limit stops a fork loop', async () => {
    const svc = newService();
    const script = 'n=0; (while [ $n -lt 40 ]; do sleep 5 & n=$((n+1)); done) 2>&1; echo done';
    const { Id } = await svc.create(body(['sh', '-c', script], { HostConfig: { PidsLimit: 10 } }));
    await svc.start(Id);
    const logs = await waitFor('fork failure', async () => {
      const text = (await collect(svc.logs(Id, allLogs))).map((e) => e.log).join('');
      return /can't fork/.test(text) ? text : undefined;
    });
    assert.match(logs, /Resource temporarily unavailable/);
    await svc.stop(Id, 0);
  });

  it('restart policy on-failure:3 restarts three times, then stays exited', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sh', '-c', 'echo run; exit 1'], { HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } } }));
    await svc.start(Id);
    // not-running: through every restart, until the policy gives up
    assert.equal((await svc.wait(Id, 'not-running')).StatusCode, 1);
    const info = (await svc.inspect(Id)) as { RestartCount: number; State: { Status: string } };
    assert.equal(info.RestartCount, 3);
    assert.equal(info.State.Status, 'exited');
    const runs = (await collect(svc.logs(Id, allLogs))).filter((e) => e.log === 'run\n').length;
    assert.equal(runs, 4);
    const delays = tracer.events.filter((e) => e.objectId === Id && e.step === 'restart.schedule').map((e) => e.details.delayMs);
    assert.deepEqual(delays, [100, 200, 400]);
  });

  it('--rm removes the container when it exits', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['true'], { HostConfig: { AutoRemove: true } }));
    const removed = svc.wait(Id, 'removed');
    await svc.start(Id);
    assert.equal((await removed).StatusCode, 0);
    await assert.rejects(svc.inspect(Id), /No such container/);
    await assert.rejects(fs.access(path.join(paths.containers, Id)));
  });

  it('docker stop of a --rm container stops and removes it at once', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sleep', '30'], { HostConfig: { AutoRemove: true } }));
    const removed = svc.wait(Id, 'removed');
    await svc.start(Id);
    const t0 = Date.now();
    await svc.stop(Id, 1);
    assert.equal((await removed).StatusCode, 137);
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    await assert.rejects(svc.inspect(Id), /No such container/);
  });

  it('exec runs in the container and records its exit code', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sleep', '30']));
    await svc.start(Id);
    const exec = await svc.execCreate(Id, { Cmd: ['sh', '-c', 'echo in-$HOSTNAME; exit 7'], AttachStdout: true, AttachStderr: true, Env: ['X=1'] });
    const session = await svc.execStart(exec.Id, { detach: false, tty: false });
    const out: Buffer[] = [];
    session.onOutput((c) => out.push(c.data));
    await session.done;
    assert.equal(Buffer.concat(out).toString(), `in-${Id.slice(0, 12)}\n`);
    const info = await svc.execInspect(exec.Id);
    assert.equal(info.ExitCode, 7);
    assert.equal(info.Running, false);
    assert.deepEqual(((await svc.inspect(Id)) as { ExecIDs: string[] }).ExecIDs, [exec.Id]);
  });

  it('a tty container gets a real terminal: output, resize and exit code', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sh', '-c', 'sleep 0.3; stty size; tty; exit 5'], { Tty: true, OpenStdin: true }));
    const session: StdioSession = await svc.attach(Id, { stream: true, logs: false, stdin: false, stdout: true, stderr: true });
    const out: Buffer[] = [];
    session.onOutput((c) => out.push(c.data));
    const waited = svc.wait(Id, 'next-exit');
    await svc.start(Id);
    await svc.resize(Id, 40, 120);
    assert.equal((await waited).StatusCode, 5);
    await session.done;
    const text = Buffer.concat(out).toString();
    assert.match(text, /40 120/);
    assert.match(text, /\/dev\/pts\/0/);
  });

  it('a tty container keeps its terminal across an engine restart: input, resize, output', async () => {
    const first = newService();
    const { Id } = await first.create(body(['sh', '-c', 'while read line; do echo "got $line"; stty size; done'], { Tty: true, OpenStdin: true }));
    await first.start(Id);
    await first.close();
    const second = newService();
    await second.recover();
    assert.equal(((await second.inspect(Id)) as { State: { Status: string } }).State.Status, 'running');
    const session = await second.attach(Id, { stream: true, logs: false, stdin: true, stdout: true, stderr: true });
    const out: Buffer[] = [];
    session.onOutput((c) => out.push(c.data));
    await second.resize(Id, 30, 100);
    // the resize is an stty on the container's terminal (named in its tty file): wait for the new size there
    const terminal = (await fs.readFile(path.join(paths.containers, Id, 'tty'), 'utf8')).trim();
    await waitFor(`${terminal} to be 30 rows by 100 columns`, async () => (await run('stty', ['-F', terminal, 'size'], { allowFailure: true })).stdout.trim() === '30 100');
    session.stdin?.write('hello\r');
    await waitFor('the echo', async () => /got hello\r\n30 100/.test(Buffer.concat(out).toString()));
    session.close();
    await second.stop(Id, 1);
  });

  it('attach with stdin feeds the container (docker run -i)', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sh', '-c', 'read line; echo "got $line"'], { OpenStdin: true, StdinOnce: true, AttachStdin: true }));
    const session = await svc.attach(Id, { stream: true, logs: false, stdin: true, stdout: true, stderr: true });
    const out: Buffer[] = [];
    session.onOutput((c) => out.push(c.data));
    session.stdin?.write('hi there\n');
    const waited = svc.wait(Id, 'next-exit');
    await svc.start(Id);
    session.stdin?.end();
    assert.equal((await waited).StatusCode, 0);
    await session.done;
    assert.equal(Buffer.concat(out).toString(), 'got hi there\n');
  });

  it('a detached container survives an engine restart: logs continue, stop works', async () => {
    const first = newService();
    // each tick is also written to /tick, where the test sees it while no engine reads the output
    const { Id } = await first.create(body(['sh', '-c', 'i=0; while true; do echo tick $i; echo $i > /tick; i=$((i+1)); sleep 0.1; done']), 'survivor');
    await first.start(Id);
    await waitFor('first ticks', async () => (await collect(first.logs(Id, allLogs))).length >= 2);
    const pid = ((await first.inspect(Id)) as { State: { Pid: number } }).State.Pid;
    await first.close(); // the engine goes away; the shim and the container do not

    // output written meanwhile waits in the fifo: wait for two more ticks than there were at the close
    const tick = async () => Number((await fs.readFile(`/proc/${pid}/root/tick`, 'utf8').catch(() => '')).trim() || -1);
    const atClose = await tick();
    await waitFor('two ticks written while no engine runs', async () => (await tick()) >= atClose + 2);
    const second = newService();
    await second.recover();
    const info = (await second.inspect('survivor')) as { State: { Status: string; Pid: number } };
    assert.equal(info.State.Status, 'running');
    assert.equal(info.State.Pid, pid);
    const before = (await collect(second.logs(Id, allLogs))).length;
    await waitFor('ticks after the restart', async () => (await collect(second.logs(Id, allLogs))).length > before + 3);
    const ticks = (await collect(second.logs(Id, allLogs))).map((e) => Number(/tick (\d+)/.exec(e.log)?.[1]));
    assert.deepEqual(ticks, ticks.map((_, i) => i), 'no tick lost or repeated across the restart');
    await second.stop(Id, 1);
    assert.equal(((await second.inspect(Id)) as { State: { Status: string } }).State.Status, 'exited');
  });

  it('logs --follow streams new lines and ends when the container stops', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; sleep 0.1; done']));
    await svc.start(Id);
    const followed = await collect(svc.logs(Id, { ...allLogs, follow: true }));
    assert.deepEqual(followed.map((e) => e.log), ['line 1\n', 'line 2\n', 'line 3\n', 'line 4\n', 'line 5\n']);
    const tail = await collect(svc.logs(Id, { ...allLogs, tail: 2 }));
    assert.deepEqual(tail.map((e) => e.log), ['line 4\n', 'line 5\n']);
    const stats = await svc.stats(Id);
    assert.equal(stats.read, '0001-01-01T00:00:00Z', 'a stopped container has zero stats');
  });

  it('top lists the container\'s processes from its cgroup', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sh', '-c', 'sleep 30 & sleep 31; echo done']));
    await svc.start(Id);
    await waitFor('both sleeps', async () => (await svc.top(Id)).Processes.length === 3);
    const top = await svc.top(Id, '-o pid,args');
    assert.deepEqual(top.Titles, ['PID', 'COMMAND']);
    assert.deepEqual(top.Processes.map((p) => p[1]).sort(), ['sh -c sleep 30 & sleep 31; echo done', 'sleep 30', 'sleep 31']);
    const stats = (await svc.stats(Id)) as { pids_stats: { current: number }; memory_stats: { usage: number } };
    assert.equal(stats.pids_stats.current, 3);
    assert.ok(stats.memory_stats.usage > 0);
  });

  it('named volumes outlive the container; rm -v removes anonymous ones; new volumes get the image\'s files', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sh', '-c', 'echo kept > /data/file; ls /etc/passwd; echo anon > /anon/x'], { HostConfig: { Binds: ['data:/data', 'etcvol:/etc'] }, Volumes: { '/anon': {} } }));
    const waited = svc.wait(Id, 'next-exit');
    await svc.start(Id);
    assert.equal((await waited).StatusCode, 0, (await collect(svc.logs(Id, allLogs))).map((e) => e.log).join(''));
    const info = (await svc.inspect(Id)) as { Mounts: Array<{ Type: string; Name?: string; Destination: string }> };
    assert.deepEqual(info.Mounts.map((m) => [m.Type, m.Destination]).sort(), [['volume', '/anon'], ['volume', '/data'], ['volume', '/etc']]);
    assert.equal(svc.volumeInUse('data'), true);
    const anon = info.Mounts.find((m) => m.Destination === '/anon')?.Name as string;
    await svc.remove(Id, { force: false, volumes: true });
    assert.equal(svc.volumeInUse('data'), false);
    assert.equal(await fs.readFile(path.join((await volumes.get('data')).Mountpoint, 'file'), 'utf8'), 'kept\n');
    await fs.access(path.join((await volumes.get('etcvol')).Mountpoint, 'passwd'));
    await assert.rejects(volumes.get(anon), /no such volume/);
    for (const name of ['data', 'etcvol']) await volumes.remove(name, { isInUse: () => false });
  });

  it('an exit while the engine is down is found by recover()', async () => {
    const first = newService();
    const { Id } = await first.create(body(['sh', '-c', 'sleep 0.3; echo bye; exit 9']));
    await first.start(Id);
    await first.close();
    // the shim writes the exit file once runc has reaped the container
    await waitFor('the exit file of the container', () => fileExists(path.join(paths.containers, Id, 'exit')));
    const second = newService();
    await second.recover();
    const info = (await second.inspect(Id)) as { State: { Status: string; ExitCode: number } };
    assert.deepEqual([info.State.Status, info.State.ExitCode], ['exited', 9]);
    assert.deepEqual((await collect(second.logs(Id, allLogs))).map((e) => e.log), ['bye\n']);
  });

  it('a shim killed with -9 and an engine restart leave no mounts or runc state', async () => {
    const first = newService();
    const { Id } = await first.create(body(['sleep', '60']));
    await first.start(Id);
    await first.close();
    const record = JSON.parse(await fs.readFile(path.join(paths.containers, Id, 'container.json'), 'utf8')) as { shimPid: number };
    process.kill(record.shimPid, 'SIGKILL');
    await waitFor('the shim is gone', async () => !(await fs.readFile(`/proc/${record.shimPid}/cmdline`, 'utf8').catch(() => '')));
    const second = newService();
    await second.recover();
    const info = (await second.inspect(Id)) as { State: { Status: string; ExitCode: number } };
    assert.deepEqual([info.State.Status, info.State.ExitCode], ['exited', 137]);
    // afterEach checks runc state and mounts
  });

  it('an engine that died in the middle of a start leaves nothing running once recover() is done', async () => {
    const first = newService();
    const { Id } = await first.create(body(['sleep', '60']));
    await first.start(Id);
    await first.close();
    // what the disk says when boxlabd died after runc started the process, before it saved "running"
    const file = path.join(paths.containers, Id, 'container.json');
    const record = JSON.parse(await fs.readFile(file, 'utf8')) as { shimPid: number; State: { Status: string; Pid: number } };
    const shimPid = record.shimPid;
    record.State.Status = 'created';
    record.State.Pid = 0;
    record.shimPid = 0;
    await fs.writeFile(file, JSON.stringify(record));
    const second = newService();
    await second.recover();
    assert.equal(((await second.inspect(Id)) as { State: { Status: string } }).State.Status, 'created');
    await waitFor('the shim of the broken start is gone', async () => !(await fs.readFile(`/proc/${shimPid}/cmdline`, 'utf8').catch(() => '')));
  });

  it('recover() removes a create that never finished and runc state with no container', async () => {
    const svc = newService();
    await fs.mkdir(path.join(paths.containers, 'f'.repeat(64)), { recursive: true });
    await svc.recover();
    await assert.rejects(fs.access(path.join(paths.containers, 'f'.repeat(64))));
  });

  it('pause and unpause freeze and thaw the container', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sleep', '30']));
    await svc.start(Id);
    await svc.pause(Id);
    assert.equal(((await svc.inspect(Id)) as { State: { Status: string; Paused: boolean } }).State.Paused, true);
    await assert.rejects(svc.remove(Id, { force: false, volumes: false }), /cannot remove a paused container/);
    await svc.unpause(Id);
    assert.equal(((await svc.inspect(Id)) as { State: { Status: string } }).State.Status, 'running');
    await assert.rejects(svc.remove(Id, { force: false, volumes: false }), /cannot remove a running container .* force remove/);
    await svc.remove(Id, { force: true, volumes: false });
    await assert.rejects(svc.inspect(Id), /No such container/);
  });

  it('name conflicts and renames use Docker\'s words', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['true']), 'web');
    await assert.rejects(svc.create(body(['true']), 'web'), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ALREADY_EXISTS');
      assert.equal(err.message, `Conflict. The container name "/web" is already in use by container "${Id}". You have to remove (or rename) that container to be able to reuse that name.`);
      return true;
    });
    await svc.rename('web', 'web2');
    assert.equal(await svc.resolveId('web2'), Id);
    assert.equal(await svc.resolveId(Id.slice(0, 5)), Id);
    await assert.rejects(svc.resolveId('web'), /No such container: web/);
  });

  it('docker cp: stat, archive out, archive in, and diff', async () => {
    const svc = newService();
    const { Id } = await svc.create(body(['sh', '-c', 'echo hi > /new.txt; rm /etc/group']));
    const waited = svc.wait(Id, 'next-exit');
    await svc.start(Id);
    await waited;
    const stat = await svc.statPath(Id, '/new.txt');
    assert.equal(stat.name, 'new.txt');
    assert.equal(stat.size, 3);
    const { tar } = await svc.getArchive(Id, '/new.txt');
    const chunks: Buffer[] = [];
    for await (const c of tar) chunks.push(c as Buffer);
    const archive = Buffer.concat(chunks);
    assert.equal(archive.subarray(0, 7).toString(), 'new.txt');
    assert.ok(archive.includes(Buffer.from('hi\n')));
    const tarStream = await import('tar-stream');
    const pack = tarStream.pack();
    pack.entry({ name: 'copied.txt' }, 'from host\n');
    pack.finalize();
    await svc.putArchive(Id, '/tmp', pack as unknown as import('node:stream').Readable);
    assert.equal((await svc.statPath(Id, '/tmp/copied.txt')).size, 10);
    const changes = await svc.changes(Id);
    assert.deepEqual(
      changes.filter((c) => ['/new.txt', '/etc/group', '/etc', '/tmp/copied.txt'].includes(c.Path)),
      [
        { Path: '/etc', Kind: 0 },
        { Path: '/etc/group', Kind: 2 },
        { Path: '/new.txt', Kind: 1 },
        { Path: '/tmp/copied.txt', Kind: 1 },
      ],
    );
  });

  it('`docker run --rm busybox true` costs about what raw `runc run` costs (printed, not asserted)', async () => {
    const svc = newService();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      const { Id } = await svc.create(body(['true'], { HostConfig: { AutoRemove: true } }));
      const removed = svc.wait(Id, 'removed');
      await svc.start(Id);
      await removed;
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`      create+start+exit+rm of busybox true: median ${times[2].toFixed(1)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`);
  });
});
