// The real docker CLI against boxlabd: the init layer (issue 12, finding 5). An image may replace /dev or
// /proc with a symlink that leads out of its root filesystem; runc must still find real folders there, and
// nothing on the host may change. The hostile layers come from test/fixtures/hostile/images/make.mjs,
// stacked on busybox and loaded with `docker load`.
import assert from 'node:assert/strict';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { sha256Digest } from '../../../src/engine/content/digest.js';
import { bakeBusybox } from '../../../src/engine/images/bake/busybox-recipe.js';
import { writeDockerArchive } from '../../../src/engine/images/docker-archive-writer.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { HostCanary } from '../../helpers/host-canary.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';

const HOSTILE = path.join(REPO_ROOT, 'test', 'fixtures', 'hostile', 'images');

interface HostileMaker {
  CLIMB: string;
  symlinkLayer(name: string, target: string): Promise<Buffer>;
}

/** a docker-archive of busybox with one more layer on top, tagged `tag` */
async function busyboxWithLayer(file: string, tag: string, layer: Buffer): Promise<string> {
  const base = await bakeBusybox();
  const config = JSON.parse(base.config.toString());
  const diffId = sha256Digest(layer);
  const out = createWriteStream(file);
  config.rootfs.diff_ids.push(diffId);
  config.history.push({ created: config.created, created_by: `hostile layer (${tag})` });
  await writeDockerArchive(
    [{ config: Buffer.from(JSON.stringify(config)), repoTags: [tag], layers: [...base.layers, { diffId, size: layer.length, open: () => Readable.from([layer]) }] }],
    out,
  );
  if (!out.writableFinished) await new Promise<void>((resolve, reject) => out.once('finish', () => resolve()).once('error', reject));
  return file;
}

/** the entry names of one file inside a tar (a layer inside a `docker save` archive) */
async function tarEntries(archive: Buffer): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c) => chunks.push(c as Buffer));
    stream.on('end', () => {
      out.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => extract.once('finish', () => resolve()).once('error', reject));
  extract.end(archive);
  await done;
  return out;
}

/** what the tests run: busybox with a /dev symlink at the canary (absolute, climbing) and with a /proc symlink */
async function loadHostileImages(target: { dockerOk(args: string[]): Promise<string> }, dir: string, maker: HostileMaker, canary: HostCanary): Promise<void> {
  const load = async (tag: string, layer: Buffer) => {
    const file = await busyboxWithLayer(path.join(dir, `${tag.replace(/\W/g, '-')}.tar`), tag, layer);
    await target.dockerOk(['load', '-i', file]);
  };
  await load('hostile-dev:absolute', await maker.symlinkLayer('dev', canary.dir));
  await load('hostile-dev:climbing', await maker.symlinkLayer('dev', `${maker.CLIMB}${canary.dir.slice(1)}`));
  await load('hostile-proc:latest', await fs.readFile(path.join(HOSTILE, 'proc-symlink.layer.tar')));
}

/** type and name of what a container sees at the init layer's paths, e.g. "drwxr-xr-x /dev" */
const PROBE = ['sh', '-c', 'ls -ld /dev /dev/pts /dev/shm /proc /sys /etc/hosts /etc/mtab /.dockerenv | awk \'{print $1, $NF}\'; readlink /etc/mtab'];

describe('docker CLI: the init layer hides an image\'s symlinked /dev and /proc', function () {
  this.timeout(120_000);
  const engine = useEngine({ removeAfterEach: 'containers' });
  let canary: HostCanary;
  let maker: HostileMaker;

  before(async function () {
    canary = await HostCanary.create();
    maker = (await import(path.join(HOSTILE, 'make.mjs'))) as HostileMaker;
    await loadHostileImages(engine, engine.dir, maker, canary);
  });
  after(async () => canary?.remove());

  for (const tag of ['hostile-dev:absolute', 'hostile-dev:climbing']) {
    it(`${tag}: runs with a real /dev and the host folder /dev points at stays untouched`, async () => {
      const ls = await engine.docker(['run', '--rm', tag, 'ls', '-ld', '/dev']);
      assert.deepEqual(await canary.changes(), []);
      assert.equal(ls.exitCode, 0, ls.stderr);
      assert.match(ls.stdout, /^d/, `/dev should be a directory, got: ${ls.stdout}`);
      assert.equal(await engine.dockerOk(['run', '--rm', tag, 'sh', '-c', 'echo ok > /dev/null && ls -d /dev/pts /dev/shm']), '/dev/pts\n/dev/shm');
      assert.deepEqual(await canary.changes(), []);
    });
  }

  it('an image whose /proc is a symlink starts, with the kernel\'s /proc (as on Docker)', async () => {
    const out = await engine.docker(['run', '--rm', 'hostile-proc', 'sh', '-c', 'ls -ld /proc; cat /proc/self/comm']);
    assert.equal(out.exitCode, 0, out.stderr);
    const [ls, comm] = out.stdout.split('\n');
    assert.match(ls, /^d/);
    assert.equal(comm, 'cat');
  });

  it('docker diff of a fresh container is empty, and commit leaves the init layer out', async () => {
    await engine.dockerOk(['run', '--name', 'fresh', 'hostile-dev:absolute', 'true']);
    assert.equal(await engine.dockerOk(['diff', 'fresh']), '');
    await engine.dockerOk(['commit', 'fresh', 'committed-fresh']);
    const saved = path.join(engine.dir, 'committed-fresh.tar');
    await engine.dockerOk(['save', '-o', saved, 'committed-fresh']);
    const files = await tarEntries(await fs.readFile(saved));
    const [manifest] = JSON.parse(files.get('manifest.json')!.toString());
    const top = await tarEntries(files.get(manifest.Layers.at(-1))!);
    // Docker's commit takes the container's own layer only: nothing of the init layer (dev/, proc/, etc/hosts, .dockerenv)
    assert.deepEqual([...top.keys()], []);
    assert.deepEqual(await canary.changes(), []);
  });
});

describe('the init layer: boxlabd and Debian\'s dockerd 20.10 see the same hostile images alike', function () {
  this.timeout(180_000);
  const engine = useEngine({ needs: ['dockerd'] });
  let dockerd: ReferenceDockerd;
  let canary: HostCanary;

  before(async function () {
    canary = await HostCanary.create();
    const maker = (await import(path.join(HOSTILE, 'make.mjs'))) as HostileMaker;
    dockerd = await ReferenceDockerd.start('boxlab-initlayer-ref');
    await loadHostileImages(engine, engine.dir, maker, canary);
    await loadHostileImages(dockerd, dockerd.dir, maker, canary);
  });
  after(async function () {
    this.timeout(90_000);
    try {
      await dockerd?.stop();
    } finally {
      await canary?.remove();
    }
  });

  for (const tag of ['hostile-dev:absolute', 'hostile-dev:climbing', 'hostile-proc']) {
    it(`${tag}: the same folders, files and links at the init layer's paths`, async () => {
      const ours = await engine.dockerOk(['run', '--rm', tag, ...PROBE]);
      const theirs = await dockerd.dockerOk(['run', '--rm', tag, ...PROBE]);
      assert.equal(ours, theirs);
      assert.match(ours, /^d\S+ \/dev$/m);
      assert.deepEqual(await canary.changes(), []);
    });
  }
});
