// `docker export` and `docker import` with the real docker CLI: an export holds the container's merged
// files (not its volumes), export | import gives a runnable one-layer image whose config is only what
// --change says, as Debian's dockerd 20.10 makes it; hostile or broken tarballs are refused with a clear
// message and the engine keeps serving.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { run as runProcess } from '../../../src/core/exec.js';
import { NEW_DOCKER } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { makeTar } from '../images/tar-fixture.js';

/** a tar whose only header promises 1 GiB and then ends (what took the engine down before ADR 0010) */
function truncatedTar(): Buffer {
  const header = Buffer.alloc(512);
  header.write('big', 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write('10000000000\0', 124); // 1 GiB, octal
  header.write('00000000000\0', 136);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.write('        ', 148);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([header, Buffer.alloc(6)]);
}

const INSPECT_FIELDS = (image: Record<string, unknown>) => {
  const config = image.Config as Record<string, unknown>;
  return {
    RepoTags: image.RepoTags,
    Comment: image.Comment,
    Cmd: config.Cmd,
    Env: config.Env,
    WorkingDir: config.WorkingDir,
    Entrypoint: config.Entrypoint,
    Layers: (image.RootFS as { Layers: string[] }).Layers.length,
    Parent: image.Parent,
  };
};

describe('docker CLI: docker export and docker import', function () {
  this.timeout(120_000);
  const engine = useEngine({ needs: ['dockerd'], removeAfterEach: 'containers' });
  let dockerd: ReferenceDockerd;

  before(async () => {
    dockerd = await ReferenceDockerd.start('boxlab-export-import');
  });
  after(async function () {
    this.timeout(60_000);
    await dockerd?.stop();
  });

  const stillServing = async () => {
    assert.equal((await engine.docker(['ps'])).exitCode, 0, `the engine is gone\n${await engine.logTail(30)}`);
  };

  it('export | import gives a runnable one-layer image with the files the container wrote, its volume left out', async () => {
    await engine.dockerOk(['run', '--name', 'ex-src', '-v', '/data', 'busybox', 'sh', '-c', 'echo hello > /greeting && ln /greeting /greeting2 && echo in-volume > /data/v && rm /bin/vi']);
    const exported = path.join(engine.dir, 'ex-src.tar');
    await engine.dockerOk(['export', '-o', exported, 'ex-src']);
    // names relative to /, a second name of a file as a hard link (as dockerd writes them)
    const listing = (await runProcess('tar', ['-tvf', exported])).stdout;
    assert.match(listing, /^-.* greeting$/m);
    assert.match(listing, /^h.* greeting2 link to greeting$/m);
    const imported = (await engine.dockerOk(['import', '--change', 'CMD ["cat", "/greeting"]', exported, 'ex-flat:v1'])).trim();
    assert.match(imported, /^sha256:[0-9a-f]{64}$/);
    assert.equal((await engine.dockerOk(['run', '--rm', 'ex-flat:v1'])).trim(), 'hello');
    // the files are the merged view: the deleted file is gone, the volume's file was never in the layer
    const ls = await engine.docker(['run', '--rm', 'ex-flat:v1', 'sh', '-c', 'ls /bin/vi; ls /data']);
    assert.match(ls.stderr, /\/bin\/vi: No such file or directory/);
    assert.equal(ls.stdout.trim(), '');
    const history = await engine.dockerOk(['history', '--format', '{{.Comment}}', 'ex-flat:v1']);
    assert.equal(history.trim(), `Imported from -`);
  });

  it('the imported image looks as dockerd makes it (name, comment, config from --change, one layer, no parent)', async () => {
    const flags = ['--change', 'ENV A=b', '--change', 'WORKDIR /srv', '--change', 'CMD ["sh", "-c", "echo $A"]', '-m', 'from a container'];
    const shapes = [];
    for (const e of [engine, dockerd]) {
      const run = (args: string[], input?: Buffer) => (e === engine ? engine.docker(args, { input }) : dockerd.docker(args));
      await run(['rm', '-f', 'ex-shape']);
      assert.equal((await run(['create', '--name', 'ex-shape', 'busybox', 'true'])).exitCode, 0);
      const file = path.join(e === engine ? engine.dir : dockerd.dir, 'ex-shape.tar');
      assert.equal((await run(['export', '-o', file, 'ex-shape'])).exitCode, 0);
      const res = await run(['import', ...flags, file, 'ex-shape:latest']);
      assert.equal(res.exitCode, 0, res.stderr);
      const image = JSON.parse((await run(['image', 'inspect', 'ex-shape:latest'])).stdout)[0];
      const echo = await run(['run', '--rm', 'ex-shape:latest']);
      shapes.push({ ...INSPECT_FIELDS(image), output: echo.stdout, stdoutOfImport: /^sha256:[0-9a-f]{64}\n$/.test(res.stdout) });
      await run(['rm', '-f', 'ex-shape']);
    }
    assert.deepEqual(shapes[0], shapes[1]);
  });

  it('docker import - name reads stdin, gzip too; an unknown --change is dockerd\'s error', async () => {
    const tar = await makeTar([{ name: 'hello.txt', data: 'hi\n' }, { name: 'bin', type: 'directory' }]);
    assert.match(await engine.dockerOk(['import', '-', 'ex-stdin:latest'], { input: gzipSync(tar) }), /^sha256:/);
    assert.match(await engine.dockerOk(['image', 'inspect', '-f', '{{.RepoTags}}', 'ex-stdin']), /ex-stdin:latest/);
    const change = ['import', '--change', 'RUN echo', '-', 'ex-bad'];
    const expected = await runProcess(NEW_DOCKER, change, { env: dockerd.env, input: tar, allowFailure: true, timeout: 60_000 });
    const got = await engine.docker(change, { input: tar });
    assert.equal(got.exitCode, expected.exitCode);
    assert.equal(got.stderr.trim(), expected.stderr.trim());
  });

  const HOSTILE: Array<{ what: string; tar: () => Promise<Buffer>; message: RegExp }> = [
    { what: 'a name that climbs out with ..', tar: () => makeTar([{ name: '../../escaped', data: 'x' }]), message: /the imported tarball.*"\.\.\/\.\.\/escaped"/ },
    { what: 'a symlink to /tmp, then a file through it', tar: () => makeTar([{ name: 'evil', type: 'symlink', linkname: '/tmp' }, { name: 'evil/pwned', data: 'x' }]), message: /the imported tarball.*evil/ },
    { what: 'a hard link to a host file', tar: () => makeTar([{ name: 'passwd', type: 'link', linkname: '/etc/passwd' }]), message: /the imported tarball.*passwd/ },
    { what: 'a device file', tar: () => makeTar([{ name: 'dev/sda', type: 'character-device', devmajor: 8, devminor: 0 }]), message: /the imported tarball.*dev\/sda/ },
    { what: 'a header that promises 1 GiB and ends', tar: async () => truncatedTar(), message: /the imported tarball is not a valid tar archive: unexpected end of data/i },
    { what: 'bytes that are no tar at all', tar: async () => Buffer.from('this is not a tar archive, only some text that is long enough to fill a header block?'.repeat(8)), message: /the imported tarball is not a valid tar archive/ },
    { what: 'nothing', tar: async () => Buffer.alloc(0), message: /the imported tarball is empty/ },
  ];
  for (const c of HOSTILE) {
    it(`refuses ${c.what}, stores nothing and keeps serving`, async () => {
      const before = await engine.dockerOk(['images', '-aq']);
      const res = await engine.docker(['import', '-', 'ex-hostile'], { input: await c.tar() });
      assert.notEqual(res.exitCode, 0, res.stdout);
      assert.match(res.stderr, c.message);
      assert.ok(!res.stderr.includes(engine.root), `the message shows an internal path: ${res.stderr}`);
      await stillServing();
      assert.equal(await engine.dockerOk(['images', '-aq']), before);
      assert.deepEqual((await fs.readdir(path.join(engine.root, 'tmp'))).filter((n) => n.startsWith('import-')), []);
      await assert.rejects(fs.stat('/tmp/pwned'));
    });
  }
});
