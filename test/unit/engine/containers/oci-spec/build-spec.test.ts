import assert from 'node:assert/strict';
import { buildSpec, specTraceDetails } from '../../../../../src/engine/containers/oci-spec/build-spec.js';
import { isAppError } from '../../../../../src/core/errors.js';
import { specInput } from './spec-fixtures.js';

describe('buildSpec', () => {
  it('composes a plain container: process, rootfs, cgroupsPath, netns, seccomp on', () => {
    const s = buildSpec(specInput({ annotations: { 'org.boxlab.name': 'web' } }));
    assert.deepEqual(s.process.args, ['sh', '-c', 'echo hi']);
    assert.deepEqual(s.root, { path: '/var/lib/boxlab/snapshots/containers/c0ffee/merged', readonly: false });
    assert.equal(s.hostname, 'c0ffee');
    assert.equal(s.linux.cgroupsPath, '/boxlab/c0ffee');
    assert.ok(s.linux.namespaces.some((n) => n.type === 'network'));
    assert.equal(s.linux.seccomp!.defaultAction, 'SCMP_ACT_ERRNO');
    assert.equal(s.annotations!['org.boxlab.name'], 'web');
  });

  it('seccomp follows the capabilities: --cap-add SYS_ADMIN allows mount', () => {
    const has = (s: ReturnType<typeof buildSpec>, name: string) => s.linux.seccomp!.syscalls!.some((r) => r.action === 'SCMP_ACT_ALLOW' && r.names.includes(name));
    assert.equal(has(buildSpec(specInput()), 'mount'), false);
    assert.equal(has(buildSpec(specInput({ hostConfig: { CapAdd: ['SYS_ADMIN'] } })), 'mount'), true);
  });

  it('--security-opt seccomp=unconfined and --privileged drop the filter', () => {
    assert.equal(buildSpec(specInput({ hostConfig: { SecurityOpt: ['seccomp=unconfined'] } })).linux.seccomp, undefined);
    const p = buildSpec(specInput({ hostConfig: { Privileged: true, CapDrop: ['ALL'] } }));
    assert.equal(p.linux.seccomp, undefined);
    assert.equal(p.process.capabilities!.bounding.length, 41, 'privileged wins over --cap-drop');
    assert.throws(() => buildSpec(specInput({ hostConfig: { SecurityOpt: ['seccomp=/x.json'] } })), /unsupported security option/);
  });

  it('-m, --pids-limit and --read-only land in the spec', () => {
    const s = buildSpec(specInput({ hostConfig: { Memory: 32 * 1024 * 1024, PidsLimit: 20, ReadonlyRootfs: true } }));
    assert.equal(s.linux.resources!.memory!.limit, 32 * 1024 * 1024);
    assert.deepEqual(s.linux.resources!.pids, { limit: 20 });
    assert.equal(s.root.readonly, true);
  });

  it('--init needs an init binary', () => {
    assert.throws(() => buildSpec(specInput({ hostConfig: { Init: true } })), (e) => isAppError(e, 'FAILED_PRECONDITION'));
    assert.equal(buildSpec(specInput({ hostConfig: { Init: true }, initPath: '/usr/bin/tini-static' })).process.args[0], '/sbin/docker-init');
  });

  it('specTraceDetails names the facts a student should see', () => {
    const d = specTraceDetails(buildSpec(specInput()), '/b/config.json');
    assert.equal(d.path, '/b/config.json');
    assert.equal(d.capabilities, 14);
    assert.equal(d.user, '0:0');
    assert.deepEqual(d.namespaces, ['pid', 'ipc', 'uts', 'mount', 'network']);
  });
});
