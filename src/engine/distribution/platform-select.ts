// Platform selection in a manifest list / OCI image index: `docker pull busybox` on an amd64 host gets
// the linux/amd64 entry. Variants matter on arm (v6/v7/v8); when the wanted variant is not given, the
// first entry with the right os/architecture wins, as containerd's default matcher does for amd64.
import { notFound } from '../../core/errors.js';
import type { IndexEntry } from './manifest-parse.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export function platformString(p: { os?: string; architecture?: string; variant?: string }): string {
  return [p.os ?? '?', p.architecture ?? '?', ...(p.variant ? [p.variant] : [])].join('/');
}

/** the node.js arch name as an OCI architecture */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return { os: 'linux', architecture: arch[process.arch] ?? process.arch };
}

/** the index entry for a platform; NOT_FOUND listing the platforms the index has when none matches */
export function selectPlatform(entries: readonly IndexEntry[], wanted: Platform, what: string): IndexEntry {
  const candidates = entries.filter(
    (e) => e.platform?.os === wanted.os && e.platform?.architecture === wanted.architecture && (wanted.variant === undefined || e.platform?.variant === wanted.variant),
  );
  // attestation manifests (buildkit) carry platform unknown/unknown and never match
  const found = candidates[0];
  if (!found) {
    const offered = [...new Set(entries.filter((e) => e.platform).map((e) => platformString(e.platform!)))];
    throw notFound(`no matching manifest for ${platformString(wanted)} in the manifest list entries of ${what} (it has: ${offered.join(', ') || 'no platforms'})`, {
      suggestions: ['pull an image built for this platform, or pick another tag'],
    });
  }
  return found;
}
