// A representative SpecInput for the spec builder's tests, with overrides per case.
import type { SpecInput } from '../../../../../src/engine/containers/oci-spec/spec-input.js';

export function specInput(overrides: Partial<SpecInput> = {}): SpecInput {
  return {
    id: 'c0ffee',
    rootfs: '/var/lib/boxlab/snapshots/containers/c0ffee/merged',
    args: ['sh', '-c', 'echo hi'],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=c0ffee'],
    cwd: '/',
    user: { uid: 0, gid: 0 },
    hostname: 'c0ffee',
    terminal: false,
    mounts: [],
    hostConfig: {},
    cgroupsPath: '/boxlab/c0ffee',
    network: { mode: 'none' },
    host: { arch: 'amd64', kernel: '6.1.0' },
    ...overrides,
  };
}
