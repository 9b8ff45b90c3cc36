// Facts about the host for /version and /info: kernel, distribution, cgroup version, CPUs, memory.
// Each takes its root path so tests can point it at a fake /etc or /sys.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface HostFacts {
  kernelVersion: string;
  operatingSystem: string;
  osVersion: string;
  architecture: string;
  /** Go's GOARCH names, as Docker reports Arch in /version */
  goArch: string;
  ncpu: number;
  memTotal: number;
  hostname: string;
  cgroupVersion: '1' | '2';
}

export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  return out;
}

/** cgroup v2 ("unified") mounts one hierarchy with cgroup.controllers at its root; v1 and hybrid do not */
export function detectCgroupVersion(sysFsCgroup = '/sys/fs/cgroup'): '1' | '2' {
  return existsSync(path.join(sysFsCgroup, 'cgroup.controllers')) ? '2' : '1';
}

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', s390x: 's390x', ppc64: 'ppc64le' };

export function hostFacts(etc = '/etc', sysFsCgroup = '/sys/fs/cgroup'): HostFacts {
  let release: Record<string, string> = {};
  try {
    release = parseOsRelease(readFileSync(path.join(etc, 'os-release'), 'utf8'));
  } catch {
    /* no os-release: leave the distribution unknown */
  }
  return {
    kernelVersion: os.release(),
    operatingSystem: release.PRETTY_NAME ?? 'Linux',
    osVersion: release.VERSION_ID ?? '',
    architecture: os.machine(),
    goArch: GO_ARCH[process.arch] ?? process.arch,
    ncpu: os.cpus().length,
    memTotal: os.totalmem(),
    hostname: os.hostname(),
    cgroupVersion: detectCgroupVersion(sysFsCgroup),
  };
}
