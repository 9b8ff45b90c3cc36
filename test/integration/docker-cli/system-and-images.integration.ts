// The real docker CLI against boxlabd: version negotiation, info, and the image commands.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { useEngine } from '../../helpers/engine-suite.js';

describe('docker CLI: system and images', function () {
  this.timeout(60_000);
  const engine = useEngine({ busybox: false, needs: ['busybox'] });

  for (const cli of ['new', 'old'] as const) {
    it(`docker version (${cli} client) negotiates API 1.41 and shows the boxlab engine`, async () => {
      const out = await engine.dockerOk(['version', '--format', '{{.Server.APIVersion}} {{.Server.Os}} {{(index .Server.Components 0).Name}}'], { cli });
      assert.equal(out, '1.41 linux Engine');
    });
  }

  it('docker info prints without errors or warnings, with the engine\'s facts', async () => {
    const res = await engine.docker(['info']);
    assert.equal(res.exitCode, 0, res.stderr);
    assert.doesNotMatch(res.stdout + res.stderr, /ERROR|WARNING/);
    assert.match(res.stdout, /Storage Driver: overlay2/);
    assert.match(res.stdout, /Cgroup Driver: cgroupfs/);
    assert.match(res.stdout, new RegExp(`Docker Root Dir: ${engine.root}`));
    assert.match(res.stdout, /Default Runtime: runc/);
  });

  it('docker load of a busybox archive prints "Loaded image: busybox:latest"', async () => {
    const out = await engine.dockerOk(['load', '-i', await (await import('../../helpers/engine-harness.js')).busyboxArchive()]);
    assert.match(out, /^Loaded image: busybox:latest$/m);
  });

  it('docker images lists busybox with Docker\'s columns', async () => {
    const out = await engine.dockerOk(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
    assert.match(out, /^busybox:latest [0-9a-f]{12}$/m);
    const table = await engine.dockerOk(['images']);
    assert.match(table.split('\n')[0], /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
  });

  it('docker image inspect shows the config, the layers and overlay2 dirs', async () => {
    const [image] = JSON.parse(await engine.dockerOk(['image', 'inspect', 'busybox']));
    assert.match(image.Id, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(image.RepoTags, ['busybox:latest']);
    assert.equal(image.Os, 'linux');
    assert.equal(image.RootFS.Type, 'layers');
    assert.ok(image.RootFS.Layers.length >= 1);
    assert.equal(image.GraphDriver.Name, 'overlay2');
    const upper = image.GraphDriver.Data.UpperDir as string;
    assert.ok(upper.startsWith(engine.root), upper);
    await fs.access(path.join(upper, 'bin', 'busybox'));
  });

  it('docker tag and docker rmi of the tag', async () => {
    await engine.dockerOk(['tag', 'busybox', 'mybox:v1']);
    assert.match(await engine.dockerOk(['images', '--format', '{{.Repository}}:{{.Tag}}']), /^mybox:v1$/m);
    const out = await engine.dockerOk(['rmi', 'mybox:v1']);
    assert.match(out, /^Untagged: mybox:v1$/m);
    assert.doesNotMatch(await engine.dockerOk(['images', '--format', '{{.Repository}}:{{.Tag}}']), /mybox/);
  });

  it('docker save writes a docker-archive that skopeo can read', async () => {
    const file = path.join(engine.dir, 'saved.tar');
    await engine.dockerOk(['save', '-o', file, 'busybox']);
    const list = (await run('tar', ['-tf', file])).stdout.split('\n');
    assert.ok(list.includes('manifest.json'), list.join(' '));
    const inspected = await run('skopeo', ['inspect', '--raw', `docker-archive:${file}`], { allowFailure: true });
    assert.equal(inspected.exitCode, 0, inspected.stderr);
  });

  it('docker history shows the image\'s layers', async () => {
    const out = await engine.dockerOk(['history', '--format', '{{.ID}} {{.Size}}', 'busybox']);
    assert.match(out.split('\n')[0], /^[0-9a-f]{12} /);
  });

  it('docker run of an unknown image ends with Docker\'s pull message', async () => {
    const res = await engine.docker(['run', '--rm', 'nosuchimage']);
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /Unable to find image 'nosuchimage:latest' locally/);
    assert.match(res.stderr, /pull access denied for nosuchimage, repository does not exist or may require 'docker login'/);
  });

  it('docker run of a mistyped image offline says it is not here and names the local one', async () => {
    const res = await engine.docker(['run', '--rm', 'busybx']);
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /pull access denied for busybx, repository does not exist or may require 'docker login': there is no image busybx:latest on this machine/);
    assert.match(res.stderr, /did you mean busybox:latest\?/);
  });

  it('docker inspect of an unknown name says "No such object"', async () => {
    const res = await engine.docker(['inspect', 'nosuch']);
    assert.equal(res.exitCode, 1);
    assert.match(res.stderr, /No such object: nosuch/);
  });

  it('docker image inspect of an unknown image says "No such image"', async () => {
    const res = await engine.docker(['image', 'inspect', 'nosuch']);
    assert.equal(res.exitCode, 1);
    assert.match(res.stderr, /No such image: nosuch/);
  });

  it('docker system df prints the usage table', async () => {
    const out = await engine.dockerOk(['system', 'df']);
    assert.match(out.split('\n')[0], /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE$/);
    assert.match(out, /^Images\s+1\s+/m);
  });

  it('the unversioned API refuses a too-new version as Docker does', async () => {
    const res = await run('curl', ['-s', '--unix-socket', engine.socketPath, 'http://d/v1.50/version'], { allowFailure: true });
    assert.equal(JSON.parse(res.stdout).message, 'client version 1.50 is too new. Maximum supported API version is 1.41');
  });
});
