// The counter app (samples/compose-counter: python web + redis, web waits for redis' healthcheck) with
// docker-compose 1.29 and `docker compose` (the sandbox's plugin, ADR 0015) against boxlabd: up --build,
// scale, logs (and -f), top, exec, down with and without --volumes; a failing healthcheck that keeps the
// dependent service from starting, tmpfs volumes from driver_opts, a key boxlab does not support. Where
// behaviour could differ the same project also runs on Debian's dockerd 20.10 and the results are compared.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { useEngine } from '../../helpers/engine-suite.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { requires } from '../../helpers/requires.js';
import { waitFor } from '../../helpers/wait-for.js';
import { compose, COUNTER_APP, dockerOk, httpGet, leftovers, onBoxlabd, onDockerd, prepareImages, type ComposeEngine } from './compose-engines.js';

const PROJECT = 't16counter';
const PORTS = { boxlabd: 15651, dockerd: 15661 };
const envFor = (e: ComposeEngine) => ({ COUNTER_PORTS: `${PORTS[e.name]}-${PORTS[e.name] + 2}`, COMPOSE_PROJECT_NAME: PROJECT });
const names = async (e: ComposeEngine, filter: string) => (await dockerOk(e, ['ps', '--filter', filter, '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort();
const visit = (port: number) => waitFor(`the counter page on :${port}`, async () => {
  const body = await httpGet(port, '/');
  return body && /I have been seen (\d+) times/.exec(body) ? body : undefined;
}, { timeoutMs: 90_000, intervalMs: 200 }); // a first python start on a loaded 2-core host can be slow
const count = (body: string) => Number(/seen (\d+) times/.exec(body)![1]);

/** web_1's host port: one of the range's, the engine says which (dockerd need not take the first, nor the same after down/up) */
async function webPort(e: ComposeEngine): Promise<number> {
  const port = Number((await dockerOk(e, ['port', `${PROJECT}_web_1`, '5000'])).split('\n')[0]!.split(':').pop());
  assert.ok(port >= PORTS[e.name] && port <= PORTS[e.name] + 2, `${e.name}: port ${port}`);
  return port;
}

async function writeProject(dir: string, yaml: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'compose.yaml'), yaml);
  return dir;
}

describe('compose: the counter app with docker-compose 1.29 and docker compose', function () {
  this.timeout(300_000);
  const engine = useEngine({ needs: ['dockerd'] });
  const boxlab = onBoxlabd(engine);
  let dockerd: ReferenceDockerd | undefined;
  const engines = () => [boxlab, onDockerd(dockerd!)];

  before(async function () {
    requires(this, 'dockerd');
    this.timeout(15 * 60_000);
    dockerd = await ReferenceDockerd.start('compose-counter');
    await prepareImages(engine, dockerd);
  });
  after(async () => dockerd?.stop());

  it('up --build: web waits for redis to be healthy, counts visits in redis; the events carry the project label (both engines)', async () => {
    for (const e of engines()) {
      const since = String(Math.floor(Date.now() / 1000) - 1);
      await compose(e, COUNTER_APP, ['up', '-d', '--build'], { env: envFor(e) });
      const port = await webPort(e);
      const first = await visit(port);
      assert.equal(count(first), 1, `${e.name}: ${first}`);
      assert.equal(count((await httpGet(port, '/'))!), 2);
      assert.equal(await dockerOk(e, ['inspect', '-f', '{{.State.Health.Status}}', `${PROJECT}_redis_1`]), 'healthy');
      // --filter label= on events: only this project's containers, web started after redis was healthy
      const events = (await dockerOk(e, ['events', '--since', since, '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', `label=com.docker.compose.project=${PROJECT}`, '--filter', 'type=container', '--format', '{{.Action}} {{.Actor.Attributes.name}} {{index .Actor.Attributes "com.docker.compose.service"}}'])).split('\n').filter(Boolean);
      const healthy = events.indexOf(`health_status: healthy ${PROJECT}_redis_1 redis`);
      const webStart = events.indexOf(`start ${PROJECT}_web_1 web`);
      assert.ok(healthy >= 0 && webStart > healthy, `${e.name}: web starts after redis is healthy:\n${events.join('\n')}`);
      assert.ok(events.every((line) => line.includes(PROJECT)), `${e.name}: the label filter keeps only the project's events`);
      // network aliases: the service name on each network, as dockerd shows them
      const aliases = JSON.parse(await dockerOk(e, ['inspect', '-f', '{{json .NetworkSettings.Networks}}', `${PROJECT}_web_1`])) as Record<string, { Aliases: string[] }>;
      assert.deepEqual(Object.keys(aliases).sort(), [`${PROJECT}_back`, `${PROJECT}_front`]);
      for (const n of Object.values(aliases)) assert.equal(n.Aliases.filter((a) => a === 'web').length, 1, `${e.name}: ${JSON.stringify(n.Aliases)}`);
      for (const n of Object.values(aliases)) assert.equal(new Set(n.Aliases).size, n.Aliases.length, `${e.name}: no alias twice: ${JSON.stringify(n.Aliases)}`);
    }
  });

  it('--scale web=3: three replicas, each on its own host port of the range, all counting in the one redis', async () => {
    for (const e of engines()) {
      await compose(e, COUNTER_APP, ['up', '-d', '--scale', 'web=3'], { env: envFor(e) });
      assert.deepEqual(await names(e, `label=com.docker.compose.project=${PROJECT}`), [`${PROJECT}_redis_1`, `${PROJECT}_web_1`, `${PROJECT}_web_2`, `${PROJECT}_web_3`]);
      const counts = [];
      for (let i = 0; i < 3; i++) counts.push(count(await visit(PORTS[e.name] + i)));
      assert.equal(new Set(counts).size, 3, `${e.name}: one counter shared by the replicas: ${counts}`);
    }
  });

  it('logs, logs -f, top and exec', async () => {
    const logs = (await compose(boxlab, COUNTER_APP, ['logs', '--no-color', 'web'], { env: envFor(boxlab) })).stdout;
    for (const n of [1, 2, 3]) assert.match(logs, new RegExp(`web_${n} +\\| counter listening on :5000`));
    assert.match(logs, /"GET \/ HTTP\/1.1" 200/);
    // logs -f: a request made after it started shows up while it still runs
    const follow = spawn('docker-compose', ['logs', '-f', '--no-color', '--tail', '0', 'web'], { cwd: COUNTER_APP, env: { ...process.env, ...boxlab.env, ...envFor(boxlab) } });
    let seen = '';
    follow.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    try {
      await waitFor('logs -f shows a new request', async () => {
        await httpGet(PORTS.boxlabd, '/health');
        return seen.includes('GET /health');
      }, { timeoutMs: 20_000, intervalMs: 300 });
    } finally {
      follow.kill('SIGTERM');
    }
    const top = (await compose(boxlab, COUNTER_APP, ['top'], { env: envFor(boxlab) })).stdout;
    assert.match(top, new RegExp(`${PROJECT}_web_2\\n[\\s\\S]*python3 app.py`));
    assert.match(top, /redis-server/);
    const hits = (await compose(boxlab, COUNTER_APP, ['exec', '-T', 'redis', 'redis-cli', 'get', 'hits'], { env: envFor(boxlab) })).stdout.trim();
    assert.ok(Number(hits) >= 5, `redis has the count: ${hits}`);
  });

  it('docker compose (the plugin) and docker-compose drive the same project', async () => {
    const viaPlugin = (await compose(boxlab, COUNTER_APP, ['ps', '--services'], { via: 'plugin', env: envFor(boxlab) })).stdout;
    const direct = (await compose(boxlab, COUNTER_APP, ['ps', '--services'], { env: envFor(boxlab) })).stdout;
    assert.equal(viaPlugin, direct);
    assert.deepEqual(viaPlugin.split('\n').filter(Boolean).sort(), ['redis', 'web']);
    await compose(boxlab, COUNTER_APP, ['stop', 'web'], { via: 'plugin', env: envFor(boxlab) });
    assert.deepEqual(await names(boxlab, `label=com.docker.compose.service=web`), []);
    await compose(boxlab, COUNTER_APP, ['up', '-d', '--scale', 'web=1'], { env: envFor(boxlab) });
    assert.deepEqual(await names(boxlab, `label=com.docker.compose.service=web`), [`${PROJECT}_web_1`]);
    const ls = await compose(boxlab, COUNTER_APP, ['ls'], { via: 'plugin', allowFailure: true });
    assert.equal(ls.exitCode, 1);
    assert.match(ls.stderr, /Compose v2 command; this sandbox runs docker-compose 1\.29/);
  });

  it('down keeps the named volume (the count goes on after up), down --volumes leaves nothing (both engines)', async () => {
    for (const e of engines()) {
      const before = count(await visit(await webPort(e)));
      await compose(e, COUNTER_APP, ['down'], { env: envFor(e) });
      assert.deepEqual(await leftovers(e, PROJECT, 'project'), [`volume ${PROJECT}_counter-data`], `${e.name}: only the volume stays`);
      await compose(e, COUNTER_APP, ['up', '-d'], { env: envFor(e) });
      assert.equal(count(await visit(await webPort(e))), before + 1, `${e.name}: redis' appendonly file on the volume kept the count`);
      await compose(e, COUNTER_APP, ['down', '--volumes', '--rmi', 'local'], { env: envFor(e) });
      assert.deepEqual(await leftovers(e, PROJECT, 'project'), [], `${e.name}: down --volumes leaves nothing`);
    }
  });

  it('a failing healthcheck makes the container unhealthy and the dependent service is never started (same words on both engines)', async () => {
    const dir = await writeProject(path.join(engine.dir, 't16sick'), [
      'version: "3.8"',
      'services:',
      '  db:',
      '    image: busybox',
      '    command: sleep 600',
      '    healthcheck: {test: ["CMD", "false"], interval: 1s, timeout: 2s, retries: 2}',
      '  app:',
      '    image: busybox',
      '    command: sleep 600',
      '    depends_on:',
      '      db: {condition: service_healthy}',
      '',
    ].join('\n'));
    const messages: string[] = [];
    for (const e of engines()) {
      const up = await compose(e, dir, ['up', '-d'], { allowFailure: true });
      assert.equal(up.exitCode, 1, `${e.name}: ${up.stderr}`);
      assert.equal(await dockerOk(e, ['inspect', '-f', '{{.State.Health.Status}} {{.State.Health.FailingStreak}}', 't16sick_db_1']).then((s) => s.split(' ')[0]), 'unhealthy');
      assert.deepEqual(await names(e, 'name=t16sick_app'), [], `${e.name}: app never started`);
      messages.push(up.stderr.replace(/\s+$/, '').split('\n').filter((l) => /unhealthy/.test(l)).join('\n'));
      await compose(e, dir, ['down']);
      assert.deepEqual(await leftovers(e, 't16sick', 'project'), []);
    }
    assert.match(messages[0]!, /Container "[0-9a-f]{12}" is unhealthy/);
    assert.equal(messages[0]!.replace(/[0-9a-f]{12}/g, 'ID'), messages[1]!.replace(/[0-9a-f]{12}/g, 'ID'));
  });

  it("driver_opts make a tmpfs volume; a key boxlab would ignore (cgroup_parent) fails naming the key", async () => {
    const dir = await writeProject(path.join(engine.dir, 't16opts'), [
      'services:',
      '  a:',
      '    image: busybox',
      '    command: sleep 600',
      '    volumes: [scratch:/scratch]',
      'volumes:',
      '  scratch:',
      '    driver_opts: {type: tmpfs, device: tmpfs, o: "size=5m"}',
      '',
    ].join('\n'));
    for (const e of engines()) {
      await compose(e, dir, ['up', '-d']);
      try {
        const mount = await dockerOk(e, ['exec', 't16opts_a_1', 'sh', '-c', 'grep " /scratch " /proc/mounts']);
        assert.match(mount, /^tmpfs \/scratch tmpfs rw,.*size=5120k/, `${e.name}: ${mount}`);
        assert.equal(await dockerOk(e, ['volume', 'inspect', '-f', '{{json .Options}}', 't16opts_scratch']), '{"device":"tmpfs","o":"size=5m","type":"tmpfs"}');
      } finally {
        await compose(e, dir, ['down', '--volumes']);
      }
      assert.deepEqual(await leftovers(e, 't16opts', 'project'), []);
    }
    const bad = await writeProject(path.join(engine.dir, 't16bad'), 'services:\n  a:\n    image: busybox\n    cgroup_parent: mine\n');
    const up = await compose(boxlab, bad, ['up', '-d'], { allowFailure: true });
    assert.equal(up.exitCode, 1);
    assert.match(up.stderr, /Cannot create container for service a: HostConfig\.CgroupParent \(--cgroup-parent, compose key cgroup_parent\) is not supported by boxlab/);
    await compose(boxlab, bad, ['down']);
    assert.deepEqual(await leftovers(boxlab, 't16bad', 'project'), []);
  });
});
