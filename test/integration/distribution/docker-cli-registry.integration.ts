import assert from 'node:assert/strict';
import { busyboxArchive } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { TestRegistry } from './registry-fixture.js';

describe('docker CLI against boxlabd with a registry and a docker.io mirror (root)', function () {
  this.timeout(180_000);
  let mirror: TestRegistry;
  let secured: TestRegistry;
  let busyboxDigest: string;
  // busybox is not loaded: the tests pull it from the mirror
  const engine = useEngine({
    busybox: false,
    needs: ['skopeo', 'busybox'],
    prepare: async () => {
      mirror = await TestRegistry.start({ label: 'cli-mirror' });
      await mirror.copyIn(`docker-archive:${await busyboxArchive()}`, 'library/busybox:latest');
      busyboxDigest = (await mirror.inspect('library/busybox:latest')).digest;
      secured = await TestRegistry.start({ label: 'cli-auth', auth: { user: 'alice', password: 'pw-alice' } });
      // docker.io pulls go to the mirror first (as registry-mirrors in daemon.json)
      return { env: { BOXLAB_REGISTRY_MIRRORS: mirror.url } };
    },
  });
  after(async () => {
    await mirror?.stop();
    await secured?.stop();
  });

  it('docker pull busybox comes from the mirror when offline, with the digest Docker prints', async () => {
    const out = await engine.dockerOk(['pull', 'busybox']);
    assert.match(out, /^Using default tag: latest\nlatest: Pulling from library\/busybox\n/);
    assert.match(out, new RegExp(`Digest: ${busyboxDigest}\n`));
    assert.match(out, /Status: Downloaded newer image for busybox:latest\ndocker.io\/library\/busybox:latest\n?$/);
    const again = await engine.dockerOk(['pull', 'busybox']);
    assert.match(again, /Status: Image is up to date for busybox:latest/);
  });

  it('docker images --digests and docker pull by digest', async () => {
    const table = await engine.dockerOk(['images', '--digests', '--format', '{{.Repository}} {{.Tag}} {{.Digest}}']);
    assert.ok(table.split('\n').includes(`busybox latest ${busyboxDigest}`), table);
    const out = await engine.dockerOk(['pull', `busybox@${busyboxDigest}`]);
    assert.match(out, new RegExp(`Status: Image is up to date for busybox@${busyboxDigest}`));
    const inspect = JSON.parse(await engine.dockerOk(['image', 'inspect', 'busybox'])) as Array<{ RepoDigests: string[] }>;
    assert.deepEqual(inspect[0].RepoDigests, [`busybox@${busyboxDigest}`]);
  });

  it('docker rmi of a pulled image untags its name and its digest, then deletes it; a new pull brings it back', async () => {
    await engine.dockerOk(['pull', 'busybox']);
    const out = await engine.dockerOk(['rmi', 'busybox']);
    assert.match(out, new RegExp(`^Untagged: busybox:latest\nUntagged: busybox@${busyboxDigest}\nDeleted: sha256:`));
    assert.equal((await engine.docker(['image', 'inspect', 'busybox'])).exitCode, 1);
    assert.match(await engine.dockerOk(['pull', 'busybox']), /Downloaded newer image for busybox:latest/);
    const history = await engine.dockerOk(['history', '--format', '{{.CreatedBy}}', 'busybox']);
    assert.ok(history.trim().length > 0);
  });

  it('docker tag + docker push to a local registry: skopeo reads the digest the CLI printed', async () => {
    const target = `${mirror.host}/me/x:1`;
    await engine.dockerOk(['tag', 'busybox', target]);
    const out = await engine.dockerOk(['push', target]);
    assert.match(out, new RegExp(`The push refers to repository \\[${mirror.host.replace(/\./g, '\\.')}/me/x\\]`));
    const m = /1: digest: (sha256:[a-f0-9]{64}) size: \d+/.exec(out);
    assert.ok(m, out);
    assert.equal((await mirror.inspect('me/x:1')).digest, m[1]);
  });

  it('docker pull of a name no registry has: Docker\'s pull access denied', async () => {
    const res = await engine.docker(['pull', 'nosuchimage-boxlab']);
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /pull access denied for nosuchimage-boxlab, repository does not exist or may require 'docker login'/);
  });

  it('docker login (basic auth), then push and pull with the stored credentials', async () => {
    const bad = await engine.docker(['login', '-u', 'alice', '--password-stdin', secured.host], { input: 'wrong\n' });
    assert.notEqual(bad.exitCode, 0);
    assert.match(bad.stderr, /401 Unauthorized/);
    const ok = await engine.dockerOk(['login', '-u', 'alice', '--password-stdin', secured.host], { input: 'pw-alice\n' });
    assert.match(ok, /Login Succeeded/);
    const target = `${secured.host}/alice/box:1`;
    await engine.dockerOk(['tag', 'busybox', target]);
    await engine.dockerOk(['push', target]);
    await engine.dockerOk(['rmi', target]);
    const pulled = await engine.dockerOk(['pull', target]);
    assert.match(pulled, /Status: Downloaded newer image for/);
    await engine.dockerOk(['logout', secured.host]);
    const denied = await engine.docker(['pull', `${secured.host}/alice/box:2`]);
    assert.match(denied.stderr, /pull access denied/);
  });
});
