// Every spec the builder makes must be a valid OCI runtime spec: validated against the runtime-spec
// JSON schema (draft-04) copied into test/fixtures/runtime-spec.
import assert from 'node:assert/strict';
import { buildSpec } from '../../../../../src/engine/containers/oci-spec/build-spec.js';
import { runtimeSpecValidator as validator } from '../../../../helpers/runtime-spec-schema.js';
import { specInput } from './spec-fixtures.js';

describe('spec builder output against the runtime-spec schema', () => {
  const validate = validator();
  const check = (spec: unknown) => {
    const ok = validate(spec);
    assert.equal(ok, true, JSON.stringify(validate.errors, null, 2));
  };

  it('the schema itself rejects a broken spec (so the checks below can fail)', () => {
    const spec = buildSpec(specInput()) as unknown as Record<string, unknown>;
    assert.equal(validate({ ...spec, ociVersion: 42 }), false);
    assert.equal(validate({ ...spec, process: { ...(spec.process as object), args: 'sh' } }), false);
  });

  const cases: Record<string, Parameters<typeof specInput>[0]> = {
    plain: {},
    privileged: { hostConfig: { Privileged: true } },
    'read-only rootfs': { hostConfig: { ReadonlyRootfs: true } },
    limits: {
      hostConfig: { Memory: 64 * 1024 * 1024, MemorySwap: -1, NanoCpus: 1.5e9, CpuShares: 512, CpusetCpus: '0', PidsLimit: 50, Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }] },
    },
    mounts: {
      mounts: [
        { destination: '/data', type: 'bind', source: '/var/lib/boxlab/volumes/data/_data', options: ['rbind', 'rprivate'] },
        { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['rw', 'size=64m', 'nosuid', 'nodev', 'noexec'] },
      ],
    },
    tty: { terminal: true, user: { uid: 1000, gid: 1000, additionalGids: [10, 20] } },
    'privileged with host devices, --device': {
      hostConfig: { Privileged: true, Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }] },
      host: { arch: 'amd64', kernel: '6.1.0', devices: [{ path: '/dev/fuse', type: 'c', major: 10, minor: 229, fileMode: 0o600, uid: 0, gid: 0 }] },
    },
    'host network, init, caps': {
      network: { mode: 'host' },
      hostConfig: { Init: true, CapAdd: ['NET_ADMIN'], CapDrop: ['MKNOD'] },
      initPath: '/usr/bin/tini-static',
    },
  };
  for (const [name, overrides] of Object.entries(cases)) {
    it(`validates: ${name}`, () => check(buildSpec(specInput(overrides))));
  }
});
