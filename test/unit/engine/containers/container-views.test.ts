import assert from 'node:assert/strict';
import { toInspect, toSummary } from '../../../../src/engine/containers/container-views.js';
import { withoutInitLayer } from '../../../../src/engine/containers/rootfs-access.js';
import { record } from './fixtures.js';

const ID = 'e'.repeat(64);
const files = { hostnamePath: '/c/hostname', hostsPath: '/c/hosts', resolvConfPath: '/c/resolv.conf', logPath: `/c/${ID}-json.log` };

describe('docker ps and inspect shapes', () => {
  const r = record({
    Id: ID,
    Name: '/web',
    HostConfig: { NetworkMode: 'none', Memory: 16777216 },
    State: { Status: 'exited', Pid: 0, ExitCode: 137, Error: '', OOMKilled: true, StartedAt: '2026-11-23T10:00:00Z', FinishedAt: '2026-11-23T10:01:00Z' },
  });

  it('summary has Docker\'s fields', () => {
    const s = toSummary(r, Date.parse('2026-11-23T10:03:00Z'));
    assert.deepEqual(
      { Id: s.Id, Names: s.Names, Image: s.Image, Command: s.Command, State: s.State, Status: s.Status, Ports: s.Ports, HostConfig: s.HostConfig },
      { Id: ID, Names: ['/web'], Image: 'busybox', Command: 'sh -c echo hi', State: 'exited', Status: 'Exited (137) 2 minutes ago', Ports: [], HostConfig: { NetworkMode: 'none' } },
    );
    assert.equal(s.Created, Date.parse('2026-11-23T10:00:00Z') / 1000);
  });

  it('inspect has State, paths, GraphDriver and HostConfig defaults', () => {
    const snap = { key: ID, lowerdirs: ['/l2', '/l1'], upperdir: '/u', workdir: '/w', rootfs: '/m', mounts: [] };
    const i = toInspect(r, files, snap, []) as Record<string, any>;
    assert.deepEqual(i.State, { Status: 'exited', Running: false, Paused: false, Restarting: false, OOMKilled: true, Dead: false, Pid: 0, ExitCode: 137, Error: '', StartedAt: '2026-11-23T10:00:00Z', FinishedAt: '2026-11-23T10:01:00Z' });
    assert.equal(i.Path, 'sh');
    assert.deepEqual(i.Args, ['-c', 'echo hi']);
    assert.equal(i.LogPath, files.logPath);
    assert.deepEqual(i.GraphDriver, { Name: 'overlay2', Data: { LowerDir: '/l2:/l1', UpperDir: '/u', WorkDir: '/w', MergedDir: '/m' } });
    assert.equal(i.HostConfig.Memory, 16777216);
    assert.deepEqual(i.HostConfig.RestartPolicy, { Name: 'no', MaximumRetryCount: 0 });
    assert.equal(i.HostConfig.LogConfig.Type, 'json-file');
    assert.ok('none' in i.NetworkSettings.Networks);
    assert.equal(i.ExecIDs, null);
  });

  it('docker diff leaves out what Docker keeps in its init layer', () => {
    const changes = withoutInitLayer([
      { Path: '/etc', Kind: 0 },
      { Path: '/etc/hostname', Kind: 1 },
      { Path: '/etc/hosts', Kind: 1 },
      { Path: '/proc', Kind: 1 },
      { Path: '/tmp', Kind: 0 },
      { Path: '/tmp/x', Kind: 1 },
    ]);
    assert.deepEqual(changes, [{ Path: '/tmp', Kind: 0 }, { Path: '/tmp/x', Kind: 1 }]);
    assert.deepEqual(withoutInitLayer([{ Path: '/etc', Kind: 0 }, { Path: '/etc/group', Kind: 2 }]), [{ Path: '/etc', Kind: 0 }, { Path: '/etc/group', Kind: 2 }]);
  });
});
