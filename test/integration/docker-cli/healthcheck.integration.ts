// HEALTHCHECK and `docker run --health-*` with the real docker CLI: a container that becomes healthy, one
// that becomes unhealthy, the start period, a probe over its timeout, what `docker ps` prints and filters,
// `docker events` (health_status, and the exec events of each probe), stop and start, an engine restart,
// and an image built with HEALTHCHECK. The last test runs one scenario on boxlabd and on Debian's dockerd
// 20.10 and compares what the CLI shows (Status texts, inspect shapes, events, error messages).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, type RunResult } from '../../../src/core/exec.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { requires } from '../../helpers/requires.js';
import { waitFor } from '../../helpers/wait-for.js';

interface Health {
  Status: string;
  FailingStreak: number;
  Log: Array<{ Start: string; End: string; ExitCode: number; Output: string }>;
}

/** boxlabd (EngineHarness) or dockerd (ReferenceDockerd): the docker CLI against one engine */
interface Engine {
  docker(args: string[], env?: Record<string, string>): Promise<RunResult>;
}

const ok = async (e: Engine, args: string[], env?: Record<string, string>) => {
  const res = await e.docker(args, env);
  if (res.exitCode !== 0) throw new Error(`docker ${args.join(' ')} exited ${res.exitCode}: ${res.stderr}`);
  return res.stdout;
};
const health = async (e: Engine, name: string): Promise<Health | null> => JSON.parse(await ok(e, ['inspect', '-f', '{{json .State.Health}}', name]));
const psStatus = async (e: Engine, name: string) => (await ok(e, ['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Status}}'])).trim();
const psNames = async (e: Engine, filters: string[]) => (await ok(e, ['ps', ...filters, '--format', '{{.Names}}'])).trim().split('\n').filter(Boolean).sort();
const waitHealth = (e: Engine, name: string, what: string, ok: (h: Health) => boolean, timeoutMs = 30_000) =>
  waitFor(`${name}: ${what}`, async () => {
    const h = await health(e, name);
    return h && ok(h) ? h : undefined;
  }, { timeoutMs, intervalMs: 100 });

describe('docker CLI: HEALTHCHECK and --health-*', function () {
  this.timeout(120_000);
  const engine = useEngine({ removeAfterEach: 'containers' });
  const boxlab: Engine = { docker: (args, env) => engine.docker(args, { env }) };

  it('starts as "health: starting", then a probe that exits 0 makes it healthy (docker ps, inspect, the health filter)', async () => {
    await ok(boxlab, ['run', '-d', '--name', 'hc-slow', '--health-cmd', 'true', '--health-interval', '30s', 'busybox', 'sleep', '600']);
    await ok(boxlab, ['run', '-d', '--name', 'hc-plain', 'busybox', 'sleep', '600']);
    assert.match(await psStatus(boxlab, 'hc-slow'), /^Up (Less than a second|\d+ seconds?) \(health: starting\)$/);
    assert.deepEqual(await health(boxlab, 'hc-slow'), { Status: 'starting', FailingStreak: 0, Log: [] });
    assert.equal(await health(boxlab, 'hc-plain'), null, 'no State.Health without a healthcheck');

    await ok(boxlab, ['run', '-d', '--name', 'hc-ok', '--health-cmd', 'echo hi; exit 0', '--health-interval', '1s', 'busybox', 'sleep', '600']);
    const h = await waitHealth(boxlab, 'hc-ok', 'healthy', (x) => x.Status === 'healthy');
    assert.equal(h.FailingStreak, 0);
    assert.deepEqual(h.Log.map((r) => [r.ExitCode, r.Output]), [[0, 'hi\n']]);
    assert.ok(Date.parse(h.Log[0]!.End) >= Date.parse(h.Log[0]!.Start));
    assert.match(await psStatus(boxlab, 'hc-ok'), /^Up .* \(healthy\)$/);
    const config = JSON.parse(await ok(boxlab, ['inspect', '-f', '{{json .Config.Healthcheck}}', 'hc-ok']));
    assert.deepEqual(config, { Test: ['CMD-SHELL', 'echo hi; exit 0'], Interval: 1e9 });

    assert.deepEqual(await psNames(boxlab, ['--filter', 'health=healthy']), ['hc-ok']);
    assert.deepEqual(await psNames(boxlab, ['--filter', 'health=starting']), ['hc-slow']);
    assert.deepEqual(await psNames(boxlab, ['--filter', 'health=none']), ['hc-plain']);
    const bad = await boxlab.docker(['ps', '--filter', 'health=bogus']);
    assert.notEqual(bad.exitCode, 0);
    assert.match(bad.stderr, /Unrecognised filter value for health: bogus/);
  });

  it('--health-cmd false --health-interval 1s --health-retries 2 becomes unhealthy after two failures', async () => {
    await ok(boxlab, ['run', '-d', '--name', 'hc-bad', '--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '2', 'busybox', 'sleep', '600']);
    const h = await waitHealth(boxlab, 'hc-bad', 'unhealthy', (x) => x.Status === 'unhealthy');
    assert.equal(h.FailingStreak, 2);
    assert.deepEqual(h.Log.map((r) => [r.ExitCode, r.Output]), [[1, ''], [1, '']]);
    assert.match(await psStatus(boxlab, 'hc-bad'), /^Up .* \(unhealthy\)$/);
    assert.deepEqual(await psNames(boxlab, ['--filter', 'health=unhealthy']), ['hc-bad']);
    // it keeps probing and counting; five results at most are kept
    const later = await waitHealth(boxlab, 'hc-bad', 'six failures', (x) => x.FailingStreak >= 6);
    assert.equal(later.Log.length, 5);
  });

  it('inside --health-start-period failures are not counted; a probe over --health-timeout fails with -1', async () => {
    await ok(boxlab, ['run', '-d', '--name', 'hc-start', '--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1', '--health-start-period', '60s', 'busybox', 'sleep', '600']);
    await ok(boxlab, ['run', '-d', '--name', 'hc-slowprobe', '--health-cmd', 'sleep 5', '--health-timeout', '1s', '--health-interval', '1s', '--health-retries', '1', 'busybox', 'sleep', '600']);
    const s = await waitHealth(boxlab, 'hc-start', 'two probes', (x) => x.Log.length >= 2);
    assert.equal(s.Status, 'starting');
    assert.equal(s.FailingStreak, 0);
    assert.deepEqual(s.Log.map((r) => r.ExitCode).slice(0, 2), [1, 1]);

    const t = await waitHealth(boxlab, 'hc-slowprobe', 'unhealthy', (x) => x.Status === 'unhealthy');
    assert.deepEqual([t.Log[0]!.ExitCode, t.Log[0]!.Output], [-1, 'Health check exceeded timeout (1s)']);
    const took = Date.parse(t.Log[0]!.End) - Date.parse(t.Log[0]!.Start);
    assert.ok(took >= 900 && took < 4000, `the timed-out probe took ${took} ms`);
  });

  it('the output is cut at 4096 bytes; stop keeps State.Health and ends the probes, start begins again at starting', async () => {
    await ok(boxlab, ['run', '-d', '--name', 'hc-long', '--health-cmd', 'yes | head -c 5000; exit 3', '--health-interval', '1s', '--health-retries', '1', 'busybox', 'sleep', '600']);
    const h = await waitHealth(boxlab, 'hc-long', 'unhealthy', (x) => x.Status === 'unhealthy');
    assert.equal(h.Log[0]!.ExitCode, 3);
    assert.equal(h.Log[0]!.Output.length, 4096 + 3);
    assert.ok(h.Log[0]!.Output.endsWith('y\ny\n...'));

    await ok(boxlab, ['stop', '-t', '0', 'hc-long']);
    const stopped = (await health(boxlab, 'hc-long'))!;
    assert.equal(stopped.Status, 'unhealthy');
    assert.equal(await psStatus(boxlab, 'hc-long').then((s) => s.startsWith('Exited (137)')), true);
    // a clock made of events: another container's probes run three times meanwhile
    await ok(boxlab, ['run', '-d', '--name', 'hc-clock', '--health-cmd', 'true', '--health-interval', '1s', 'busybox', 'sleep', '600']);
    await waitHealth(boxlab, 'hc-clock', 'three probes', (x) => x.Log.length >= 3);
    assert.deepEqual(await health(boxlab, 'hc-long'), stopped, 'a stopped container was probed');

    await ok(boxlab, ['start', 'hc-long']);
    const again = (await health(boxlab, 'hc-long'))!;
    assert.equal(again.Status, 'starting');
    assert.equal(again.FailingStreak, 0);
    assert.deepEqual(again.Log, stopped.Log, 'the log is kept across a start, as dockerd keeps it');
    await waitHealth(boxlab, 'hc-long', 'unhealthy again', (x) => x.Status === 'unhealthy');
  });

  it('a paused container is not probed; unpause resumes the probes where they were', async () => {
    await ok(boxlab, ['run', '-d', '--name', 'hc-pause', '--health-cmd', 'true', '--health-interval', '1s', '--health-timeout', '1s', 'busybox', 'sleep', '600']);
    await waitHealth(boxlab, 'hc-pause', 'healthy', (x) => x.Status === 'healthy');
    await ok(boxlab, ['pause', 'hc-pause']);
    const paused = (await health(boxlab, 'hc-pause'))!;
    assert.match(await psStatus(boxlab, 'hc-pause'), /^Up .* \(Paused\)$/);
    // a clock made of events: another container's probes run three times meanwhile
    await ok(boxlab, ['run', '-d', '--name', 'hc-clock2', '--health-cmd', 'true', '--health-interval', '1s', 'busybox', 'sleep', '600']);
    await waitHealth(boxlab, 'hc-clock2', 'three probes', (x) => x.Log.length >= 3);
    assert.deepEqual(await health(boxlab, 'hc-pause'), paused, 'a paused container was probed');
    await ok(boxlab, ['unpause', 'hc-pause']);
    const last = Date.parse(paused.Log.at(-1)!.Start);
    const resumed = await waitHealth(boxlab, 'hc-pause', 'a probe after unpause', (x) => Date.parse(x.Log.at(-1)!.Start) > last);
    assert.equal(resumed.Status, 'healthy', 'unpause does not start the health over');
  });

  it('docker events: health_status on each change, and exec_create, exec_start, exec_die for each probe', async () => {
    const since = String(Math.floor(Date.now() / 1000) - 1);
    await ok(boxlab, ['run', '-d', '--name', 'hc-ev', '--health-cmd', 'test -e /tmp/ok', '--health-interval', '1s', '--health-retries', '1', 'busybox', 'sleep', '600']);
    await waitHealth(boxlab, 'hc-ev', 'unhealthy', (x) => x.Status === 'unhealthy');
    await ok(boxlab, ['exec', 'hc-ev', 'touch', '/tmp/ok']);
    await waitHealth(boxlab, 'hc-ev', 'healthy', (x) => x.Status === 'healthy');
    const until = String(Math.ceil(Date.now() / 1000) + 1);
    const filtered = await ok(boxlab, ['events', '--since', since, '--until', until, '--filter', 'container=hc-ev', '--filter', 'event=health_status', '--format', '{{.Action}}']);
    assert.deepEqual(filtered.trim().split('\n'), ['health_status: unhealthy', 'health_status: healthy']);
    const all = (await ok(boxlab, ['events', '--since', since, '--until', until, '--filter', 'container=hc-ev', '--format', '{{.Action}}|{{.Actor.Attributes.execID}}|{{.Actor.Attributes.exitCode}}'])).trim().split('\n');
    const [create, start, die] = all.slice(2, 5).map((l) => l.split('|'));
    assert.deepEqual(all.slice(0, 2).map((l) => l.split('|')[0]), ['create', 'start']);
    assert.equal(create![0], 'exec_create: /bin/sh -c test -e /tmp/ok');
    assert.equal(start![0], 'exec_start: /bin/sh -c test -e /tmp/ok');
    assert.equal(die![0], 'exec_die');
    assert.equal(die![2], '1');
    assert.match(create![1]!, /^[0-9a-f]{64}$/);
    assert.equal(start![1], create![1]);
    assert.equal(die![1], create![1]);
    // the user's own exec has its three events too
    assert.ok(all.some((l) => l.startsWith('exec_create: touch /tmp/ok|')));
    // the trace (boxlab explain, the page's panel): each change of status, in both languages
    const trace = await run('curl', ['-s', '--unix-socket', engine.socketPath, 'http://d/v1.41/boxlab/trace/hc-ev']);
    const changes = (JSON.parse(trace.stdout) as Array<{ step: string; details: { status: string }; text: { en: string; zh: string } }>).filter((t) => t.step === 'health.status');
    assert.deepEqual(changes.map((t) => t.details.status), ['starting', 'unhealthy', 'healthy']);
    assert.match(changes[1]!.text.en, /unhealthy/);
    assert.match(changes[1]!.text.zh, /健康检查/);
    // probes leave no exec behind (dockerd forgets them once they ended): after the probes so far, the
    // user's touch is listed, and at most the one probe running at this moment (on a busy host one can be)
    const execs = Number((await ok(boxlab, ['inspect', '-f', '{{len .ExecIDs}}', 'hc-ev'])).trim());
    assert.ok(all.filter((l) => l.startsWith('exec_die|')).length >= 3, 'two probes and the touch have ended');
    assert.ok(execs <= 2, `${execs} execs listed`);
  });

  it('an engine restart picks health checking up again for the running container', async () => {
    await ok(boxlab, ['run', '-d', '--name', 'hc-rst', '--health-cmd', 'true', '--health-interval', '1s', 'busybox', 'sleep', '600']);
    await waitHealth(boxlab, 'hc-rst', 'healthy', (x) => x.Status === 'healthy');
    await engine.stopEngine();
    const down = Date.now();
    await engine.startEngine();
    const h = await waitHealth(boxlab, 'hc-rst', 'a probe after the restart', (x) => x.Log.some((r) => Date.parse(r.Start) > down));
    assert.equal(h.Status, 'healthy');
  });

  it('the same scenario on boxlabd and on Debian\'s dockerd 20.10: ps texts, inspect, events, errors', async function () {
    requires(this, 'dockerd');
    const dockerd = await ReferenceDockerd.start('boxlab-healthcheck');
    try {
      const [ours, theirs] = [await scenario(boxlab, 'hc-cmp'), await scenario({ docker: (args, env) => dockerd.docker(args, env) }, 'hc-cmp')];
      assert.deepEqual(ours, theirs);
      // and what the scenario saw is what the brief asks for, not only the same on both
      assert.deepEqual(ours.imageHealthcheck, { Test: ['CMD-SHELL', 'test -e /tmp/ok'], Interval: 1e9, Retries: 2 });
      assert.deepEqual(ours.statuses, ['Up X (health: starting)', 'Up X (unhealthy)', 'Up X (healthy)']);
      assert.deepEqual(ours.overrideNote, ['Note: overriding previous HEALTHCHECK: [CMD-SHELL test -e /tmp/ok]']);
      assert.deepEqual(ours.disabledImage, { Test: ['NONE'], Interval: 1e9, Retries: 2 });
    } finally {
      await dockerd.stop();
    }
  });
});

/**
 * one run of everything the two engines should show alike, with times and ids taken out: an image built
 * with HEALTHCHECK (classic builder), a container of it going unhealthy then healthy, merges of --health-*
 * with the image's, and dockerd's refusals
 */
async function scenario(e: Engine, name: string): Promise<Record<string, unknown>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-hc-'));
  let overrideNote: string[] = [];
  let disabledImage: unknown;
  try {
    await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox\nHEALTHCHECK --interval=1s --retries=2 CMD test -e /tmp/ok\n');
    await ok(e, ['build', '-q', '-t', `${name}-img`, dir], { DOCKER_BUILDKIT: '0' });
    await fs.writeFile(path.join(dir, 'Dockerfile'), `FROM ${name}-img\nHEALTHCHECK NONE\n`);
    const out = await ok(e, ['build', '-t', `${name}-off`, dir], { DOCKER_BUILDKIT: '0' });
    overrideNote = out.split('\n').filter((l) => l.startsWith('Note:'));
    disabledImage = JSON.parse(await ok(e, ['image', 'inspect', '-f', '{{json .Config.Healthcheck}}', `${name}-off`]));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  const imageHealthcheck = JSON.parse(await ok(e, ['image', 'inspect', '-f', '{{json .Config.Healthcheck}}', `${name}-img`]));
  const history = (await ok(e, ['history', '--no-trunc', '--format', '{{.CreatedBy}}', `${name}-img`])).split('\n')[0];

  const since = String(Math.floor(Date.now() / 1000) - 1);
  const statuses: string[] = [];
  const status = async () => statuses.push((await psStatus(e, name)).replace(/^Up .+? \(/, 'Up X ('));
  await ok(e, ['run', '-d', '--name', name, `${name}-img`, 'sleep', '600']);
  await status();
  const starting = await health(e, name);
  const unhealthy = await waitHealth(e, name, 'unhealthy', (h) => h.Status === 'unhealthy');
  await status();
  await ok(e, ['exec', name, 'touch', '/tmp/ok']);
  const healthy = await waitHealth(e, name, 'healthy', (h) => h.Status === 'healthy');
  await status();
  const until = String(Math.ceil(Date.now() / 1000) + 1);
  const healthEvents = (await ok(e, ['events', '--since', since, '--until', until, '--filter', `container=${name}`, '--filter', 'event=health_status', '--format', '{{.Action}} {{.Actor.Attributes.name}}'])).trim().split('\n');
  const firstProbeEvents = (await ok(e, ['events', '--since', since, '--until', until, '--filter', `container=${name}`, '--filter', 'type=container', '--format', '{{.Action}} {{.Actor.Attributes.exitCode}}'])).trim().split('\n').slice(2, 5);

  await ok(e, ['run', '-d', '--name', `${name}-iv`, '--health-interval', '2s', `${name}-img`, 'sleep', '600']);
  await ok(e, ['run', '-d', '--name', `${name}-none`, '--no-healthcheck', `${name}-img`, 'sleep', '600']);
  const merged = JSON.parse(await ok(e, ['inspect', '-f', '{{json .Config.Healthcheck}}', `${name}-iv`]));
  const disabled = JSON.parse(await ok(e, ['inspect', '-f', '{{json .Config.Healthcheck}}', `${name}-none`]));
  const disabledHealth = await health(e, `${name}-none`);
  const noneStatus = (await psStatus(e, `${name}-none`)).replace(/^Up .+$/, 'Up X');
  const tooShort = (await e.docker(['create', '--health-interval', '500us', 'busybox', 'true'])).stderr.trim();
  const badFilter = (await e.docker(['ps', '--filter', 'health=bogus'])).stderr.trim();
  await e.docker(['rm', '-f', name, `${name}-iv`, `${name}-none`]);

  return {
    imageHealthcheck,
    history,
    overrideNote,
    disabledImage,
    statuses,
    starting,
    unhealthy: { Status: unhealthy.Status, FailingStreak: unhealthy.FailingStreak, log: unhealthy.Log.map((r) => [Object.keys(r).sort().join(','), r.ExitCode, r.Output]) },
    healthy: { Status: healthy.Status, FailingStreak: healthy.FailingStreak, last: [healthy.Log.at(-1)!.ExitCode, healthy.Log.at(-1)!.Output] },
    healthEvents,
    firstProbeEvents,
    merged,
    disabled,
    disabledHealth,
    noneStatus,
    tooShort,
    badFilter,
  };
}
