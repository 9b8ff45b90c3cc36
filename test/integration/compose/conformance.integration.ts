// The compose-spec conformance cases (test/fixtures/compose-conformance, upstream's compose files run
// unmodified) with docker-compose 1.29 as upstream's commands/docker-compose.yml runs it:
// `docker-compose --compatibility -f compose.yaml up -d`, the check, `down`, then `docker ps -aq` must
// print nothing. Each case runs on boxlabd, then on Debian's dockerd 20.10, and both must give upstream's
// expected answers (SOURCE.txt of the reference copy lists them).
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import path from 'node:path';
import { useEngine } from '../../helpers/engine-suite.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { requires } from '../../helpers/requires.js';
import { compose, CONFORMANCE, leftovers, onBoxlabd, onDockerd, prepareImages, serverAnswer, type ComposeEngine } from './compose-engines.js';

const sendUdp = (port: number, text: string) =>
  new Promise<void>((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.send(text, port, '127.0.0.1', (err) => {
      socket.close();
      if (err) reject(err);
      else resolve();
    });
  });

/** upstream's checks (compliance_test.go), one per case; engine: which engine runs it */
const CASES: Record<string, ((engine: ComposeEngine['name']) => Promise<void>) | null> = {
  simple_lifecycle: null,
  simple_network: async () => {
    assert.equal(await serverAnswer('/ping?address=target:8080/ping', (a) => a === 'PONG FROM TARGET'), 'PONG FROM TARGET');
    assert.equal(await serverAnswer('/ping?address=notatarget:8080/ping'), 'Could not reach address: notatarget:8080/ping');
  },
  different_networks: async (engine) => {
    await serverAnswer('/ping');
    // the test dockerd runs with --iptables=false: its bridges are not isolated from each other, so only
    // boxlabd (which installs dockerd's DOCKER-ISOLATION rules) can be held to this answer here
    if (engine === 'boxlabd') assert.equal(await serverAnswer('/ping?address=target:8080/ping'), 'Could not reach address: target:8080/ping');
  },
  simple_volume: async () => assert.equal(await serverAnswer('/volumefile?filename=test_volume.txt'), 'MYVOLUME'),
  simple_secretfile: async () => assert.equal(await serverAnswer('/volumefile?filename=test_secret.txt'), 'MYSECRET'),
  // docker-compose 1.29 implements file `configs` only for swarm: it sends no mount at all, on either
  // engine (checked: empty Mounts on dockerd 20.10 too), so the file is missing; Compose v2 bind-mounts it
  simple_configfile: async () => assert.match(await serverAnswer('/volumefile?filename=test_config.txt'), /No such file or directory: '\/volumes\/test_config.txt'/),
  udp_port: async () => {
    await serverAnswer('/ping');
    // a datagram can be lost before the server's socket is up: send until it is seen
    assert.equal(await serverAnswer('/udp', (a) => a === 'myUdpvalue' || (void sendUdp(10001, '{"request":"myUdpvalue"}'), false)), 'myUdpvalue');
  },
  scaling: async () => assert.equal(await serverAnswer('/scalechecker', (a) => a === '3'), '3'),
};

describe('compose conformance cases with docker-compose 1.29, on boxlabd and on dockerd 20.10', function () {
  this.timeout(300_000);
  const engine = useEngine({ needs: ['dockerd'] });
  let dockerd: ReferenceDockerd | undefined;

  before(async function () {
    requires(this, 'dockerd');
    this.timeout(15 * 60_000);
    dockerd = await ReferenceDockerd.start('compose-conformance');
    await prepareImages(engine, dockerd);
  });
  after(async () => dockerd?.stop());

  for (const [name, check] of Object.entries(CASES)) {
    it(`${name}: up, ${check ? "upstream's check, " : ''}down leaves no container (boxlabd, then dockerd)`, async () => {
      for (const e of [onBoxlabd(engine), onDockerd(dockerd!)] as ComposeEngine[]) {
        const dir = path.join(CONFORMANCE, 'tests', name);
        await compose(e, dir, ['--compatibility', '-f', 'compose.yaml', 'up', '-d']);
        try {
          await check?.(e.name);
        } catch (err) {
          throw new Error(`${name} on ${e.name}: ${(err as Error).message}\n${(await compose(e, dir, ['logs'], { allowFailure: true })).stdout}`);
        } finally {
          await compose(e, dir, ['--compatibility', '-f', 'compose.yaml', 'down']);
        }
        assert.deepEqual(await leftovers(e, name), [], `${name} on ${e.name}: down leaves nothing`);
      }
    });
  }
});
