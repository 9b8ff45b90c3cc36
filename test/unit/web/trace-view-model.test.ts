import assert from 'node:assert/strict';
import { humanSize, phaseOf, removedObjects, seeItYourself, shortObjectId, tidyText } from '../../../src/web/client/trace-view-model.js';

describe('trace panel view model', () => {
  it('puts each step in its phase of docker run', () => {
    assert.equal(phaseOf('image.resolve'), 'image');
    assert.equal(phaseOf('layer.unpack'), 'image');
    assert.equal(phaseOf('snapshot.prepare'), 'storage');
    assert.equal(phaseOf('mount.overlay'), 'storage');
    assert.equal(phaseOf('network.veth'), 'network');
    assert.equal(phaseOf('namespace.network'), 'network');
    assert.equal(phaseOf('spec.write'), 'spec');
    assert.equal(phaseOf('cgroup.limits'), 'spec');
    assert.equal(phaseOf('runc.run'), 'runc');
    assert.equal(phaseOf('process.exit'), 'exit');
    assert.equal(phaseOf('mount.unmount'), 'exit');
    assert.equal(phaseOf('network.release'), 'exit');
    assert.equal(phaseOf('cleanup'), 'exit');
  });

  it('knows which containers were removed (their story ends with a removal)', () => {
    const events = [
      { objectId: 'c1', step: 'runc.run', details: {} },
      { objectId: 'c1', step: 'cleanup', details: { what: 'container web removed', removed: true } },
      { objectId: 'c2', step: 'cleanup', details: { what: 'mounts' } },
    ];
    assert.deepEqual([...removedObjects(events)], ['c1']);
  });

  it('shows ids as Docker does', () => {
    assert.equal(shortObjectId(`sha256:${'0a9b6ebf9f9a'}${'c'.repeat(52)}`), '0a9b6ebf9f9a');
    assert.equal(shortObjectId('d'.repeat(64)), 'dddddddddddd');
    assert.equal(shortObjectId('my-volume'), 'my-volume');
  });

  it('shows sizes as people read them', () => {
    assert.equal(humanSize(67108864), '64 MiB');
    assert.equal(humanSize(1536), '1.5 KiB');
    assert.equal(humanSize(512), '512 B');
  });

  it('cuts 64-hex ids to 12 and byte counts to sizes, in both languages', () => {
    const id = 'a'.repeat(12) + 'b'.repeat(52);
    assert.equal(tidyText(`resolved image "busybox" to sha256:${id}`), 'resolved image "busybox" to sha256:aaaaaaaaaaaa');
    assert.equal(tidyText(`memory limit 67108864 bytes`), 'memory limit 64 MiB');
    assert.equal(tidyText(`with a new 2132480-byte layer`), 'with a new 2 MiB layer');
    assert.equal(tidyText('新增 2132480 字节的层'), '新增 2 MiB 的层');
    assert.equal(tidyText('pid 4242 started'), 'pid 4242 started');
  });

  it('gives a command to see each kernel object for yourself, quoted for the shell', () => {
    assert.equal(seeItYourself('spec.write', { path: '/var/lib/boxlab/containers/x/config.json' }, 'x'), 'cat /var/lib/boxlab/containers/x/config.json');
    assert.equal(seeItYourself('network.rule', { table: 'nat', rule: 'iptables -t nat -A BOXLAB-DNAT -p tcp --dport 8080 -j DNAT' }, 'x'), 'iptables -t nat -S BOXLAB-DNAT');
    assert.equal(seeItYourself('cgroup.limits', { cgroupsPath: '/boxlab/abc', version: 'v2' }, 'x'), 'cat /sys/fs/cgroup/boxlab/abc/memory.max /sys/fs/cgroup/boxlab/abc/pids.max');
    assert.equal(seeItYourself('cgroup.limits', { cgroupsPath: '/boxlab/abc', version: 'v1' }, 'x'), 'cat /sys/fs/cgroup/memory/boxlab/abc/memory.limit_in_bytes /sys/fs/cgroup/pids/boxlab/abc/pids.max');
    assert.equal(seeItYourself('runc.run', { args: ['runc', '--root', '/run/boxlab/runc', 'run', 'x'] }, 'x'), 'runc --root /run/boxlab/runc state x');
    assert.equal(seeItYourself('mount.overlay', { target: "/tmp/it's here" }, 'x'), `findmnt '/tmp/it'\\''s here'`);
    assert.equal(seeItYourself('image.resolve', {}, 'x'), undefined);
  });
});
