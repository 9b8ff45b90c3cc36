import assert from 'node:assert/strict';
import { selectContainers } from '../../../../src/engine/containers/list-filters.js';
import { record } from './fixtures.js';

const running = record({ Id: 'aaaa'.repeat(16), Name: '/web', Created: '2026-11-23T10:00:03Z', Config: { Labels: { app: 'shop', tier: 'front' } }, State: { ...record({ Id: 'x' }).State, Status: 'running' } });
const exited0 = record({ Id: 'bbbb'.repeat(16), Name: '/job', Created: '2026-11-23T10:00:02Z', ImageRef: 'debian:bookworm-slim', ImageId: 'sha256:' + 'd'.repeat(64), State: { ...record({ Id: 'x' }).State, Status: 'exited', ExitCode: 0 } });
const exited1 = record({ Id: 'cccc'.repeat(16), Name: '/web-old', Created: '2026-11-23T10:00:01Z', State: { ...record({ Id: 'x' }).State, Status: 'exited', ExitCode: 1 } });
const created = record({ Id: 'dddd'.repeat(16), Name: '/new', Created: '2026-11-23T10:00:04Z' });
const all = [exited1, running, created, exited0];
const ids = (rs: Array<{ Id: string }>) => rs.map((r) => r.Id.slice(0, 4));

describe('docker ps selection', () => {
  it('shows running containers only, unless all; newest first', () => {
    assert.deepEqual(ids(selectContainers(all, { all: false, filters: {} })), ['aaaa']);
    assert.deepEqual(ids(selectContainers(all, { all: true, filters: {} })), ['dddd', 'aaaa', 'bbbb', 'cccc']);
  });

  it('limit (docker ps -n / --last) includes stopped containers', () => {
    assert.deepEqual(ids(selectContainers(all, { all: false, limit: 2, filters: {} })), ['dddd', 'aaaa']);
  });

  it('filters by status, name (a regular expression), id prefix and label', () => {
    assert.deepEqual(ids(selectContainers(all, { all: false, filters: { status: ['exited'] } })), ['bbbb', 'cccc']);
    assert.deepEqual(ids(selectContainers(all, { all: true, filters: { name: ['web'] } })), ['aaaa', 'cccc']);
    assert.deepEqual(ids(selectContainers(all, { all: true, filters: { name: ['^/web$'] } })), ['aaaa']);
    assert.deepEqual(ids(selectContainers(all, { all: true, filters: { name: ['^web$'] } })), ['aaaa'], 'dockerd also matches the name without its slash');
    assert.deepEqual(ids(selectContainers(all, { all: true, filters: { id: ['bb'] } })), ['bbbb']);
    assert.deepEqual(ids(selectContainers(all, { all: true, filters: { label: ['app=shop'] } })), ['aaaa']);
    assert.deepEqual(ids(selectContainers(all, { all: true, filters: { label: ['tier', 'app=other'] } })), []);
  });

  it('filters by ancestor image (name, name:tag or id prefix) and exit code', () => {
    assert.deepEqual(ids(selectContainers(all, { all: true, filters: { ancestor: ['debian:bookworm-slim'] } })), ['bbbb']);
    assert.deepEqual(ids(selectContainers(all, { all: true, filters: { ancestor: ['busybox:latest'] } })), ['dddd', 'aaaa', 'cccc']);
    assert.deepEqual(ids(selectContainers(all, { all: true, filters: { ancestor: ['dddd'] } })), ['bbbb']);
    assert.deepEqual(ids(selectContainers(all, { all: false, filters: { exited: ['1'] } })), ['cccc']);
  });

  it('refuses unknown filters and statuses with Docker\'s words', () => {
    assert.throws(() => selectContainers(all, { all: true, filters: { colour: ['red'] } }), { code: 'INVALID_ARGUMENT', message: "invalid filter 'colour'" });
    assert.throws(() => selectContainers(all, { all: true, filters: { status: ['sleeping'] } }), /invalid filter 'status=sleeping'/);
  });

  it('health= picks by health status, "none" without a healthcheck, and refuses other values in dockerd\'s words', () => {
    const withHealth = (r: typeof running, Status: 'starting' | 'healthy' | 'unhealthy') => ({ ...r, State: { ...r.State, Health: { Status, FailingStreak: 0, Log: [] } } });
    const list = [withHealth(running, 'unhealthy'), withHealth(exited0, 'healthy'), created];
    assert.deepEqual(ids(selectContainers(list, { all: false, filters: { health: ['unhealthy'] } })), ['aaaa']);
    assert.deepEqual(ids(selectContainers(list, { all: false, filters: { health: ['healthy'] } })), [], 'health= alone does not show stopped containers');
    assert.deepEqual(ids(selectContainers(list, { all: true, filters: { health: ['healthy'] } })), ['bbbb']);
    assert.deepEqual(ids(selectContainers(list, { all: true, filters: { health: ['none'] } })), ['dddd']);
    assert.deepEqual(ids(selectContainers(list, { all: true, filters: { health: ['healthy', 'unhealthy'] } })), ['aaaa', 'bbbb']);
    assert.throws(() => selectContainers(list, { all: true, filters: { health: ['bogus'] } }), /^AppError: Unrecognised filter value for health: bogus$/);
  });

  it('volume= picks containers by the name of a volume, the host source of a bind, or a container path (dockerd 20.10)', () => {
    const vol = { Type: 'volume' as const, Name: 'data', Source: '/v/data/_data', Destination: '/srv', Driver: 'local', Mode: '', RW: true, Propagation: '' };
    const bind = { Type: 'bind' as const, Source: '/host', Destination: '/etc/app', Mode: '', RW: true, Propagation: 'rprivate' };
    const list = [{ ...running, mountPoints: [vol] }, { ...exited0, mountPoints: [bind] }, created];
    assert.deepEqual(ids(selectContainers(list, { all: true, filters: { volume: ['data'] } })), ['aaaa']);
    assert.deepEqual(ids(selectContainers(list, { all: true, filters: { volume: ['/etc/app'] } })), ['bbbb']);
    assert.deepEqual(ids(selectContainers(list, { all: true, filters: { volume: ['data', '/etc/app'] } })), ['aaaa', 'bbbb']);
    assert.deepEqual(ids(selectContainers(list, { all: true, filters: { volume: ['/host'] } })), ['bbbb'], 'a bind counts by its host source');
    assert.deepEqual(ids(selectContainers(list, { all: true, filters: { volume: ['/v/data/_data'] } })), [], 'a volume counts by its name, not its folder');
  });
});
