// Stage 2, the bundle before runc: over a mounted rootfs (a folder here), the user from the container's
// own /etc/passwd, the /etc files, the network namespace from the network plane, config.json; and the
// undo of a start that failed (runc state, network, mount), each step even if one before it failed.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LiveTable } from '../../../../src/engine/containers/live-table.js';
import { mountRootfs, releaseBundle, writeBundle } from '../../../../src/engine/containers/prepare-bundle.js';
import type { RuntimeSpec } from '../../../../src/engine/oci-runtime-spec.js';
import { record } from './fixtures.js';
import { recordingStage } from './stage-deps.js';

describe('the bundle before runc (stage 2)', () => {
  let root: string;
  beforeEach(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-bundle-'))));
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  const prepared = async (stage: ReturnType<typeof recordingStage>, over: Parameters<typeof record>[0]) => {
    const live = new LiveTable(stage.deps.paths.containers).track(record(over));
    await fs.mkdir(live.files.dir, { recursive: true });
    const snap = await stage.deps.snapshotter.prepare(live.record.snapshotKey, []);
    await fs.mkdir(path.join(snap.rootfs, 'etc'), { recursive: true });
    await fs.writeFile(path.join(snap.rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nwww:x:33:33::/var/www:/bin/sh\n');
    await fs.writeFile(path.join(snap.rootfs, 'etc', 'group'), 'root:x:0:\nwww:x:33:\n');
    stage.calls.length = 0;
    return live;
  };

  it('mounts, looks up -u in the image, writes /etc files, attaches the network and writes config.json', async () => {
    const stage = recordingStage(root);
    const id = 'b'.repeat(64);
    const live = await prepared(stage, { Id: id, Name: '/web', Config: { Image: 'busybox', Hostname: 'web1' }, process: { args: ['sh'], env: ['PATH=/bin'], cwd: '/', userSpec: 'www', user: { uid: 0, gid: 0 } } });
    const rootfs = await mountRootfs(stage.deps, live.record);
    await writeBundle(stage.deps, { record: live.record, files: live.files, containerOf: async () => assert.fail('no container: network') }, rootfs);
    assert.deepEqual(stage.calls, ['mount bbbb', 'network.attach web']);
    assert.deepEqual(live.record.process.user, { uid: 33, gid: 33, additionalGids: [] });
    assert.equal(await fs.readFile(live.files.hostname, 'utf8'), 'web1\n');
    const spec = JSON.parse(await fs.readFile(live.files.spec, 'utf8')) as RuntimeSpec;
    assert.equal(spec.root?.path, rootfs);
    assert.ok(spec.process?.env?.includes('HOME=/var/www'));
    assert.deepEqual(spec.linux?.namespaces?.find((n) => n.type === 'network'), { type: 'network', path: path.join(root, 'netns', id) });
    assert.deepEqual(spec.mounts?.filter((m) => m.destination.startsWith('/etc/')).map((m) => [m.destination, m.source]), [
      ['/etc/hostname', live.files.hostname],
      ['/etc/hosts', live.files.hosts],
      ['/etc/resolv.conf', live.files.resolvConf],
    ]);
    assert.deepEqual(stage.tracer.events.map((e) => e.step), ['namespace.network', 'spec.write', 'cgroup.limits']);
    assert.deepEqual(stage.runner.calls, [], 'no process: runc comes later, with the shim');
  });

  it('--network container:<x> joins the running x\'s namespace; a stopped x is refused with a way out', async () => {
    const stage = recordingStage(root);
    const live = await prepared(stage, { Id: 'c'.repeat(64), HostConfig: { NetworkMode: 'container:db' } });
    const db = record({ Id: 'd'.repeat(64), Name: '/db', State: { Status: 'running', Pid: 555, ExitCode: 0, Error: '', OOMKilled: false, StartedAt: '', FinishedAt: '' } });
    const rootfs = await mountRootfs(stage.deps, live.record);
    await writeBundle(stage.deps, { record: live.record, files: live.files, containerOf: async () => db }, rootfs);
    const spec = JSON.parse(await fs.readFile(live.files.spec, 'utf8')) as RuntimeSpec;
    assert.deepEqual(spec.linux?.namespaces?.find((n) => n.type === 'network'), { type: 'network', path: '/proc/555/ns/net' });
    const stopped = { ...db, State: { ...db.State, Status: 'exited' as const, Pid: 0 } };
    await assert.rejects(writeBundle(stage.deps, { record: live.record, files: live.files, containerOf: async () => stopped }, rootfs), {
      code: 'FAILED_PRECONDITION',
      message: 'cannot join the network of a non running container: db',
    });
  });

  it('a container whose snapshot is gone is refused before anything is mounted', async () => {
    const stage = recordingStage(root);
    await assert.rejects(mountRootfs(stage.deps, record({ Id: 'e'.repeat(64) })), { code: 'INTERNAL' });
    assert.deepEqual(stage.calls, []);
  });

  it('releaseBundle: runc delete --force, the network, the unmount, each even if one before it failed', async () => {
    const stage = recordingStage(root);
    stage.runner.reply('runc', ['delete'], { exitCode: 1, stderr: 'boom' });
    const r = record({ Id: 'f'.repeat(64) });
    await releaseBundle(stage.deps, r, '/x/merged');
    assert.deepEqual(stage.runner.callsOf('runc'), [['--root', stage.deps.paths.runcRoot, 'delete', '--force', r.Id]]);
    assert.deepEqual(stage.calls, ['network.detach ffff', 'unmount /x/merged']);
  });
});
