import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { useEngine } from '../../helpers/engine-suite.js';

// docker save / docker load with the real CLI against boxlabd, with skopeo as the oracle: what boxlab
// saves, skopeo reads with the same image id; an OCI image layout tarball written by skopeo (the format
// of `skopeo copy oci-archive:` and buildkit's `--output type=oci`) loads with the id skopeo reports.
describe('docker save and docker load (docker-archive and OCI layout) against boxlabd (root, skopeo)', function () {
  this.timeout(120_000);
  const engine = useEngine({ needs: ['skopeo'] });
  let id: string;

  before(async function () {
    id = (await engine.dockerOk(['image', 'inspect', '--format', '{{.Id}}', 'busybox'])).trim();
  });

  it('docker save writes an archive skopeo reads with the same config digest and layers', async () => {
    const tar = path.join(engine.dir, 'saved.tar');
    await engine.dockerOk(['save', '-o', tar, 'busybox']);
    const inspected = JSON.parse((await run('skopeo', ['inspect', '--raw', `docker-archive:${tar}`])).stdout) as { config: { digest: string } };
    assert.equal(inspected.config.digest, id);
    const config = JSON.parse((await run('skopeo', ['inspect', '--config', `docker-archive:${tar}`])).stdout) as { rootfs: { diff_ids: string[] } };
    const layers = JSON.parse(await engine.dockerOk(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', 'busybox'])) as string[];
    assert.deepEqual(config.rootfs.diff_ids, layers);
  });

  it('docker load reads an OCI layout tarball from skopeo: the id skopeo reports, the same layers, and it runs', async () => {
    const saved = path.join(engine.dir, 'saved-for-oci.tar');
    const oci = path.join(engine.dir, 'busybox-oci.tar');
    await engine.dockerOk(['save', '-o', saved, 'busybox']);
    await run('skopeo', ['copy', '--quiet', `docker-archive:${saved}`, `oci-archive:${oci}:docker.io/library/busybox:oci`]);
    const entries = (await run('tar', ['-tf', oci])).stdout.split('\n');
    assert.ok(entries.includes('oci-layout') && entries.includes('index.json'), entries.join(' '));
    // converting to OCI, skopeo re-serializes the config and gzips the layer: the OCI image's id is its
    // config digest as skopeo reports it; the layers' content (diff ids) is unchanged
    const ociConfig = (JSON.parse((await run('skopeo', ['inspect', '--raw', `oci-archive:${oci}`])).stdout) as { config: { digest: string } }).config.digest;
    const diffIds = await engine.dockerOk(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', 'busybox']);
    await engine.dockerOk(['rmi', 'busybox']);
    assert.equal((await engine.dockerOk(['images', '-q'])).trim(), '');

    const loaded = await engine.dockerOk(['load', '-i', oci]);
    assert.match(loaded, /^Loaded image: busybox:oci$/m);
    assert.equal((await engine.dockerOk(['image', 'inspect', '--format', '{{.Id}}', 'busybox:oci'])).trim(), ociConfig);
    assert.equal(await engine.dockerOk(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', 'busybox:oci']), diffIds);
    assert.equal(await engine.dockerOk(['run', '--rm', 'busybox:oci', 'echo', 'from an OCI layout']), 'from an OCI layout');
    await fs.rm(oci, { force: true });
  });
});
