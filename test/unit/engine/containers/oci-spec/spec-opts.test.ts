import assert from 'node:assert/strict';
import { defaultSpec } from '../../../../../src/engine/containers/oci-spec/default-spec.js';
import {
  withAnnotations,
  withCgroupsPath,
  withHostname,
  withInit,
  withMounts,
  withNamespaces,
  withPathOverrides,
  withProcess,
  withRootfs,
  withShmSize,
  withSysctls,
  withDefaultNetSysctls,
} from '../../../../../src/engine/containers/oci-spec/spec-opts.js';

describe('spec modifiers', () => {
  it('withProcess sets args, env, cwd, user with extra groups, terminal', () => {
    const base = defaultSpec();
    const s = withProcess(['nginx', '-g', 'daemon off;'], ['A=1'], '/srv', { uid: 33, gid: 33, additionalGids: [4] }, true)(base);
    assert.deepEqual(s.process.args, ['nginx', '-g', 'daemon off;']);
    assert.deepEqual(s.process.env, ['A=1']);
    assert.equal(s.process.cwd, '/srv');
    assert.deepEqual(s.process.user, { uid: 33, gid: 33, additionalGids: [4] });
    assert.equal(s.process.terminal, true);
    assert.deepEqual(base.process.args, [], 'the input spec is not changed');
    assert.equal(withProcess(['x'], [], '', { uid: 0, gid: 0 }, false)(base).process.cwd, '/');
    assert.equal(withProcess(['x'], [], '/', { uid: 0, gid: 0, additionalGids: [] }, false)(base).process.user.additionalGids, undefined);
  });

  it('withHostname and withRootfs', () => {
    const s = withRootfs('/x/merged', true)(withHostname('web', 'example.org')(defaultSpec()));
    assert.equal(s.hostname, 'web');
    assert.equal(s.domainname, 'example.org');
    assert.deepEqual(s.root, { path: '/x/merged', readonly: true });
  });

  it('withShmSize changes the /dev/shm size, 0 keeps 64m', () => {
    const shm = (s: ReturnType<typeof defaultSpec>) => s.mounts.find((m) => m.destination === '/dev/shm')!.options!.filter((o) => o.startsWith('size='));
    assert.deepEqual(shm(withShmSize(128 * 1024 * 1024)(defaultSpec())), ['size=134217728']);
    assert.deepEqual(shm(withShmSize(0)(defaultSpec())), ['size=67108864']);
  });

  it('withMounts appends mounts parents first and replaces a default at the same destination', () => {
    const s = withMounts([
      { destination: '/data/sub', type: 'bind', source: '/a', options: ['rbind'] },
      { destination: '/data', type: 'bind', source: '/b', options: ['rbind'] },
      { destination: '/dev/shm/', type: 'tmpfs', source: 'tmpfs', options: ['size=1m'] },
    ])(defaultSpec());
    const dests = s.mounts.map((m) => m.destination);
    assert.equal(dests.filter((d) => d.startsWith('/dev/shm')).length, 1, 'one /dev/shm');
    assert.ok(dests.indexOf('/data') < dests.indexOf('/data/sub'));
    assert.ok(dests.indexOf('/proc') < dests.indexOf('/data'));
  });

  it('withNamespaces: none = own netns, host = no netns entry, path = join it; pid/ipc/uts host', () => {
    const net = (s: ReturnType<typeof defaultSpec>) => s.linux.namespaces.filter((n) => n.type === 'network');
    assert.deepEqual(net(withNamespaces({ mode: 'none' })(defaultSpec())), [{ type: 'network' }]);
    assert.deepEqual(net(withNamespaces({ mode: 'host' })(defaultSpec())), []);
    assert.deepEqual(net(withNamespaces({ mode: 'path', path: '/run/netns/x' })(defaultSpec())), [{ type: 'network', path: '/run/netns/x' }]);
    const s = withNamespaces({ mode: 'none' }, { pid: 'host', uts: 'host' })(withHostname('h')(defaultSpec()));
    assert.deepEqual(s.linux.namespaces.map((n) => n.type).sort(), ['ipc', 'mount', 'network']);
    assert.equal(s.hostname, undefined, 'no hostname without a uts namespace');
  });

  it('withCgroupsPath, withAnnotations, withSysctls, withPathOverrides', () => {
    let s = withCgroupsPath('/boxlab/abc')(defaultSpec());
    assert.equal(s.linux.cgroupsPath, '/boxlab/abc');
    s = withAnnotations({ 'org.boxlab.name': 'web' })(s);
    assert.deepEqual(s.annotations, { 'org.boxlab.name': 'web' });
    assert.equal(withAnnotations({})(defaultSpec()).annotations, undefined);
    s = withSysctls({ 'net.ipv4.ip_forward': '1' })(s);
    assert.deepEqual(s.linux.sysctl, { 'net.ipv4.ip_forward': '1' });
    s = withPathOverrides([], ['/proc/sys'])(s);
    assert.deepEqual(s.linux.maskedPaths, []);
    assert.deepEqual(s.linux.readonlyPaths, ['/proc/sys']);
    assert.ok(withPathOverrides(null, undefined)(defaultSpec()).linux.maskedPaths!.length > 5);
  });

  it("in its own network namespace a container gets dockerd's unprivileged-port and ping sysctls; --sysctl wins", () => {
    const own = withSysctls({ 'net.ipv4.ip_unprivileged_port_start': '80' })(withDefaultNetSysctls(true)(defaultSpec()));
    assert.deepEqual(own.linux.sysctl, { 'net.ipv4.ip_unprivileged_port_start': '80', 'net.ipv4.ping_group_range': '0 2147483647' });
    assert.equal(withDefaultNetSysctls(false)(defaultSpec()).linux.sysctl, defaultSpec().linux.sysctl, 'the host network namespace is left alone');
  });

  it('withInit runs /sbin/docker-init -- args and bind-mounts the host init read-only', () => {
    const s = withInit('/usr/bin/tini-static')(withProcess(['sleep', '9'], [], '/', { uid: 0, gid: 0 }, false)(defaultSpec()));
    assert.deepEqual(s.process.args, ['/sbin/docker-init', '--', 'sleep', '9']);
    assert.deepEqual(s.mounts.at(-1), { destination: '/sbin/docker-init', type: 'bind', source: '/usr/bin/tini-static', options: ['bind', 'ro'] });
  });
});
