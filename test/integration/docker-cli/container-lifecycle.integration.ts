// The real docker CLI against boxlabd: run, ps, logs, stop/start/restart/kill/pause/wait/rm, inspect,
// rename, top, stats, port, cp, and the errors the CLI must print.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { useEngine } from '../../helpers/engine-suite.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';
import { waitFor } from '../../helpers/wait-for.js';

const GOLDEN = path.join(REPO_ROOT, 'test/fixtures/docker-cli-golden/cli/command');

describe('docker CLI: container lifecycle', function () {
  this.timeout(60_000);
  const engine = useEngine({ removeAfterEach: 'containers' });
  const inspect = async (name: string) => JSON.parse(await engine.dockerOk(['inspect', name]))[0];

  for (const cli of ['new', 'old'] as const) {
    it(`docker run --rm busybox echo hello prints exactly "hello" (${cli} client)`, async () => {
      const res = await engine.docker(['run', '--rm', 'busybox', 'echo', 'hello'], { cli });
      assert.equal(res.stderr, '');
      assert.equal(res.stdout, 'hello');
      assert.equal(res.exitCode, 0);
      assert.equal(await engine.dockerOk(['ps', '-aq']), '', '--rm left the container behind');
    });
  }

  it('docker run returns the process exit code and separates stdout from stderr', async () => {
    const res = await engine.docker(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 7']);
    assert.equal(res.exitCode, 7);
    assert.equal(res.stdout, 'out');
    assert.equal(res.stderr, 'err');
  });

  it('docker run -i passes stdin and ends it at EOF', async () => {
    const res = await engine.docker(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'tr a-z A-Z; echo done'], { input: 'hello stdin\n' });
    assert.equal(res.stdout, 'HELLO STDIN\ndone');
  });

  it('docker run -d, then ps with --format, -q, -a and filters', async () => {
    const id = await engine.dockerOk(['run', '-d', '--name', 'lc-web', '-l', 'tier=front', 'busybox', 'sleep', '1000']);
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.match(await engine.dockerOk(['ps', '--format', '{{.Names}} {{.Image}} {{.Command}} {{.Status}}']), /^lc-web busybox "sleep 1000" Up /m);
    assert.ok((await engine.dockerOk(['ps', '-q'])).split('\n').includes(id.slice(0, 12)));
    await engine.dockerOk(['run', '--name', 'lc-done', 'busybox', 'true']);
    assert.doesNotMatch(await engine.dockerOk(['ps', '--format', '{{.Names}}']), /lc-done/);
    assert.match(await engine.dockerOk(['ps', '-a', '--format', '{{.Names}} {{.Status}}']), /^lc-done Exited \(0\) /m);
    assert.equal(await engine.dockerOk(['ps', '-a', '--filter', 'status=exited', '--filter', 'name=lc-', '--format', '{{.Names}}']), 'lc-done');
    assert.equal(await engine.dockerOk(['ps', '--filter', 'label=tier=front', '--format', '{{.Names}}']), 'lc-web');
    const table = await engine.dockerOk(['ps']);
    const goldenHeader = readFileSync(path.join(GOLDEN, 'container/testdata/container-list-without-format.golden'), 'utf8').split('\n')[0];
    assert.deepEqual(table.split('\n')[0].split(/\s{2,}/), goldenHeader.split(/\s{2,}/));
    await engine.dockerOk(['rm', '-f', 'lc-web', 'lc-done']);
  });

  it('docker logs: streams, --tail, -t, --since and -f', async () => {
    await engine.dockerOk(['run', '--name', 'lc-logs', 'busybox', 'sh', '-c', 'echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three']);
    const all = await engine.docker(['logs', 'lc-logs']);
    assert.equal(all.stdout, 'one\nthree');
    assert.equal(all.stderr, 'two');
    assert.equal((await engine.docker(['logs', '--tail', '1', 'lc-logs'])).stdout, 'three');
    const stamped = (await engine.docker(['logs', '-t', 'lc-logs'])).stdout.split('\n');
    assert.match(stamped[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z one$/);
    assert.equal((await engine.docker(['logs', '--since', '2099-01-01T00:00:00Z', 'lc-logs'])).stdout, '');
    assert.equal((await engine.docker(['logs', '--since', '1h', 'lc-logs'])).stdout, 'one\nthree');

    await engine.dockerOk(['run', '-d', '--name', 'lc-follow', 'busybox', 'sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done']);
    const follower = spawn('/usr/local/bin/docker', ['logs', '-f', 'lc-follow'], { env: { ...process.env, ...engine.env } });
    let seen = '';
    follower.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    await waitFor('docker logs -f to show new lines', () => /tick 3\n/.test(seen));
    assert.equal(follower.exitCode, null, 'docker logs -f ended while the container runs');
    follower.kill();
    await engine.dockerOk(['rm', '-f', 'lc-logs', 'lc-follow']);
  });

  it('docker stop sends SIGTERM, then SIGKILL after the timeout', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'lc-trap', 'busybox', 'sh', '-c', 'trap "exit 3" TERM; while true; do sleep 0.1; done']);
    await engine.dockerOk(['stop', 'lc-trap']);
    assert.equal((await inspect('lc-trap')).State.ExitCode, 3);

    // sleep as pid 1 has no SIGTERM handler, so the kernel ignores SIGTERM: only SIGKILL stops it
    await engine.dockerOk(['run', '-d', '--name', 'lc-stubborn', 'busybox', 'sleep', '1000']);
    const started = Date.now();
    await engine.dockerOk(['stop', '-t', '2', 'lc-stubborn']);
    const took = Date.now() - started;
    assert.ok(took >= 1900 && took < 8000, `stop took ${took} ms`);
    const state = (await inspect('lc-stubborn')).State;
    assert.equal(state.ExitCode, 137);
    assert.equal(state.Running, false);
    await engine.dockerOk(['rm', 'lc-trap', 'lc-stubborn']);
  });

  it('docker start, restart, kill, pause/unpause and wait', async () => {
    await engine.dockerOk(['create', '--name', 'lc-cycle', 'busybox', 'sleep', '1000']);
    assert.equal((await inspect('lc-cycle')).State.Status, 'created');
    assert.equal(await engine.dockerOk(['start', 'lc-cycle']), 'lc-cycle');
    const first = await inspect('lc-cycle');
    assert.equal(first.State.Running, true);
    assert.ok(first.State.Pid > 0);
    // nothing to do (Docker answers 304): the CLI still succeeds and prints the name
    assert.equal(await engine.dockerOk(['start', 'lc-cycle']), 'lc-cycle');
    await engine.dockerOk(['restart', '-t', '0', 'lc-cycle']);
    const second = await inspect('lc-cycle');
    assert.notEqual(second.State.Pid, first.State.Pid);
    assert.notEqual(second.State.StartedAt, first.State.StartedAt);
    await engine.dockerOk(['pause', 'lc-cycle']);
    assert.equal((await inspect('lc-cycle')).State.Status, 'paused');
    assert.match(await engine.dockerOk(['ps', '--filter', 'name=lc-cycle', '--format', '{{.Status}}']), /\(Paused\)/);
    // Docker refuses (409) rather than answering "nothing to do": a paused container is not started by start
    const startPaused = await engine.docker(['start', 'lc-cycle']);
    assert.equal(startPaused.exitCode, 1);
    assert.match(startPaused.stderr, /Error response from daemon: cannot start a paused container, try unpause instead/);
    await engine.dockerOk(['unpause', 'lc-cycle']);
    assert.equal((await inspect('lc-cycle')).State.Status, 'running');
    await engine.dockerOk(['kill', 'lc-cycle']);
    assert.equal(await engine.dockerOk(['wait', 'lc-cycle']), '137');
    assert.equal(await engine.dockerOk(['stop', 'lc-cycle']), 'lc-cycle');

    await engine.dockerOk(['run', '-d', '--name', 'lc-wait', 'busybox', 'sh', '-c', 'sleep 0.5; exit 4']);
    assert.equal(await engine.dockerOk(['wait', 'lc-wait']), '4');
    await engine.dockerOk(['rm', 'lc-cycle', 'lc-wait']);
  });

  it('docker run with -e -w -u -h --entrypoint -l', async () => {
    const out = await engine.dockerOk([
      'run', '--rm', '-e', 'GREETING=hi there', '-w', '/tmp', '-u', '65534:65534', '-h', 'box1', '-l', 'k=v',
      'busybox', 'sh', '-c', 'echo "$GREETING|$(pwd)|$(id -u):$(id -g)|$(hostname)"',
    ]);
    assert.equal(out, 'hi there|/tmp|65534:65534|box1');
    assert.equal(await engine.dockerOk(['run', '--rm', '--entrypoint', 'echo', 'busybox', 'from', 'entrypoint']), 'from entrypoint');
    await engine.dockerOk(['create', '--name', 'lc-label', '-l', 'k=v', 'busybox']);
    assert.deepEqual((await inspect('lc-label')).Config.Labels, { k: 'v' });
    await engine.dockerOk(['rm', 'lc-label']);
  });

  it('docker inspect shows State, Config, HostConfig, Mounts and the overlay GraphDriver dirs', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'lc-inspect', 'busybox', 'sleep', '1000']);
    const c = await inspect('lc-inspect');
    assert.match(c.Id, /^[0-9a-f]{64}$/);
    assert.equal(c.Name, '/lc-inspect');
    assert.equal(c.State.Status, 'running');
    assert.ok(c.State.Pid > 0);
    await fs.access(`/proc/${c.State.Pid}`);
    assert.equal(c.State.OOMKilled, false);
    assert.deepEqual(c.Config.Cmd, ['sleep', '1000']);
    assert.equal(c.Config.Image, 'busybox');
    assert.match(c.Image, /^sha256:/);
    assert.equal(c.GraphDriver.Name, 'overlay2');
    for (const key of ['LowerDir', 'UpperDir', 'MergedDir', 'WorkDir']) {
      assert.ok(String(c.GraphDriver.Data[key]).startsWith(engine.root), `${key}: ${c.GraphDriver.Data[key]}`);
    }
    await fs.access(path.join(c.GraphDriver.Data.MergedDir, 'bin', 'busybox'));
    assert.deepEqual(c.Mounts, []);
    await engine.dockerOk(['rm', '-f', 'lc-inspect']);
    assert.deepEqual((await engine.mountsUnderRoot()).filter((m) => m.includes(c.Id)), [], 'mounts left after rm -f');
  });

  it('docker rename, top, stats --no-stream and port', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'lc-old', '-m', '64m', 'busybox', 'sleep', '1000']);
    await engine.dockerOk(['rename', 'lc-old', 'lc-new']);
    await engine.dockerOk(['create', '--name', 'lc-other', 'busybox']);
    const taken = await engine.docker(['rename', 'lc-other', 'lc-new']);
    assert.notEqual(taken.exitCode, 0);
    assert.match(taken.stderr, /Error when allocating new name: Conflict\. The container name "\/lc-new" is already in use by container "[0-9a-f]{64}"/);
    await engine.dockerOk(['rm', 'lc-other']);
    assert.equal(await engine.dockerOk(['ps', '--filter', 'name=lc-new', '--format', '{{.Names}}']), 'lc-new');
    const top = await engine.dockerOk(['top', 'lc-new']);
    assert.match(top.split('\n')[0], /PID/);
    assert.match(top, /sleep 1000/);
    const stats = await engine.dockerOk(['stats', '--no-stream', '--format', '{{.Name}}|{{.MemUsage}}|{{.PIDs}}', 'lc-new']);
    assert.match(stats, /^lc-new\|[\d.]+[KMG]?i?B \/ 64MiB\|1$/);
    const port = await engine.docker(['port', 'lc-new']);
    assert.equal(port.exitCode, 0);
    assert.equal(port.stdout, '');
    await engine.dockerOk(['rm', '-f', 'lc-new']);
  });

  it('docker cp copies into and out of a container', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'lc-cp', 'busybox', 'sleep', '1000']);
    const local = path.join(engine.dir, 'to-container.txt');
    await fs.writeFile(local, 'copied in\n');
    await engine.dockerOk(['cp', local, 'lc-cp:/tmp/']);
    assert.equal(await engine.dockerOk(['exec', 'lc-cp', 'cat', '/tmp/to-container.txt']), 'copied in');
    await engine.dockerOk(['exec', 'lc-cp', 'sh', '-c', 'mkdir /out && echo copied out > /out/f']);
    const dest = path.join(engine.dir, 'from-container');
    await engine.dockerOk(['cp', 'lc-cp:/out', dest]);
    assert.equal(await fs.readFile(path.join(dest, 'f'), 'utf8'), 'copied out\n');
    await engine.dockerOk(['rm', '-f', 'lc-cp']);
  });

  it('docker diff lists the container\'s changes', async () => {
    await engine.dockerOk(['run', '--name', 'lc-diff', 'busybox', 'sh', '-c', 'echo x > /added; rm /bin/vi']);
    const out = await engine.dockerOk(['diff', 'lc-diff']);
    assert.match(out, /^A \/added$/m);
    assert.match(out, /^D \/bin\/vi$/m);
    await engine.dockerOk(['rm', 'lc-diff']);
  });

  it('errors: unknown container, name conflict, removing a running container', async () => {
    const rm = await engine.docker(['rm', 'nosuch']);
    assert.match(rm.stderr, /No such container: nosuch/);
    const inspectRes = await engine.docker(['inspect', 'nosuch']);
    assert.match(inspectRes.stderr, /No such object: nosuch/);
    await engine.dockerOk(['run', '-d', '--name', 'lc-dup', 'busybox', 'sleep', '1000']);
    const dup = await engine.docker(['run', '-d', '--name', 'lc-dup', 'busybox', 'true']);
    assert.notEqual(dup.exitCode, 0);
    assert.match(dup.stderr, /Conflict\. The container name "\/lc-dup" is already in use/);
    const busy = await engine.docker(['rm', 'lc-dup']);
    assert.notEqual(busy.exitCode, 0);
    assert.match(busy.stderr, /cannot remove a running container/i);
    await engine.dockerOk(['rm', '-f', 'lc-dup']);
    assert.equal(await engine.dockerOk(['ps', '-aq', '--filter', 'name=lc-dup']), '');
  });

  it('docker container prune and system prune remove stopped containers', async () => {
    await engine.dockerOk(['run', '--name', 'lc-prune', 'busybox', 'true']);
    const out = await engine.dockerOk(['container', 'prune', '-f']);
    assert.match(out, /Deleted Containers:/);
    assert.equal(await engine.dockerOk(['ps', '-aq', '--filter', 'name=lc-prune']), '');
    await engine.dockerOk(['run', '--name', 'lc-prune2', 'busybox', 'true']);
    await engine.dockerOk(['system', 'prune', '-f']);
    assert.equal(await engine.dockerOk(['ps', '-aq', '--filter', 'name=lc-prune2']), '');
  });

  it('--restart on-failure:3 restarts three times and counts them', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'lc-restart', '--restart', 'on-failure:3', 'busybox', 'sh', '-c', 'exit 1']);
    const c = await waitFor(
      'RestartCount 3',
      async () => {
        const info = await inspect('lc-restart');
        return info.RestartCount === 3 && !info.State.Running && !info.State.Restarting ? info : undefined;
      },
      { timeoutMs: 30_000 },
    );
    assert.deepEqual(c.HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
    assert.equal(c.State.ExitCode, 1);
    // the engine decides at each exit whether to restart (its trace says restart.schedule when it does):
    // the fourth exit scheduled nothing, so no restart can come later
    const trace = path.join(engine.root, 'containers', c.Id, 'trace.jsonl');
    const steps = await waitFor('the fourth process.exit in the trace', async () => {
      const text = await fs.readFile(trace, 'utf8').catch(() => '');
      const seen = text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { step: string }).step).filter((step) => step === 'process.exit' || step === 'restart.schedule');
      return seen.filter((step) => step === 'process.exit').length === 4 ? seen : undefined;
    });
    assert.deepEqual(steps, ['process.exit', 'restart.schedule', 'process.exit', 'restart.schedule', 'process.exit', 'restart.schedule', 'process.exit']);
    assert.equal((await inspect('lc-restart')).RestartCount, 3, 'restarted beyond the maximum');
    await engine.dockerOk(['rm', '-f', 'lc-restart']);
  });
});
