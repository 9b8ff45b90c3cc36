// requires('root', 'runc', ...): a test tier needs real components. Outside CI a missing one skips the
// test with a printed reason; inside CI (CI=true) it fails, because CI must install what every tier needs.
import { execFileSync } from 'node:child_process';

export const REQUIREMENTS = ['root', 'runc', 'docker-cli', 'busybox', 'overlayfs', 'skopeo', 'umoci', 'qemu', 'chromium', 'sshd', 'iptables', 'debootstrap', 'docker-init', 'dockerd', 'openssl'] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

const BINARIES: Partial<Record<Requirement, string>> = {
  runc: 'runc',
  'docker-cli': 'docker',
  busybox: 'busybox',
  skopeo: 'skopeo',
  umoci: 'umoci',
  qemu: 'qemu-system-x86_64',
  chromium: 'chromium',
  sshd: 'sshd',
  iptables: 'iptables',
  debootstrap: 'debootstrap',
  'docker-init': 'docker-init',
  /** Debian's dockerd 20.10 (docker.io), the reference engine (reference-dockerd.ts) */
  dockerd: 'dockerd',
  /** makes the test certificates of TLS tests (tls-certs.ts) */
  openssl: 'openssl',
};

function has(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', binary], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function missing(requirements: readonly Requirement[]): string[] {
  return requirements.filter((r) => {
    if (r === 'root') return process.getuid?.() !== 0;
    if (r === 'overlayfs') return !has('mount');
    const bin = BINARIES[r];
    return bin !== undefined && !has(bin);
  });
}

/** call inside a mocha describe()/before(): skips (or, in CI, fails) when something is missing */
export function requires(ctx: Mocha.Context, ...requirements: Requirement[]): void {
  const absent = missing(requirements);
  if (absent.length === 0) return;
  const reason = `needs ${absent.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`${reason}: CI must install it (.ci/run)`);
  console.log(`      skipped: ${reason}`);
  ctx.skip();
}
