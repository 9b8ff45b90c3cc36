// Go's names for CPU architectures (GOARCH). Docker reports them as `Arch` in /version, and the default
// seccomp profile names architectures the same way; Node calls them differently (process.arch).
const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

/** process.arch -> GOARCH: x64 -> amd64 */
export function goArch(nodeArch: string = process.arch): string {
  return GO_ARCH[nodeArch] ?? nodeArch;
}
