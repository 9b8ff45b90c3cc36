import assert from 'node:assert/strict';
import { DOCKER_DEFAULT_SECCOMP_PROFILE } from '../../../../../src/engine/containers/oci-spec/seccomp-default-profile.js';
import { kernelAtLeast, toOciSeccomp, type SeccompProfile } from '../../../../../src/engine/containers/oci-spec/seccomp.js';
import { DEFAULT_CAPABILITIES } from '../../../../../src/engine/containers/oci-spec/capabilities.js';

const names = (p: ReturnType<typeof toOciSeccomp>) => new Set(p.syscalls!.flatMap((s) => s.names));

describe('seccomp: Docker default profile to linux.seccomp', () => {
  const ctx = { caps: [...DEFAULT_CAPABILITIES], arch: 'amd64', kernel: '6.1.0' };

  it('denies by default with EPERM and lists x86_64 with its sub-architectures', () => {
    const s = toOciSeccomp(DOCKER_DEFAULT_SECCOMP_PROFILE, ctx);
    assert.equal(s.defaultAction, 'SCMP_ACT_ERRNO');
    assert.equal(s.defaultErrnoRet, 1);
    assert.deepEqual(s.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  });

  it('allows read/write for everyone; mount only with CAP_SYS_ADMIN', () => {
    assert.ok(names(toOciSeccomp(DOCKER_DEFAULT_SECCOMP_PROFILE, ctx)).has('read'));
    assert.ok(!names(toOciSeccomp(DOCKER_DEFAULT_SECCOMP_PROFILE, ctx)).has('mount'));
    assert.ok(names(toOciSeccomp(DOCKER_DEFAULT_SECCOMP_PROFILE, { ...ctx, caps: [...ctx.caps, 'CAP_SYS_ADMIN'] })).has('mount'));
  });

  it('keeps arch-specific rules only for this arch', () => {
    assert.ok(names(toOciSeccomp(DOCKER_DEFAULT_SECCOMP_PROFILE, ctx)).has('arch_prctl'));
    assert.ok(!names(toOciSeccomp(DOCKER_DEFAULT_SECCOMP_PROFILE, { ...ctx, arch: 'arm64' })).has('arch_prctl'));
  });

  it('excludes, includes.minKernel and args are honoured', () => {
    const profile: SeccompProfile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: null }],
      syscalls: [
        { names: ['old'], action: 'SCMP_ACT_ALLOW', includes: { minKernel: '4.8' } },
        { names: ['new'], action: 'SCMP_ACT_ALLOW', includes: { minKernel: '7.1' } },
        { names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }], excludes: { caps: ['CAP_SYS_ADMIN'] } },
        { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38, excludes: { caps: ['CAP_SYS_ADMIN'] } },
      ],
    };
    const s = toOciSeccomp(profile, ctx);
    assert.deepEqual(s.syscalls, [
      { names: ['old'], action: 'SCMP_ACT_ALLOW' },
      { names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }] },
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 },
    ]);
    assert.deepEqual(toOciSeccomp(profile, { ...ctx, caps: ['CAP_SYS_ADMIN'] }).syscalls!.map((x) => x.names[0]), ['old']);
  });

  it('compares kernel versions by major.minor', () => {
    assert.equal(kernelAtLeast('6.18.44-fc-v657', '4.8'), true);
    assert.equal(kernelAtLeast('4.8.0', '4.8'), true);
    assert.equal(kernelAtLeast('4.7.9', '4.8'), false);
    assert.equal(kernelAtLeast('3.10', '4.8'), false);
  });
});
