// `docker container/volume/network prune --filter ...` with the real docker CLI: until and label filters
// keep what they should (until=24h removed every stopped container; volume and network prune ignored
// their filters), and a filter dockerd refuses is refused with its message (recorded from dockerd 20.10
// in test/fixtures/outputs/dockerd-api/prune.json).
import assert from 'node:assert/strict';
import { useEngine } from '../../helpers/engine-suite.js';

describe('docker CLI: prune filters', function () {
  this.timeout(120_000);
  const engine = useEngine({ removeAfterEach: 'containers' });
  const names = async (args: string[]) => (await engine.dockerOk(args)).trim().split('\n').filter(Boolean).sort();

  it('container prune: until=24h keeps containers made just now, until=<a minute ahead> removes them, labels choose', async () => {
    await engine.dockerOk(['create', '--name', 'plain', 'busybox', 'true']);
    await engine.dockerOk(['create', '--name', 'tagged', '--label', 'keep=no', 'busybox', 'true']);
    await engine.dockerOk(['container', 'prune', '-f', '--filter', 'until=24h']);
    assert.deepEqual(await names(['ps', '-a', '--format', '{{.Names}}']), ['plain', 'tagged']);

    await engine.dockerOk(['container', 'prune', '-f', '--filter', 'label!=keep']);
    assert.deepEqual(await names(['ps', '-a', '--format', '{{.Names}}']), ['tagged']);

    const aMinuteAhead = String(Math.floor(Date.now() / 1000) + 60);
    await engine.dockerOk(['container', 'prune', '-f', '--filter', `until=${aMinuteAhead}`, '--filter', 'label=keep=no']);
    assert.deepEqual(await names(['ps', '-a', '--format', '{{.Names}}']), []);
  });

  it('container prune refuses an until it cannot read, and a filter it does not know, with dockerd\'s words', async () => {
    await engine.dockerOk(['create', '--name', 'survivor', 'busybox', 'true']);
    const days = await engine.docker(['container', 'prune', '-f', '--filter', 'until=10d']);
    assert.notEqual(days.exitCode, 0);
    assert.match(days.stderr, /Error response from daemon: failed to parse value as time or duration: "10d"/);
    const bogus = await engine.docker(['container', 'prune', '-f', '--filter', 'bogus=1']);
    assert.match(bogus.stderr, /Error response from daemon: Invalid filter 'bogus'/);
    assert.deepEqual(await names(['ps', '-a', '--format', '{{.Names}}']), ['survivor']);
  });

  it('volume prune: label and label! choose what goes; until is refused as dockerd 20.10 does', async () => {
    await engine.dockerOk(['volume', 'create', '--label', 'tmp=1', 'scratch']);
    await engine.dockerOk(['volume', 'create', 'keepme']);
    const until = await engine.docker(['volume', 'prune', '-f', '--filter', 'until=24h']);
    assert.match(until.stderr, /Invalid filter 'until'/);
    await engine.dockerOk(['volume', 'prune', '-f', '--filter', 'label=tmp']);
    assert.deepEqual(await names(['volume', 'ls', '--format', '{{.Name}}']), ['keepme']);
    await engine.dockerOk(['volume', 'create', '--label', 'tmp=1', 'scratch2']);
    await engine.dockerOk(['volume', 'prune', '-f', '--filter', 'label!=tmp']);
    assert.deepEqual(await names(['volume', 'ls', '--format', '{{.Name}}']), ['scratch2']);
    await engine.dockerOk(['volume', 'rm', 'scratch2']);
  });

  it('network prune: until and label choose what goes', async () => {
    await engine.dockerOk(['network', 'create', '--label', 'tmp', 'prune-a']);
    await engine.dockerOk(['network', 'create', 'prune-b']);
    const userNetworks = async () => (await names(['network', 'ls', '--format', '{{.Name}}'])).filter((n) => n.startsWith('prune-'));
    await engine.dockerOk(['network', 'prune', '-f', '--filter', 'until=24h']);
    assert.deepEqual(await userNetworks(), ['prune-a', 'prune-b']);
    await engine.dockerOk(['network', 'prune', '-f', '--filter', 'label=tmp']);
    assert.deepEqual(await userNetworks(), ['prune-b']);
    const bad = await engine.docker(['network', 'prune', '-f', '--filter', 'until=soon']);
    assert.match(bad.stderr, /failed to parse value as time or duration: "soon"/);
    await engine.dockerOk(['network', 'prune', '-f']);
    assert.deepEqual(await userNetworks(), []);
  });
});
