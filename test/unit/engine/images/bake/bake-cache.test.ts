import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bakeCacheDir, cachedLayer, readCachedLayer, recipeHash } from '../../../../../src/engine/images/bake/bake-cache.js';

describe('bake cache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-bake-cache-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('lives in ~/.cache/boxlab/bake unless BOXLAB_BAKE_CACHE or XDG_CACHE_HOME say otherwise', () => {
    assert.equal(bakeCacheDir({ HOME: '/home/ana' }), '/home/ana/.cache/boxlab/bake');
    assert.equal(bakeCacheDir({ HOME: '/home/ana', XDG_CACHE_HOME: '/c' }), '/c/boxlab/bake');
    assert.equal(bakeCacheDir({ HOME: '/home/ana', BOXLAB_BAKE_CACHE: '/ci/bake' }), '/ci/bake');
  });

  it('names an entry after the recipe and a hash of everything it is made from', () => {
    const a = recipeHash('nginx', { packages: ['nginx'], base: 'sha256:1' });
    assert.match(a, /^nginx-[0-9a-f]{16}$/);
    assert.equal(recipeHash('nginx', { packages: ['nginx'], base: 'sha256:1' }), a);
    assert.notEqual(recipeHash('nginx', { packages: ['nginx'], base: 'sha256:2' }), a);
    assert.notEqual(recipeHash('nginx', { packages: ['nginx-light'], base: 'sha256:1' }), a);
  });

  it('builds once, then reuses the entry', async () => {
    let builds = 0;
    const build = async (tmp: string) => {
      builds++;
      await fs.writeFile(path.join(tmp, 'layer.tar'), 'layer bytes');
      return { diffId: 'sha256:x', size: 11 };
    };
    const first = await cachedLayer(dir, 'r-1', build);
    assert.equal(first.reused, false);
    assert.equal(await fs.readFile(first.layerFile, 'utf8'), 'layer bytes');
    const second = await cachedLayer(dir, 'r-1', build);
    assert.equal(second.reused, true);
    assert.deepEqual(second.meta, { diffId: 'sha256:x', size: 11 });
    assert.equal(builds, 1);
    assert.deepEqual(await fs.readdir(dir), ['r-1']);
  });

  it('keeps the entry another bake finished first, and drops its own copy', async () => {
    const built = await cachedLayer(dir, 'r-4', async (tmp) => {
      // meanwhile, another process completes the same entry
      await fs.mkdir(path.join(dir, 'r-4'));
      await fs.writeFile(path.join(dir, 'r-4', 'layer.tar'), 'theirs');
      await fs.writeFile(path.join(dir, 'r-4', 'meta.json'), JSON.stringify({ diffId: 'sha256:theirs', size: 6 }));
      await fs.writeFile(path.join(tmp, 'layer.tar'), 'ours!');
      return { diffId: 'sha256:ours', size: 5 };
    });
    assert.equal(built.meta.diffId, 'sha256:theirs');
    assert.equal(await fs.readFile(built.layerFile, 'utf8'), 'theirs');
    assert.deepEqual(await fs.readdir(dir), ['r-4']);
  });

  it('keeps nothing of a failed build, and ignores an entry whose layer does not match its meta', async () => {
    await assert.rejects(
      cachedLayer(dir, 'r-2', async (tmp) => {
        await fs.writeFile(path.join(tmp, 'layer.tar'), 'half');
        throw new Error('apt-get failed');
      }),
      /apt-get failed/,
    );
    assert.deepEqual(await fs.readdir(dir), []);
    await fs.mkdir(path.join(dir, 'r-3'));
    await fs.writeFile(path.join(dir, 'r-3', 'meta.json'), JSON.stringify({ diffId: 'sha256:y', size: 100 }));
    await fs.writeFile(path.join(dir, 'r-3', 'layer.tar'), 'truncated');
    assert.equal(await readCachedLayer(path.join(dir, 'r-3')), undefined);
  });
});
