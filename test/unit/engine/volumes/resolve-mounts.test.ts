import assert from 'node:assert/strict';
import { resolveMounts, type ResolveMountsInput } from '../../../../src/engine/volumes/resolve-mounts.js';
import { isAppError } from '../../../../src/core/errors.js';
import type { MountPoint } from '../../../../src/engine/docker-model.js';

const VOL = '/var/lib/boxlab/volumes';

function input(overrides: Partial<ResolveMountsInput> = {}): ResolveMountsInput {
  let n = 0;
  return {
    volumesDir: VOL,
    exists: (p) => p.startsWith('/srv'),
    newVolumeName: () => `anon${++n}`.padEnd(64, '0'),
    ...overrides,
  };
}
const anon = (i: number) => `anon${i}`.padEnd(64, '0');

describe('resolveMounts', () => {
  it('-v data:/data is a named volume: rbind of its _data, Mode z, created and copied up', () => {
    const r = resolveMounts(input({ binds: ['data:/data'] }));
    assert.deepEqual(r.oci, [{ destination: '/data', type: 'bind', source: `${VOL}/data/_data`, options: ['rbind', 'rprivate'] }]);
    assert.deepEqual(r.mountPoints, [{ Type: 'volume', Name: 'data', Source: `${VOL}/data/_data`, Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' }]);
    assert.deepEqual(r.volumesToCreate, ['data']);
    assert.deepEqual(r.anonymousVolumes, []);
    assert.deepEqual(r.copyUp, [{ volume: 'data', destination: '/data' }]);
  });

  it('-v /srv/www:/usr/share/nginx/html:ro is a read-only bind; a missing -v source is created', () => {
    const r = resolveMounts(input({ binds: ['/srv/www:/usr/share/nginx/html:ro', '/opt/new:/new'] }));
    assert.deepEqual(r.oci[0], { destination: '/usr/share/nginx/html', type: 'bind', source: '/srv/www', options: ['rbind', 'rprivate', 'ro'] });
    assert.deepEqual(r.mountPoints[0], { Type: 'bind', Source: '/srv/www', Destination: '/usr/share/nginx/html', Mode: 'ro', RW: false, Propagation: 'rprivate' });
    assert.deepEqual(r.bindSourcesToCreate, ['/opt/new']);
    assert.deepEqual(r.copyUp, [], 'binds are never copied up');
  });

  it('-v /data alone is an anonymous volume', () => {
    const r = resolveMounts(input({ binds: ['/data'] }));
    assert.deepEqual(r.volumesToCreate, [anon(1)]);
    assert.deepEqual(r.anonymousVolumes, [anon(1)]);
    assert.equal(r.mountPoints[0].Name, anon(1));
  });

  it("Docker's errors for bad -v specs", () => {
    assert.throws(() => resolveMounts(input({ binds: ['./x:/x'] })), (e) => isAppError(e, 'INVALID_ARGUMENT') && /"\.\/x" includes invalid characters for a local volume name/.test(e.message));
    assert.throws(() => resolveMounts(input({ binds: ['data:rel'] })), /mount path must be absolute/);
    assert.throws(() => resolveMounts(input({ binds: ['data:/x:bogus'] })), /invalid mode: bogus/);
    assert.throws(() => resolveMounts(input({ binds: ['a:b:c:d'] })), /invalid volume specification/);
  });

  it('--mount type=bind: relative and missing sources are errors (no folder is created)', () => {
    assert.throws(
      () => resolveMounts(input({ mounts: [{ Type: 'bind', Source: 'x', Target: '/x' }] })),
      (e) => isAppError(e, 'INVALID_ARGUMENT') && e.message === `invalid mount config for type "bind": invalid mount path: 'x' mount path must be absolute`,
    );
    assert.throws(
      () => resolveMounts(input({ mounts: [{ Type: 'bind', Source: '/nope', Target: '/x' }] })),
      (e) => isAppError(e, 'INVALID_ARGUMENT') && /bind source path does not exist: \/nope$/.test(e.message),
    );
    const ok = resolveMounts(input({ mounts: [{ Type: 'bind', Source: '/srv/a', Target: '/a', ReadOnly: true, BindOptions: { Propagation: 'rslave' } }] }));
    assert.deepEqual(ok.oci[0].options, ['rbind', 'rslave', 'ro']);
    assert.equal(ok.mountPoints[0].Propagation, 'rslave');
  });

  it('--mount type=volume (named, anonymous, nocopy) and type=tmpfs with size and mode', () => {
    const r = resolveMounts(
      input({
        mounts: [
          { Type: 'volume', Source: 'db', Target: '/db', VolumeOptions: { NoCopy: true } },
          { Type: 'volume', Target: '/cache' },
          { Type: 'tmpfs', Target: '/scratch', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1777 } },
        ],
      }),
    );
    assert.deepEqual(r.volumesToCreate, ['db', anon(1)]);
    assert.deepEqual(r.anonymousVolumes, [anon(1)]);
    assert.deepEqual(r.copyUp, [{ volume: anon(1), destination: '/cache' }]);
    assert.deepEqual(r.oci[2], { destination: '/scratch', type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', 'size=1048576', 'mode=1777'] });
    assert.equal(r.mountPoints[2].Type, 'tmpfs');
  });

  it('--tmpfs /run:rw,size=64m,exec keeps the other defaults, and is not in inspect Mounts', () => {
    const r = resolveMounts(input({ tmpfs: { '/run': 'rw,size=64m,exec' } }));
    assert.deepEqual(r.oci, [{ destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'rw', 'size=64m', 'exec'] }]);
    assert.deepEqual(r.mountPoints, []);
  });

  it('image VOLUMEs become anonymous volumes unless something else is mounted there', () => {
    const r = resolveMounts(input({ imageVolumes: { '/var/lib/mysql': {}, '/data/': {} }, binds: ['mine:/data'] }));
    assert.deepEqual(r.mountPoints.map((m) => [m.Destination, m.Name]), [['/data', 'mine'], ['/var/lib/mysql', anon(1)]]);
    assert.deepEqual(r.anonymousVolumes, [anon(1)]);
  });

  it('a relative volume destination is refused, not mounted nowhere (`-v v:/d` read as a drive letter)', () => {
    assert.throws(() => resolveMounts(input({ imageVolumes: { 'v:/d': {} } })), {
      code: 'INVALID_ARGUMENT',
      message: `invalid volume specification: 'v:/d': invalid mount config for type "volume": invalid mount path: 'v:/d' mount path must be absolute`,
    });
  });

  it('-v and --mount at the same destination conflict', () => {
    assert.throws(() => resolveMounts(input({ binds: ['aa:/x'], mounts: [{ Type: 'volume', Source: 'bb', Target: '/x' }] })), /Duplicate mount point: \/x/);
  });

  it('--volumes-from other:ro shares its mounts read-only; -v replaces one at the same destination', () => {
    const other: MountPoint[] = [
      { Type: 'volume', Name: 'data', Source: `${VOL}/data/_data`, Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' },
      { Type: 'bind', Source: '/srv/logs', Destination: '/logs', Mode: '', RW: true, Propagation: 'rprivate' },
    ];
    const r = resolveMounts(input({ volumesFrom: ['web:ro'], otherContainers: { web: other }, binds: ['/srv/mine:/logs'] }));
    assert.deepEqual(r.oci[0], { destination: '/data', type: 'bind', source: `${VOL}/data/_data`, options: ['rbind', 'rprivate', 'ro'] });
    assert.equal(r.mountPoints[0].RW, false);
    assert.equal(r.oci[1].source, '/srv/mine');
    assert.deepEqual(r.volumesToCreate, ['data']);
    assert.deepEqual(r.copyUp, [], 'a shared volume is not copied up again');
    assert.deepEqual(r.anonymousVolumes, []);
    assert.throws(() => resolveMounts(input({ volumesFrom: ['ghost'] })), (e) => isAppError(e, 'NOT_FOUND') && e.message === 'No such container: ghost');
  });

  it('--volumes-from keeps an anonymous volume anonymous and the source\'s Mode', () => {
    const anon = 'a'.repeat(64);
    const other: MountPoint[] = [
      { Type: 'volume', Name: anon, Source: `${VOL}/${anon}/_data`, Destination: '/dbdata', Driver: 'local', Mode: '', RW: true, Propagation: '' },
      { Type: 'volume', Name: 'named', Source: `${VOL}/named/_data`, Destination: '/named', Driver: 'local', Mode: 'z', RW: true, Propagation: '' },
    ];
    const r = resolveMounts(input({ volumesFrom: ['db1:ro'], otherContainers: { db1: other }, otherAnonymous: { db1: [anon] } }));
    assert.deepEqual(r.anonymousVolumes, [anon], 'rm -v of the last borrower removes it, as dockerd');
    assert.deepEqual(r.mountPoints.map((m) => [m.Mode, m.RW]), [['', false], ['z', false]]);
  });
});
