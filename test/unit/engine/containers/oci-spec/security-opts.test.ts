import assert from 'node:assert/strict';
import { ALL_CAPABILITIES } from '../../../../../src/engine/containers/oci-spec/capabilities.js';
import { defaultSpec } from '../../../../../src/engine/containers/oci-spec/default-spec.js';
import { effectiveCapabilities, normalizeCapability, withCapabilities, withPrivileged } from '../../../../../src/engine/containers/oci-spec/security-opts.js';
import { isAppError } from '../../../../../src/core/errors.js';

describe('capabilities and --privileged', () => {
  it('normalizes names like Docker: net_admin, CAP_NET_ADMIN, all', () => {
    assert.equal(normalizeCapability('net_admin'), 'CAP_NET_ADMIN');
    assert.equal(normalizeCapability('CAP_NET_ADMIN'), 'CAP_NET_ADMIN');
    assert.equal(normalizeCapability('all'), 'ALL');
    assert.throws(() => normalizeCapability('FLY'), (e) => isAppError(e, 'INVALID_ARGUMENT') && e.message === 'unknown capability: "CAP_FLY"');
  });

  it('--cap-add NET_ADMIN --cap-drop MKNOD', () => {
    const caps = effectiveCapabilities(['NET_ADMIN'], ['mknod']);
    assert.equal(caps.length, 14);
    assert.ok(caps.includes('CAP_NET_ADMIN'));
    assert.ok(!caps.includes('CAP_MKNOD'));
  });

  it('--cap-drop ALL --cap-add CHOWN leaves only CHOWN', () => {
    assert.deepEqual(effectiveCapabilities(['CHOWN'], ['ALL']), ['CAP_CHOWN']);
  });

  it('--cap-add ALL --cap-drop SYS_ADMIN gives everything but SYS_ADMIN', () => {
    const caps = effectiveCapabilities(['ALL'], ['SYS_ADMIN']);
    assert.equal(caps.length, ALL_CAPABILITIES.length - 1);
    assert.ok(!caps.includes('CAP_SYS_ADMIN'));
  });

  it('withCapabilities writes bounding, effective and permitted', () => {
    const s = withCapabilities(['SYS_PTRACE'], null)(defaultSpec());
    for (const set of ['bounding', 'effective', 'permitted'] as const) assert.ok(s.process.capabilities![set].includes('CAP_SYS_PTRACE'));
  });

  it('withPrivileged: all caps, nothing masked, /sys writable, every device, no seccomp', () => {
    const base = defaultSpec();
    base.linux.seccomp = { defaultAction: 'SCMP_ACT_ERRNO' };
    const s = withPrivileged()(base);
    assert.equal(s.process.capabilities!.bounding.length, ALL_CAPABILITIES.length);
    assert.deepEqual(s.linux.maskedPaths, []);
    assert.deepEqual(s.linux.readonlyPaths, []);
    assert.ok(!s.mounts.find((m) => m.destination === '/sys')!.options!.includes('ro'));
    assert.deepEqual(s.linux.resources!.devices, [{ allow: true, access: 'rwm' }]);
    assert.equal(s.linux.seccomp, undefined);
    assert.ok(base.linux.seccomp, 'input untouched');
  });
});
