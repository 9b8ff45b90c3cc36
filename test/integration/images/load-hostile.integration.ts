import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { run } from '../../../src/core/exec.js';
import { busyboxArchive } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { writeManyFilesArchive } from '../../helpers/many-files-archive.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';

// `docker load` of the hostile corpus (test/fixtures/hostile/load/, see its README) with the real docker
// CLI: each archive fails with a message naming what is wrong and no path inside the engine's root, and
// afterwards the engine still answers (a truncated tar used to end the boxlabd process). Then what Docker
// accepts and boxlab refused: compressed archives, and a layer of many small files.
const CORPUS = path.join(REPO_ROOT, 'test/fixtures/hostile/load');

const cases: Array<{ file: string; what: string; message: RegExp }> = [
  { file: 'truncated-1gib.tar', what: 'a 518-byte tarball whose header promises 1 GiB', message: /image tarball is not a valid tar archive: unexpected end of data/i },
  { file: 'truncated-1gib.tar.gz', what: 'the same, gzip-compressed', message: /image tarball is not a valid tar archive: unexpected end of data/i },
  { file: 'cut-gzip.tar.gz', what: 'a gzip stream cut in half', message: /image tarball \(gzip\) could not be decompressed: unexpected end of file/i },
  { file: 'truncated-layer.tar', what: 'a layer that promises 1 GiB and ends', message: /layer tarball .*layer\.tar.* is not a valid tar archive: unexpected end of data/i },
  { file: 'long-path.tar', what: 'a layer path past PATH_MAX', message: /entry "000p+\.\.\." is \d+ bytes long, more than Linux allows in a path \(PATH_MAX/ },
  { file: 'long-name.tar', what: 'a layer file name past NAME_MAX', message: /entry "dir\/n+\.\.\." has a name of 300 bytes, more than Linux allows \(NAME_MAX, 255 bytes\)/ },
  { file: 'unknown-type-layer.tar', what: 'a layer entry of tar type X', message: /layer tarball .*: entry "odd" has an unhandled tar header type/ },
  { file: 'unknown-type-outer.tar', what: 'an image tarball entry of tar type 9', message: /image tarball: entry "odd" has an unhandled tar header type/ },
];

describe('docker load of hostile archives (root, docker CLI)', function () {
  this.timeout(300_000);
  const engine = useEngine();

  const stillServing = async () => {
    assert.equal((await engine.docker(['ps'])).exitCode, 0, `docker ps failed: the engine is gone\n${await engine.logTail(30)}`);
    assert.match(await engine.dockerOk(['images', '--format', '{{.Repository}}:{{.Tag}}']), /^busybox:latest$/m);
  };

  for (const c of cases) {
    it(`refuses ${c.what} (${c.file}) with a clear message, and keeps serving`, async () => {
      const res = await engine.docker(['load', '-i', path.join(CORPUS, c.file)]);
      assert.notEqual(res.exitCode, 0, res.stdout);
      assert.match(res.stderr, c.message);
      assert.ok(!res.stderr.includes(engine.root), `the message shows an internal path: ${res.stderr}`);
      await stillServing();
      // nothing of the refused archive stays behind: no image, no staging folder
      assert.deepEqual(await fs.readdir(path.join(engine.root, 'tmp')).then((n) => n.filter((x) => x.startsWith('load-'))), []);
    });
  }

  it('refuses the same archive sent twice at once without a listener-less error (the second waits for the first)', async () => {
    const file = path.join(CORPUS, 'truncated-1gib.tar');
    const both = await Promise.all([engine.docker(['load', '-i', file]), engine.docker(['load', '-i', file])]);
    for (const res of both) assert.match(res.stderr, /unexpected end of data/i);
    await stillServing();
  });

  for (const [format, compress] of [
    ['gzip', async (tar: string) => fs.writeFile(`${tar}.gz`, gzipSync(await fs.readFile(tar)))],
    ['xz', async (tar: string) => void (await run('xz', ['-k', '-f', tar]))],
    ['bzip2', async (tar: string) => void (await run('bzip2', ['-k', '-f', tar]))],
  ] as const) {
    it(`loads a ${format}-compressed docker save archive, as Docker does`, async () => {
      const tar = path.join(engine.dir, `busybox-${format}.tar`);
      await fs.copyFile(await busyboxArchive(), tar);
      await compress(tar);
      const ext = { gzip: 'gz', xz: 'xz', bzip2: 'bz2' }[format];
      await engine.dockerOk(['rmi', 'busybox']);
      const out = await engine.dockerOk(['load', '-i', `${tar}.${ext}`]);
      assert.match(out, /^Loaded image: busybox:latest$/m);
      assert.equal(await engine.dockerOk(['run', '--rm', 'busybox', 'echo', `from ${format}`]), `from ${format}`);
    });
  }

  it('loads a layer of 5,000 small files completely (the concurrent writes of the fast path)', async () => {
    const file = path.join(engine.dir, 'many.tar');
    await writeManyFilesArchive(file, 5000);
    assert.match(await engine.dockerOk(['load', '-i', file], { timeout: 240_000 }), /Loaded image: many-files:latest/);
    const chain = JSON.parse(await engine.dockerOk(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', 'many-files'])) as string[];
    assert.equal(chain.length, 1);
    // one layer: its chain id is its diff id, and its folder is what docker inspect shows as UpperDir
    const fsDir = path.join(engine.root, 'images/layers', chain[0].replace('sha256:', ''), 'fs');
    assert.equal((await engine.dockerOk(['image', 'inspect', '--format', '{{.GraphDriver.Data.UpperDir}}', 'many-files'])).trim(), fsDir);
    const dirs = await fs.readdir(path.join(fsDir, 'many'));
    assert.equal(dirs.length, 50);
    let files = 0;
    for (const d of dirs) files += (await fs.readdir(path.join(fsDir, 'many', d))).length;
    assert.equal(files, 5000);
    assert.equal(await fs.readFile(path.join(fsDir, 'many/d0049/f4999.txt'), 'utf8'), 'file 0000004999\n');
    const st = await fs.stat(path.join(fsDir, 'many/d0049/f4999.txt'));
    assert.equal(st.mode & 0o7777, 0o644);
    assert.equal(st.mtime.toISOString(), '2024-01-01T00:00:00.000Z');
    const dir = await fs.stat(path.join(fsDir, 'many/d0049'));
    assert.equal(dir.mode & 0o7777, 0o755);
    assert.equal(dir.mtime.toISOString(), '2024-01-01T00:00:00.000Z');
  });
});
