// docker build / commit / diff with the real docker CLI against boxlabd: the sample apps build and run,
// the cache is hit on rebuild and invalidated by a changed file, stages, ONBUILD, USER/WORKDIR, a failing RUN.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useEngine } from '../../helpers/engine-suite.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const SAMPLES = path.join(REPO, 'samples');
// the classic builder: the API boxlabd serves (BuildKit's session protocol is not implemented)
const CLASSIC = { DOCKER_BUILDKIT: '0' };

describe('docker build against boxlabd (classic builder)', function () {
  this.timeout(180_000);
  const h = useEngine();
  let work: string;

  before(async function () {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-build-'));
  });

  after(async () => {
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  const build = (args: string[], dir: string, cli: 'new' | 'old' = 'new') => h.docker(['build', ...args, dir], { env: CLASSIC, cli, timeout: 120_000 });

  async function buildOk(args: string[], dir: string): Promise<string> {
    const res = await build(args, dir);
    assert.equal(res.exitCode, 0, `docker build failed:\n${res.stdout}\n${res.stderr}\n${await h.logTail(20)}`);
    return res.stdout;
  }

  async function copyDir(from: string, name: string): Promise<string> {
    const dest = path.join(work, name);
    await fs.cp(from, dest, { recursive: true });
    return dest;
  }

  async function inspectConfig(ref: string): Promise<Record<string, unknown>> {
    return JSON.parse(await h.dockerOk(['image', 'inspect', '-f', '{{json .Config}}', ref])) as Record<string, unknown>;
  }

  it('builds the hello-web sample: steps, config, USER and WORKDIR in the running container', async () => {
    const dir = await copyDir(path.join(SAMPLES, 'hello-web'), 'hello-web');
    const out = await buildOk(['-t', 'hello-web:0.1'], dir);
    assert.match(out, /Step 1\/10 : FROM busybox/);
    assert.match(out, /Step 7\/10 : RUN sed -i/);
    assert.match(out, / ---> Running in [0-9a-f]{12}/);
    assert.match(out, /Successfully built [0-9a-f]{12}/);
    assert.match(out, /Successfully tagged hello-web:0\.1/);
    const config = await inspectConfig('hello-web:0.1');
    assert.equal(config.User, 'nobody');
    assert.equal(config.WorkingDir, '/www');
    assert.deepEqual(config.ExposedPorts, { '8080/tcp': {} });
    assert.deepEqual(config.Cmd, ['httpd', '-f', '-v', '-p', '8080', '-h', '/www']);
    assert.ok((config.Env as string[]).includes('APP_VERSION=0.1'));
    assert.equal((config.Labels as Record<string, string>)['org.opencontainers.image.title'], 'hello-web');
    const page = await h.dockerOk(['run', '--rm', 'hello-web:0.1', 'cat', 'index.html']);
    assert.match(page, /version 0\.1/);
    assert.equal((await h.dockerOk(['run', '--rm', 'hello-web:0.1', 'sh', '-c', 'id -un; pwd'])).trim(), 'nobody\n/www');
    const history = await h.dockerOk(['history', '--no-trunc', '--format', '{{.CreatedBy}}', 'hello-web:0.1']);
    assert.match(history, /sed -i/);
    assert.match(history, /COPY file:[0-9a-f]{64} in \/www/);
  });

  it('rebuilds from the cache, and a changed file invalidates from its COPY on', async () => {
    const dir = path.join(work, 'hello-web');
    const first = (await h.dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'hello-web:0.1'])).trim();
    const again = await buildOk(['-t', 'hello-web:0.1'], dir);
    assert.equal((again.match(/---> Using cache/g) ?? []).length, 9, again);
    assert.doesNotMatch(again, /Running in/);
    assert.equal((await h.dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'hello-web:0.1'])).trim(), first);

    await fs.writeFile(path.join(dir, 'index.html'), '<p>new page, version @VERSION@</p>\n');
    const changed = await buildOk(['-t', 'hello-web:0.2', '--build-arg', 'VERSION=0.2'], dir);
    // ARG's value changed, so ENV and everything after it run again
    assert.match(changed, /Step 3\/10 : ARG VERSION=0.1\n ---> Using cache/);
    assert.doesNotMatch(changed.split('Step 4/10')[1]!, /Using cache/);
    assert.match(await h.dockerOk(['run', '--rm', 'hello-web:0.2', 'cat', '/www/index.html']), /new page, version 0\.2/);

    const onlyFile = await buildOk(['-t', 'hello-web:0.3', '--build-arg', 'VERSION=0.2'], dir);
    assert.equal((onlyFile.match(/---> Using cache/g) ?? []).length, 9, 'unchanged again: all hits');
    await fs.writeFile(path.join(dir, 'index.html'), '<p>third, version @VERSION@</p>\n');
    const third = await buildOk(['-t', 'hello-web:0.3', '--build-arg', 'VERSION=0.2'], dir);
    const [before, after] = third.split('Step 6/10 : COPY index.html ./');
    assert.equal((before!.match(/---> Using cache/g) ?? []).length, 4, third);
    assert.doesNotMatch(after!, /Using cache/);
  });

  it('--no-cache runs every step', async () => {
    const out = await buildOk(['--no-cache', '-t', 'hello-web:nocache'], path.join(work, 'hello-web'));
    assert.doesNotMatch(out, /Using cache/);
    assert.match(out, /Running in/);
  });

  it('multi-stage: the final image is much smaller than the build stage, --target stops early', async () => {
    const dir = await copyDir(path.join(SAMPLES, 'multi-stage'), 'multi-stage');
    await buildOk(['-t', 'ms:build', '--target', 'build'], dir);
    const out = await buildOk(['-t', 'ms:final'], dir);
    assert.match(out, /Step 6\/8 : FROM busybox/);
    const size = async (ref: string) => Number((await h.dockerOk(['image', 'inspect', '-f', '{{.Size}}', ref])).trim());
    const [buildSize, finalSize] = [await size('ms:build'), await size('ms:final')];
    assert.ok(buildSize - finalSize > 8_000_000, `build stage ${buildSize} B, final ${finalSize} B`);
    assert.equal((await h.dockerOk(['run', '--rm', 'ms:final'])).trim(), 'built in a multi-stage build; the toolchain stayed behind');
    const none = await h.docker(['run', '--rm', 'ms:final', 'ls', '/toolchain']);
    assert.notEqual(none.exitCode, 0, 'the toolchain is not in the final image');
  });

  it('ONBUILD triggers run in the child build', async () => {
    const base = path.join(work, 'onbuild-base');
    const child = path.join(work, 'onbuild-child');
    await fs.mkdir(base, { recursive: true });
    await fs.mkdir(child, { recursive: true });
    await fs.writeFile(path.join(base, 'Dockerfile'), 'FROM busybox\nONBUILD COPY greeting.txt /greeting.txt\nONBUILD RUN echo triggered > /onbuild\n');
    await buildOk(['-t', 'ob-base'], base);
    assert.deepEqual((await inspectConfig('ob-base')).OnBuild, ['COPY greeting.txt /greeting.txt', 'RUN echo triggered > /onbuild']);
    await fs.writeFile(path.join(child, 'Dockerfile'), 'FROM ob-base\nCMD ["cat", "/onbuild", "/greeting.txt"]\n');
    await fs.writeFile(path.join(child, 'greeting.txt'), 'hello from the child context\n');
    const out = await buildOk(['-t', 'ob-child'], child);
    assert.match(out, /# Executing 2 build triggers/);
    assert.equal(await h.dockerOk(['run', '--rm', 'ob-child']), 'triggered\nhello from the child context');
    assert.ok(!((await inspectConfig('ob-child')).OnBuild as string[] | null)?.length, 'triggers are not inherited further');
  });

  it('.dockerignore keeps files out of COPY . (both CLIs)', async () => {
    const dir = path.join(work, 'ignore');
    await fs.mkdir(path.join(dir, 'notes'), { recursive: true });
    await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox\nCOPY . /ctx/\nCMD ["find", "/ctx", "-type", "f"]\n');
    await fs.writeFile(path.join(dir, '.dockerignore'), 'secret.txt\nnotes/\n');
    await fs.writeFile(path.join(dir, 'app.txt'), 'app\n');
    await fs.writeFile(path.join(dir, 'secret.txt'), 'secret\n');
    await fs.writeFile(path.join(dir, 'notes', 'n.txt'), 'n\n');
    for (const cli of ['new', 'old'] as const) {
      const res = await build(['-t', `ignore:${cli}`], dir, cli);
      assert.equal(res.exitCode, 0, res.stdout + res.stderr);
      const files = (await h.dockerOk(['run', '--rm', `ignore:${cli}`])).split('\n').sort();
      assert.ok(files.includes('/ctx/app.txt'), files.join(','));
      assert.ok(!files.includes('/ctx/secret.txt') && !files.some((f) => f.startsWith('/ctx/notes')), files.join(','));
    }
  });

  it('a failing RUN stops the build with its exit code and output', async () => {
    const dir = path.join(work, 'fail');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox\nRUN echo before-the-failure && exit 3\nRUN echo never\n');
    const res = await build(['-t', 'fail'], dir);
    assert.equal(res.exitCode, 3, res.stdout + res.stderr);
    assert.match(res.stdout, /before-the-failure/);
    assert.doesNotMatch(res.stdout, /never/);
    assert.match(res.stderr, /Dockerfile:2: The command '\/bin\/sh -c echo before-the-failure && exit 3' returned a non-zero code: 3/);
    // classic builder semantics: --rm (the default) removes intermediate containers only after a
    // successful build, so the failed step's container stays for docker logs; --force-rm removes it too
    const kept = (await h.dockerOk(['ps', '-a', '--format', '{{.Status}}'])).split('\n').filter(Boolean);
    assert.equal(kept.length, 1, `the failed step's container is kept: ${kept.join('|')}`);
    assert.match(kept[0]!, /^Exited \(3\)/);
    await h.removeAllContainers();
    const forced = await build(['--force-rm', '-t', 'fail'], dir);
    assert.equal(forced.exitCode, 3);
    assert.match(forced.stdout, /Removing intermediate container [0-9a-f]{12}/);
    assert.equal((await h.dockerOk(['ps', '-aq'])).trim(), '', '--force-rm leaves no intermediate container');
  });

  it('--rm=false keeps every intermediate container; --pull only warns', async () => {
    const dir = path.join(work, 'norm');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox\nRUN echo one > /one\nRUN echo two > /two\n');
    const out = await buildOk(['--rm=false', '--no-cache', '--pull', '-t', 'norm'], dir);
    assert.doesNotMatch(out, /Removing intermediate container/);
    assert.match(out, /--pull is ignored/);
    assert.equal((await h.dockerOk(['ps', '-aq'])).split('\n').filter(Boolean).length, 2);
    await h.removeAllContainers();
    const again = await buildOk(['--no-cache', '-t', 'norm'], dir);
    assert.equal((again.match(/Removing intermediate container/g) ?? []).length, 2);
    assert.equal((await h.dockerOk(['ps', '-aq'])).trim(), '');
  });

  it('--platform with an OS other than linux is refused as dockerd 20.10 refuses it; linux/amd64 builds', async () => {
    const dir = path.join(work, 'platform');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'hello.wasm'), Buffer.from('0061736d01000000', 'hex'));
    await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY hello.wasm /hello.wasm\n');
    const wasi = await build(['--platform', 'wasi/wasm', '-t', 'platform-wasi'], dir);
    assert.notEqual(wasi.exitCode, 0, wasi.stdout);
    assert.match(wasi.stderr, /Error response from daemon: operating system is not supported/);
    assert.equal((await h.docker(['image', 'inspect', 'platform-wasi'])).exitCode, 1, 'no image is built for wasi/wasm');
    await buildOk(['--platform', 'linux/amd64', '-t', 'platform-linux'], dir);
    assert.equal((await h.dockerOk(['image', 'inspect', '-f', '{{.Os}}', 'platform-linux'])).trim(), 'linux');
  });

  it('docker builder prune clears the build cache and what failed builds left; images built stay', async () => {
    const dir = path.join(work, 'prune');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox\nRUN head -c 200000 /dev/zero > /blob\nRUN exit 7\n');
    assert.equal((await build(['--force-rm'], dir)).exitCode, 7);
    await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox\nRUN echo x > /x\nCMD ["cat", "/x"]\n');
    await buildOk(['-t', 'prune-keep'], dir);
    assert.match(await buildOk(['-t', 'prune-keep'], dir), /Using cache/);
    const before = (await h.dockerOk(['images', '-aq'])).split('\n').filter(Boolean);

    const pruned = await h.dockerOk(['builder', 'prune', '-f'], { env: CLASSIC });
    const m = /Total reclaimed space:\s*([\d.]+)(\w+)/.exec(pruned);
    assert.ok(m && m[2] === 'kB' && Number(m[1]) >= 200, `the failed build's 200 kB layer is reclaimed: ${pruned}`);
    await assert.rejects(fs.access(path.join(h.root, 'build', 'cache.json')));
    const after = (await h.dockerOk(['images', '-aq'])).split('\n').filter(Boolean);
    assert.equal(after.length, before.length - 1, 'only the failed build\'s intermediate image is gone');
    assert.equal(await h.dockerOk(['run', '--rm', 'prune-keep']), 'x');
    assert.doesNotMatch(await buildOk(['-t', 'prune-keep'], dir), /Using cache/);
  });

  it('a Dockerfile error names file:line, a COPY of a missing file fails', async () => {
    const dir = path.join(work, 'bad');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox\nRUN --mount=type=cache,target=/x true\n');
    let res = await build(['-t', 'bad'], dir);
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /Dockerfile:2: RUN --mount is not supported by the classic builder/);
    await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox\nCOPY ../outside /x\n');
    res = await build(['-t', 'bad'], dir);
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /outside the build context/);
  });

  it('docker commit and docker diff', async () => {
    await h.dockerOk(['run', '--name', 'cm', 'busybox', 'sh', '-c', 'mkdir /data && echo hi > /data/f && rm /bin/vi']);
    const diff = (await h.dockerOk(['diff', 'cm'])).split('\n');
    assert.ok(diff.includes('A /data/f'), diff.join('|'));
    assert.ok(diff.includes('D /bin/vi'), diff.join('|'));
    await h.dockerOk(['commit', '-c', 'CMD ["cat", "/data/f"]', '-m', 'installed data', 'cm', 'cm:snap']);
    assert.equal(await h.dockerOk(['run', '--rm', 'cm:snap']), 'hi');
    assert.notEqual((await h.docker(['run', '--rm', 'cm:snap', 'ls', '/bin/vi'])).exitCode, 0, 'the deletion is in the layer');
    const history = await h.dockerOk(['history', '--format', '{{.Comment}}', 'cm:snap']);
    assert.match(history, /installed data/);
    await h.dockerOk(['rm', 'cm']);
  });
});
