import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { appLayerKey } from '../../../../../src/engine/images/bake/app-image.js';
import { appRecipe } from '../../../../../src/engine/images/bake/app-recipes.js';
import { bakedRecipeLayers, bakedRecipes, bakeImages, checkRecipes, recipeTags, type EngineRequester } from '../../../../../src/engine/images/bake/bake-service.js';
import { debianBaseKey, readAptSources } from '../../../../../src/engine/images/bake/debian-base.js';
import { debianMirror } from '../../../../../src/engine/images/bake/debian-mirror.js';
import { requires } from '../../../../helpers/requires.js';

/** a stand-in for boxlabd's POST /images/load: reads the tarball it is sent and answers Docker's JSON stream */
class FakeLoadEndpoint implements EngineRequester {
  entries: string[] = [];
  manifest: unknown;
  constructor(private readonly answer: (names: string[]) => { status: number; lines: object[] }) {}
  async request(method: string, path: string, body?: unknown) {
    assert.equal(`${method} ${path}`, 'POST /images/load?quiet=0');
    const extract = tar.extract();
    const reading = (async () => {
      for await (const entry of extract) {
        this.entries.push(entry.header.name);
        const chunks: Buffer[] = [];
        for await (const c of entry) chunks.push(c as Buffer);
        if (entry.header.name === 'manifest.json') this.manifest = JSON.parse(Buffer.concat(chunks).toString());
      }
    })();
    (body as Readable).pipe(extract as unknown as NodeJS.WritableStream);
    await reading;
    const names = (this.manifest as Array<{ RepoTags: string[] }>).flatMap((m) => m.RepoTags);
    const { status, lines } = this.answer(names);
    return { status, body: Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n') };
  }
}

/** a finished bake cache entry: meta.json and a layer.tar of the size it records */
async function cacheEntry(dir: string, diffId: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'layer.tar'), 'x'.repeat(10));
  await fs.writeFile(path.join(dir, 'meta.json'), JSON.stringify({ diffId, size: 10 }));
}

describe('baked recipes (what bakes without building: the QEMU image preloads them)', () => {
  it('lists busybox, then the debian base and each app whose layer is cached, with their layers', async () => {
    const cache = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-bake-cache-'));
    try {
      assert.deepEqual(await bakedRecipeLayers(cache), [{ recipe: 'busybox', layers: [] }]);
      const base = 'sha256:' + 'b'.repeat(64);
      await cacheEntry(path.join(cache, debianBaseKey(debianMirror(await readAptSources()))), base);
      await cacheEntry(path.join(cache, appLayerKey(appRecipe('httpd')!, base)), 'sha256:' + 'h'.repeat(64));
      // an app layer cached over another base is not what a bake would use
      await cacheEntry(path.join(cache, appLayerKey(appRecipe('redis')!, 'sha256:' + 'o'.repeat(64))), 'sha256:' + 'r'.repeat(64));
      assert.deepEqual(await bakedRecipeLayers(cache), [
        { recipe: 'busybox', layers: [] },
        { recipe: 'debian', layers: [base] },
        { recipe: 'httpd', layers: [base, 'sha256:' + 'h'.repeat(64)] },
      ]);
      assert.deepEqual(await bakedRecipes(cache), ['busybox', 'debian', 'httpd']);
    } finally {
      await fs.rm(cache, { recursive: true, force: true });
    }
  });
});

describe('bakeImages', () => {
  it('knows busybox, debian and the lab images and refuses anything else with the choices', () => {
    assert.deepEqual(checkRecipes(['busybox', 'debian', 'nginx', 'network-tools']), ['busybox', 'debian', 'nginx', 'network-tools']);
    assert.throws(
      () => checkRecipes(['alpine']),
      (err: Error & { suggestions?: string[] }) =>
        /no bake recipe for "alpine"/.test(err.message) && err.suggestions![0] === 'choose from: busybox, debian, nginx, redis, httpd, python, network-tools, registry',
    );
    assert.throws(() => checkRecipes([]), /name at least one image/);
  });

  it('knows each recipe\'s tags without baking (the names the notes use)', () => {
    assert.deepEqual(recipeTags('busybox'), ['busybox:latest']);
    assert.deepEqual(recipeTags('debian'), ['debian:bookworm-slim', 'debian:bookworm', 'debian:latest']);
    assert.deepEqual(recipeTags('nginx'), ['nginx:latest']);
    assert.deepEqual(recipeTags('network-tools'), ['lab/netshoot-lite:latest', 'network-tools:latest']);
  });

  describe('with busybox-static', function () {
    before(function () {
      requires(this, 'busybox');
    });

    it('streams a docker-archive to the engine and reports its progress and the loaded names', async () => {
      const engine = new FakeLoadEndpoint((names) => ({
        status: 200,
        lines: [{ status: 'Loading layer', id: '2d1a6a93d3f2', progress: '[==>]' }, ...names.map((n) => ({ status: `Loaded image: ${n}` })), ...names.map((n) => ({ stream: `Loaded image: ${n}\n` }))],
      }));
      const lines: string[] = [];
      const result = await bakeImages({ names: ['busybox'], engine, progress: (l) => lines.push(l) });
      assert.deepEqual(result.loaded, ['busybox:latest']);
      assert.match(result.images[0].id, /^sha256:[a-f0-9]{64}$/);
      assert.deepEqual(engine.manifest, [{ Config: `${result.images[0].id.slice(7)}.json`, RepoTags: ['busybox:latest'], Layers: [(engine.manifest as Array<{ Layers: string[] }>)[0].Layers[0]] }]);
      assert.ok(engine.entries.includes('repositories'));
      assert.deepEqual(lines.slice(-2), ['2d1a6a93d3f2: Loading layer [==>]', 'Loaded image: busybox:latest']);
    });

    it('turns an error in the load stream into an error', async () => {
      const engine = new FakeLoadEndpoint(() => ({ status: 200, lines: [{ errorDetail: { message: 'disk full' }, error: 'disk full' }] }));
      await assert.rejects(bakeImages({ names: ['busybox'], engine }), /the engine failed to load the baked images: disk full/);
    });
  });
});
