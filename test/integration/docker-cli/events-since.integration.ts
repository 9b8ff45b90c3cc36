// The real docker CLI against boxlabd: `docker events --since/--until` replays events that happened
// before the call (the engine keeps the last 256, as dockerd does), with filters, and returns at --until.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { useEngine } from '../../helpers/engine-suite.js';
import { waitFor } from '../../helpers/wait-for.js';

/** the docker CLI sends --until in whole seconds (dockerd compares to the nanosecond): an event in the
 * current second is after `--until 0s`, with dockerd as with boxlabd; so wait for the clock to pass it */
const nextSecond = async () => {
  const now = Math.floor(Date.now() / 1000);
  await waitFor('the next second', () => Math.floor(Date.now() / 1000) > now, { intervalMs: 20 });
};

describe('docker CLI: events --since/--until', function () {
  this.timeout(60_000);
  const engine = useEngine({ removeAfterEach: 'containers' });

  it("shows a container's create, start and die that happened before the call, and returns", async () => {
    const name = `evs-${randomBytes(3).toString('hex')}`;
    await engine.dockerOk(['run', '--name', name, 'busybox', 'true']);
    await nextSecond();
    const out = await engine.dockerOk(['events', '--since', '1h', '--until', '0s', '--filter', `container=${name}`, '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}']);
    const actions = out.split('\n').filter((l) => /^container (create|start|die) /.test(l));
    assert.deepEqual(actions, [`container create ${name}`, `container start ${name}`, `container die ${name}`]);
  });

  it('filters apply to the replay; a window that ends before the events shows none of them', async () => {
    const name = `evf-${randomBytes(3).toString('hex')}`;
    const startedAt = Math.floor(Date.now() / 1000) - 1;
    await engine.dockerOk(['run', '--name', name, 'busybox', 'true']);
    await nextSecond();
    const dies = await engine.dockerOk(['events', '--since', '10m', '--until', '0s', '--filter', 'event=die', '--filter', `container=${name}`, '--format', '{{.Action}} {{.Actor.Attributes.name}}']);
    assert.equal(dies.trim(), `die ${name}`);
    const earlier = await engine.dockerOk(['events', '--since', '1h', '--until', String(startedAt - 1), '--filter', `container=${name}`]);
    assert.equal(earlier, '');
  });
});
