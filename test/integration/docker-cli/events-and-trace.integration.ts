// The real docker CLI against boxlabd: `docker events`, streaming stats, `docker logs -f` ending with the
// container, and boxlab's own trace endpoints (`boxlab explain`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { run } from '../../../src/core/exec.js';
import { NEW_DOCKER } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { waitFor } from '../../helpers/wait-for.js';

/**
 * reads the first `lines` lines of a streaming GET on the engine's socket, then hangs up; `answered`
 * resolves when the engine sent its headers (it subscribes before it answers: what happens after is seen)
 */
function streamLines(socketPath: string, path: string, lines: number | ((got: string[]) => boolean), timeoutMs = 10_000): { answered: Promise<void>; lines: Promise<string[]> } {
  const enough = typeof lines === 'number' ? (got: string[]) => got.length >= lines : lines;
  let answered!: () => void;
  const answer = new Promise<void>((resolve) => (answered = resolve));
  const got = new Promise<string[]>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`only got ${JSON.stringify(text)} from ${path}`));
    }, timeoutMs);
    const req = http.get({ socketPath, path }, (res) => {
      answered();
      res.on('data', (d: Buffer) => {
        text += d.toString();
        const got = text.split('\n').filter(Boolean);
        if (enough(got)) {
          clearTimeout(timer);
          req.destroy();
          resolve(typeof lines === 'number' ? got.slice(0, lines) : got);
        }
      });
    });
    req.on('error', () => undefined);
  });
  return { answered: answer, lines: got };
}

const firstLines = (socketPath: string, path: string, lines: number | ((got: string[]) => boolean)) => streamLines(socketPath, path, lines).lines;

describe('docker CLI: events, stats stream, trace', function () {
  this.timeout(60_000);
  const engine = useEngine({ removeAfterEach: 'containers' });

  it('docker events shows create, start, die and destroy of a container', async () => {
    const events = spawn(NEW_DOCKER, ['events', '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}'], { env: { ...process.env, ...engine.env } });
    let seen = '';
    events.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    try {
      // docker events prints nothing until an event comes: a container created for the purpose shows
      // that it listens (create it again until its event comes, in case the first came too early)
      await waitFor('docker events to listen', async () => {
        if (/container create ev-probe/.test(seen)) return true;
        await engine.docker(['rm', '-f', 'ev-probe']);
        await engine.dockerOk(['create', '--name', 'ev-probe', 'busybox', 'true']);
        return /container create ev-probe/.test(seen);
      }, { intervalMs: 200 });
      await engine.dockerOk(['run', '--rm', '--name', 'ev-one', 'busybox', 'true']);
      const deadline = Date.now() + 5000;
      while (!/destroy ev-one/.test(seen) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const lines = seen.split('\n').filter((l) => l.endsWith(' ev-one'));
      assert.deepEqual(
        lines.filter((l) => /^container (create|start|die|destroy) /.test(l)),
        ['container create ev-one', 'container start ev-one', 'container die ev-one', 'container destroy ev-one'],
      );
    } finally {
      events.kill();
    }
  });

  it('stats streams one sample per second until the client hangs up', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'ev-stats', 'busybox', 'sleep', '1000']);
    const started = Date.now();
    const samples = (await firstLines(engine.socketPath, '/v1.41/containers/ev-stats/stats', 3)).map((l) => JSON.parse(l));
    assert.ok(Date.now() - started >= 1800, 'samples came faster than one per second');
    assert.ok(samples.every((s) => s.id.length === 64 && s.memory_stats.usage > 0));
    assert.notEqual(samples[1].preread, '0001-01-01T00:00:00Z');
  });

  it('docker logs -f ends when the container exits', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'ev-logs', 'busybox', 'sh', '-c', 'echo a; sleep 0.5; echo b']);
    const res = await engine.docker(['logs', '-f', 'ev-logs'], { timeout: 10_000 });
    assert.equal(res.exitCode, 0);
    assert.equal(res.stdout, 'a\nb');
  });

  it('GET /boxlab/trace/<name> returns what the engine did, in order, in zh and en', async () => {
    await engine.dockerOk(['run', '--name', 'ev-trace', 'busybox', 'true']);
    const res = await run('curl', ['-s', '--unix-socket', engine.socketPath, 'http://d/v1.41/boxlab/trace/ev-trace']);
    const events = JSON.parse(res.stdout) as Array<{ step: string; text: { en: string; zh: string } }>;
    const steps = events.map((e) => e.step);
    for (const step of ['snapshot.prepare', 'mount.overlay', 'spec.write', 'runc.run', 'process.exit']) assert.ok(steps.includes(step), `${step} missing in ${steps.join(', ')}`);
    assert.ok(steps.indexOf('spec.write') < steps.indexOf('runc.run'));
    assert.ok(events.every((e) => e.text.en.length > 0 && e.text.zh.length > 0));
    const explain = await run(process.execPath, ['bin/run.js', 'explain', 'ev-trace', '--socket', engine.socketPath], { allowFailure: true });
    assert.equal(explain.exitCode, 0, explain.stderr);
    assert.match(explain.stdout, /runc/);
  });

  it('after docker run --rm (and docker rm) boxlab explain still tells the story, marked removed', async () => {
    await engine.dockerOk(['run', '--rm', '--name', 'ev-gone', 'busybox', 'echo', 'hi']);
    const explain = await run(process.execPath, ['bin/run.js', 'explain', 'ev-gone', '--socket', engine.socketPath], { allowFailure: true });
    assert.equal(explain.exitCode, 0, explain.stderr);
    assert.match(explain.stdout, /^ev-gone was removed at \d\d:\d\d:\d\d: boxlabd keeps the story of the last 20 removed containers for 60 minutes\.$/m);
    assert.match(explain.stdout, /\[runc\.run\][\s\S]*\[process\.exit\][\s\S]*\[cleanup\] cleaned up: container ev-gone removed/);
    // by id prefix too, and a docker rm of a stopped container keeps its story the same way
    const id = await engine.dockerOk(['run', '--name', 'ev-rm', 'busybox', 'true']).then(() => engine.dockerOk(['inspect', '-f', '{{.Id}}', 'ev-rm']));
    await engine.dockerOk(['rm', 'ev-rm']);
    const byId = await run(process.execPath, ['bin/run.js', 'explain', id.trim().slice(0, 12), '--socket', engine.socketPath, '--lang', 'zh', '--brief'], { allowFailure: true });
    assert.equal(byId.exitCode, 0, byId.stderr);
    assert.match(byId.stdout, /已在 \S+ 被删除/);
    // a new container of the same name is the one explained
    await engine.dockerOk(['create', '--name', 'ev-rm', 'busybox', 'true']);
    assert.doesNotMatch((await run(process.execPath, ['bin/run.js', 'explain', 'ev-rm', '--socket', engine.socketPath])).stdout, /was removed/);
    assert.equal((await run(process.execPath, ['bin/run.js', 'explain', 'ev-never', '--socket', engine.socketPath], { allowFailure: true })).exitCode !== 0, true);
  });

  it('GET /boxlab/trace?follow=1 streams trace events live', async () => {
    const follow = streamLines(engine.socketPath, '/v1.41/boxlab/trace?follow=1', (got) => got.some((l) => l.includes('"process.exit"')));
    await follow.answered;
    const id = await engine.dockerOk(['run', '-d', 'busybox', 'true']);
    const events = (await follow.lines).map((l) => JSON.parse(l));
    const mine = events.filter((e) => e.objectId === id).map((e) => e.step);
    assert.ok(mine.indexOf('runc.run') >= 0 && mine.indexOf('runc.run') < mine.indexOf('process.exit'), mine.join(', '));
  });
});
