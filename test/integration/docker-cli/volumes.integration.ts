// The real docker CLI against boxlabd: named volumes (persisting after rm), binds (read-only too),
// --mount, --tmpfs, --volumes-from, rm -v, and the volume commands.
import assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { useEngine } from '../../helpers/engine-suite.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';

const GOLDEN = path.join(REPO_ROOT, 'test/fixtures/docker-cli-golden/cli/command/volume/testdata');

describe('docker CLI: volumes', function () {
  this.timeout(60_000);
  const engine = useEngine({ removeAfterEach: 'containers' });

  it('docker volume create, ls, inspect, rm', async () => {
    assert.equal(await engine.dockerOk(['volume', 'create', '--label', 'team=a', 'vol-a']), 'vol-a');
    const ls = await engine.dockerOk(['volume', 'ls']);
    const golden = readFileSync(path.join(GOLDEN, 'volume-list-without-format.golden'), 'utf8').split('\n')[0];
    assert.deepEqual(ls.split('\n')[0].split(/\s+/), golden.split(/\s+/));
    assert.match(ls, /^local\s+vol-a$/m);
    const [v] = JSON.parse(await engine.dockerOk(['volume', 'inspect', 'vol-a']));
    assert.equal(v.Driver, 'local');
    assert.deepEqual(v.Labels, { team: 'a' });
    assert.ok(String(v.Mountpoint).startsWith(engine.root));
    assert.equal(await engine.dockerOk(['volume', 'rm', 'vol-a']), 'vol-a');
    const gone = await engine.docker(['volume', 'inspect', 'vol-a']);
    assert.notEqual(gone.exitCode, 0);
    assert.match(gone.stderr, /no such volume/);
  });

  it('a named volume keeps its data after the container is removed', async () => {
    await engine.dockerOk(['run', '--rm', '-v', 'vol-data:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f']);
    assert.equal(await engine.dockerOk(['run', '--rm', '-v', 'vol-data:/data', 'busybox', 'cat', '/data/f']), 'kept');
    const [m] = JSON.parse(await engine.dockerOk(['volume', 'inspect', 'vol-data']));
    assert.equal(await fs.readFile(path.join(m.Mountpoint, 'f'), 'utf8'), 'kept\n');
  });

  it('bind mounts, read-only binds and --mount', async () => {
    const dir = path.join(engine.dir, 'bind-src');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'hello.txt'), 'from host\n');
    assert.equal(await engine.dockerOk(['run', '--rm', '-v', `${dir}:/mnt`, 'busybox', 'sh', '-c', 'cat /mnt/hello.txt; echo back > /mnt/back.txt']), 'from host');
    assert.equal(await fs.readFile(path.join(dir, 'back.txt'), 'utf8'), 'back\n');
    const ro = await engine.docker(['run', '--rm', '-v', `${dir}:/mnt:ro`, 'busybox', 'touch', '/mnt/x']);
    assert.notEqual(ro.exitCode, 0);
    assert.match(ro.stderr, /Read-only file system/);
    assert.equal(
      await engine.dockerOk(['run', '--rm', '--mount', `type=bind,source=${dir},target=/m,readonly`, 'busybox', 'cat', '/m/hello.txt']),
      'from host',
    );
    assert.equal(await engine.dockerOk(['run', '--rm', '--mount', 'type=volume,source=vol-m,target=/v', 'busybox', 'sh', '-c', 'echo ok > /v/f && cat /v/f']), 'ok');
  });

  it('--tmpfs mounts a tmpfs', async () => {
    const out = await engine.dockerOk(['run', '--rm', '--tmpfs', '/scratch', 'busybox', 'sh', '-c', 'grep " /scratch " /proc/mounts']);
    assert.match(out, /^tmpfs \/scratch tmpfs /);
  });

  it('--volumes-from shares another container\'s volumes', async () => {
    await engine.dockerOk(['run', '--name', 'vol-owner', '-v', 'vol-shared:/shared', 'busybox', 'sh', '-c', 'echo shared > /shared/f']);
    assert.equal(await engine.dockerOk(['run', '--rm', '--volumes-from', 'vol-owner', 'busybox', 'cat', '/shared/f']), 'shared');
    const [c] = JSON.parse(await engine.dockerOk(['inspect', 'vol-owner']));
    assert.deepEqual(
      c.Mounts.map((m: { Type: string; Name: string; Destination: string; RW: boolean }) => [m.Type, m.Name, m.Destination, m.RW]),
      [['volume', 'vol-shared', '/shared', true]],
    );
    const inUse = await engine.docker(['volume', 'rm', 'vol-shared']);
    assert.notEqual(inUse.exitCode, 0);
    // as dockerd 20.10: the full id of the (stopped) container that holds it
    assert.match(inUse.stderr, new RegExp(`remove vol-shared: volume is in use - \\[${c.Id}\\]`));
    // which container is it? docker ps -a --filter volume= answers, as dockerd does
    assert.equal(await engine.dockerOk(['ps', '-a', '--filter', 'volume=vol-shared', '--format', '{{.Names}}']), 'vol-owner');
    assert.equal(await engine.dockerOk(['ps', '-a', '--filter', 'volume=/shared', '--format', '{{.Names}}']), 'vol-owner');
    await engine.dockerOk(['rm', 'vol-owner']);
  });

  it('an anonymous volume shared with --volumes-from goes with the last container removed with rm -v', async () => {
    // dockerd 20.10: the borrowed mount keeps its empty source, so it stays anonymous in every borrower
    await engine.dockerOk(['create', '--name', 'vol-dbdata', '-v', '/dbdata', 'busybox']);
    await engine.dockerOk(['run', '-d', '--name', 'vol-db1', '--volumes-from', 'vol-dbdata', 'busybox', 'sleep', '600']);
    await engine.dockerOk(['run', '-d', '--name', 'vol-db3', '--volumes-from', 'vol-db1:ro', 'busybox', 'sleep', '600']);
    const [owner, reader] = JSON.parse(await engine.dockerOk(['inspect', 'vol-dbdata', 'vol-db3']));
    const anon = owner.Mounts[0].Name as string;
    assert.deepEqual([reader.Mounts[0].Name, reader.Mounts[0].RW, reader.Mounts[0].Mode], [anon, false, ''], 'Mode stays the source\'s, as dockerd');
    const volumes = async () => (await engine.dockerOk(['volume', 'ls', '-q'])).split('\n');
    await engine.dockerOk(['rm', '-v', 'vol-dbdata']);
    await engine.dockerOk(['rm', '-fv', 'vol-db1']);
    assert.ok((await volumes()).includes(anon), 'still used by vol-db3');
    await engine.dockerOk(['rm', '-fv', 'vol-db3']);
    assert.ok(!(await volumes()).includes(anon), 'the last user took it along');
  });

  it('docker rm -v removes anonymous volumes; volume prune removes unused ones', async () => {
    await engine.dockerOk(['run', '--name', 'vol-anon', '-v', '/anon', 'busybox', 'true']);
    const [c] = JSON.parse(await engine.dockerOk(['inspect', 'vol-anon']));
    const anon = c.Mounts[0].Name as string;
    assert.match(anon, /^[0-9a-f]{64}$/);
    await engine.dockerOk(['rm', '-v', 'vol-anon']);
    assert.doesNotMatch(await engine.dockerOk(['volume', 'ls', '-q']), new RegExp(anon));
    const pruned = await engine.dockerOk(['volume', 'prune', '-f']);
    assert.match(pruned, /vol-data/);
    assert.equal(await engine.dockerOk(['volume', 'ls', '-q']), '');
  });
});
