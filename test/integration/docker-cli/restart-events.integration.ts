// The real docker CLI against boxlabd and against Debian's dockerd 20.10: `docker events` while a
// container with `--restart on-failure:2` exits 1 three times. dockerd prints a start for every run, the
// restarts included, each followed by its die; boxlabd's events come from the engine's typed lifecycle
// notifications (containers/container-events.ts), so a restart by policy shows its start too. Also
// docker kill, restart and stop: a kill event for each signal, before the die, and stop after it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EngineHarness, NEW_DOCKER } from '../../helpers/engine-harness.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { requires } from '../../helpers/requires.js';

interface Engine {
  env: Record<string, string>;
  dockerOk(args: string[]): Promise<string>;
}

/**
 * What `docker events` prints for the containers of one scenario (name suffixes), from before the
 * scenario until `done` says enough. The events client is up before the scenario: its first line is an
 * event of a probe container, so nothing of the real ones can come before the client listens.
 */
async function eventsDuring(engine: Engine, scenario: (name: string) => Promise<void>, done: (actions: string[]) => boolean): Promise<string[]> {
  const name = `rev-${randomBytes(3).toString('hex')}`;
  const events = spawn(NEW_DOCKER, ['events', '--format', '{{.Action}} {{.Actor.Attributes.name}}'], { env: { ...process.env, ...engine.env } });
  let seen = '';
  const mine = () => seen.split('\n').filter((l) => l.includes(` ${name}`) && !/-probe\d+$/.test(l)).map((l) => l.replace(name, '').replace(/ $/, ''));
  const waitFor = async (ok: () => boolean, what: string, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`no ${what} in docker events: ${JSON.stringify(seen)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    events.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    // the events client may subscribe after a first probe was made (a busy host starts it slowly):
    // probes until one is seen, so the client surely listens before the scenario
    for (let i = 0; ; i++) {
      const probe = `${name}-probe${i}`;
      await engine.dockerOk(['create', '--name', probe, 'busybox', 'true']);
      const heard = await waitFor(() => seen.includes(`create ${probe}`), 'probe create', 3_000).then(() => true, (e: unknown) => (i >= 20 ? Promise.reject(e) : false));
      await engine.dockerOk(['rm', probe]);
      if (heard) break;
    }
    await scenario(name);
    await waitFor(() => done(mine()), 'end of the scenario');
    return mine();
  } finally {
    events.kill();
  }
}

/** a container with --restart on-failure:2 whose process exits 1: three runs */
async function restartEvents(engine: Engine): Promise<string[]> {
  const lines = await eventsDuring(
    engine,
    async (name) => void (await engine.dockerOk(['run', '-d', '--name', name, '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'exit 1'])),
    (actions) => actions.filter((a) => a === 'die').length >= 3,
  );
  return lines.filter((l) => /^(create|start|die|restart)$/.test(l));
}

/** docker kill of one container; docker restart then docker stop of another (sleep as pid 1 ignores SIGTERM) */
async function killRestartStopEvents(engine: Engine): Promise<string[]> {
  return eventsDuring(
    engine,
    async (name) => {
      await engine.dockerOk(['run', '-d', '--name', `${name}-k`, 'busybox', 'sleep', '100']);
      await engine.dockerOk(['kill', `${name}-k`]);
      await engine.dockerOk(['run', '-d', '--name', `${name}-r`, 'busybox', 'sleep', '100']);
      await engine.dockerOk(['restart', '-t', '1', `${name}-r`]);
      await engine.dockerOk(['stop', '-t', '1', `${name}-r`]);
    },
    (actions) => actions.filter((a) => a === 'stop -r').length >= 2,
  );
}

const KILL_RESTART_STOP = [
  ...['create', 'start', 'kill', 'die'].map((a) => `${a} -k`),
  ...['create', 'start', 'kill', 'kill', 'die', 'stop', 'start', 'restart', 'kill', 'kill', 'die', 'stop'].map((a) => `${a} -r`),
];

const EXPECTED = ['create', 'start', 'die', 'start', 'die', 'start', 'die'];

describe('docker CLI: events of a restart by restart policy, as dockerd prints them', function () {
  this.timeout(120_000);

  it('boxlabd: a start for every run, each followed by its die; a kill for each signal', async function () {
    requires(this, 'root', 'runc', 'docker-cli', 'busybox', 'overlayfs');
    const engine = await EngineHarness.start();
    try {
      await engine.loadBusybox();
      assert.deepEqual(await restartEvents(engine), EXPECTED);
      assert.deepEqual(await killRestartStopEvents(engine), KILL_RESTART_STOP);
      await engine.removeAllContainers();
    } finally {
      await engine.stop();
    }
  });

  it("Debian's dockerd 20.10 prints the same actions in the same order", async function () {
    requires(this, 'root', 'docker-cli', 'dockerd');
    const dockerd = await ReferenceDockerd.start('boxlab-restart-events');
    try {
      assert.deepEqual(await restartEvents(dockerd), EXPECTED);
      assert.deepEqual(await killRestartStopEvents(dockerd), KILL_RESTART_STOP);
    } finally {
      await dockerd.stop();
    }
  });
});
