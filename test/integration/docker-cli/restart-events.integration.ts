// The real docker CLI against boxlabd and against Debian's dockerd 20.10: `docker events` while a
// container with `--restart on-failure:2` exits 1 three times. dockerd prints a start for every run, the
// restarts included, each followed by its die; boxlabd's events come from the engine's typed lifecycle
// notifications (containers/container-events.ts), so a restart by policy shows its start too.
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
 * The lifecycle actions `docker events` prints for one container, from before its create until its
 * third die (or the deadline). The events client is up before the run: its first line is an event of
 * a probe container, so nothing of the real one can come before the client listens.
 */
async function restartEvents(engine: Engine): Promise<string[]> {
  const name = `rev-${randomBytes(3).toString('hex')}`;
  const events = spawn(NEW_DOCKER, ['events', '--format', '{{.Action}} {{.Actor.Attributes.name}}'], { env: { ...process.env, ...engine.env } });
  let seen = '';
  const lines = () => seen.split('\n').filter((l) => l.endsWith(` ${name}`)).map((l) => l.slice(0, -name.length - 1));
  const waitFor = async (done: () => boolean, what: string) => {
    const deadline = Date.now() + 30_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`no ${what} in docker events: ${JSON.stringify(seen)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    events.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    const probe = `${name}-probe`;
    const listening = waitFor(() => seen.includes(`create ${probe}`), 'probe create');
    await engine.dockerOk(['create', '--name', probe, 'busybox', 'true']);
    await listening;
    await engine.dockerOk(['rm', probe]);
    await engine.dockerOk(['run', '-d', '--name', name, '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'exit 1']);
    await waitFor(() => lines().filter((l) => l === 'die').length >= 3, 'third die');
    assert.equal((await engine.dockerOk(['wait', name])).trim(), '1');
    return lines().filter((l) => /^(create|start|die|restart)$/.test(l));
  } finally {
    events.kill();
  }
}

const EXPECTED = ['create', 'start', 'die', 'start', 'die', 'start', 'die'];

describe('docker CLI: events of a restart by restart policy, as dockerd prints them', function () {
  this.timeout(120_000);

  it('boxlabd: a start for every run, each followed by its die', async function () {
    requires(this, 'root', 'runc', 'docker-cli', 'busybox', 'overlayfs');
    const engine = await EngineHarness.start();
    try {
      await engine.loadBusybox();
      assert.deepEqual(await restartEvents(engine), EXPECTED);
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
    } finally {
      await dockerd.stop();
    }
  });
});
