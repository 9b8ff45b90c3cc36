// The real docker CLI against boxlabd and against Debian's dockerd 20.10 outside a swarm: the swarm
// family (service, node, secret, config, stack, swarm) and plugin commands print the same stdout and
// stderr and exit with the same code ("This node is not a swarm manager...", an empty plugin table),
// not "page not found".
import assert from 'node:assert/strict';
import { useEngine } from '../../helpers/engine-suite.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';

const COMMANDS: string[][] = [
  ['service', 'ls'],
  ['service', 'ps', 'web'],
  ['service', 'create', 'busybox'],
  ['node', 'ls'],
  ['node', 'inspect', 'self'],
  ['secret', 'ls'],
  ['config', 'ls'],
  ['stack', 'ls'],
  ['plugin', 'ls'],
  ['plugin', 'inspect', 'nosuchplugin'],
  ['plugin', 'rm', 'nosuchplugin'],
  ['plugin', 'disable', 'nosuchplugin'],
  ['swarm', 'leave'],
  ['swarm', 'unlock-key'],
  ['swarm', 'ca'],
];

describe('docker CLI: swarm and plugin commands outside a swarm, as dockerd 20.10 answers them', function () {
  this.timeout(120_000);
  const engine = useEngine({ needs: ['dockerd'], busybox: false });
  let dockerd: ReferenceDockerd;

  before(async () => {
    dockerd = await ReferenceDockerd.start('boxlab-swarm-routes');
  });
  after(async function () {
    this.timeout(60_000);
    await dockerd?.stop();
  });

  for (const args of COMMANDS) {
    it(`docker ${args.join(' ')}: same stdout, stderr and exit code`, async () => {
      const expected = await dockerd.docker(args);
      const got = await engine.docker(args);
      assert.deepEqual(
        { exitCode: got.exitCode, stdout: got.stdout, stderr: got.stderr },
        { exitCode: expected.exitCode, stdout: expected.stdout, stderr: expected.stderr },
      );
    });
  }

  it('docker swarm init says boxlabd has no swarm mode (dockerd would start one)', async () => {
    const res = await engine.docker(['swarm', 'init']);
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /boxlabd has no swarm mode/);
  });
});
