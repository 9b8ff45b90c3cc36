// seccomp: a filter in the kernel that decides, per system call, whether a process may make it
// (seccomp(2)). Docker's default profile allows ~400 syscalls and refuses the rest with EPERM; some are
// allowed only with a capability (e.g. mount with CAP_SYS_ADMIN), an architecture or a kernel version.
// toOciSeccomp resolves those conditions for one container (its capabilities, the host's architecture
// and kernel) into the plain list runc loads (linux.seccomp), like moby's profiles/seccomp setupSeccomp.
import type { SeccompSyscall, SpecSeccomp, RuntimeSpec } from '../../oci-runtime-spec.js';

export interface SeccompFilterCondition {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

export interface SeccompProfileSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: Array<{ index: number; value: number; valueTwo?: number; op: string }> | null;
  includes?: SeccompFilterCondition;
  excludes?: SeccompFilterCondition;
  comment?: string;
}

export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  archMap: Array<{ architecture: string; subArchitectures: string[] | null }>;
  syscalls: SeccompProfileSyscall[];
}

/** the profile's native architecture name for a GOARCH */
const SCMP_ARCH: Record<string, string> = {
  amd64: 'SCMP_ARCH_X86_64',
  arm64: 'SCMP_ARCH_AARCH64',
  arm: 'SCMP_ARCH_ARM',
  '386': 'SCMP_ARCH_X86',
  ppc64le: 'SCMP_ARCH_PPC64LE',
  s390x: 'SCMP_ARCH_S390X',
  riscv64: 'SCMP_ARCH_RISCV64',
};

/** "6.18.44-fc-v657" >= "4.8"? compares major.minor only, as moby does */
export function kernelAtLeast(kernel: string, min: string): boolean {
  const parse = (v: string) => v.split(/[.-]/).slice(0, 2).map((x) => Number.parseInt(x, 10) || 0);
  const [a1, a2] = parse(kernel);
  const [b1, b2] = parse(min);
  return a1 > b1 || (a1 === b1 && a2 >= b2);
}

export interface SeccompContext {
  /** the container's capabilities, CAP_* names */
  caps: readonly string[];
  /** GOARCH name: amd64, arm64, ... */
  arch: string;
  /** the host kernel release (uname -r) */
  kernel: string;
}

function applies(rule: SeccompProfileSyscall, ctx: SeccompContext): boolean {
  const inc = rule.includes ?? {};
  const exc = rule.excludes ?? {};
  if (exc.arches?.includes(ctx.arch)) return false;
  if (exc.caps?.some((c) => ctx.caps.includes(c))) return false;
  if (inc.arches && inc.arches.length > 0 && !inc.arches.includes(ctx.arch)) return false;
  if (inc.caps && !inc.caps.every((c) => ctx.caps.includes(c))) return false;
  if (inc.minKernel && !kernelAtLeast(ctx.kernel, inc.minKernel)) return false;
  return true;
}

export function toOciSeccomp(profile: SeccompProfile, ctx: SeccompContext): SpecSeccomp {
  const native = SCMP_ARCH[ctx.arch];
  const entry = profile.archMap.find((a) => a.architecture === native);
  const architectures = entry ? [entry.architecture, ...(entry.subArchitectures ?? [])] : native ? [native] : [];
  const syscalls: SeccompSyscall[] = profile.syscalls
    .filter((rule) => applies(rule, ctx))
    .map((rule) => ({
      names: [...rule.names],
      action: rule.action,
      ...(rule.errnoRet !== undefined ? { errnoRet: rule.errnoRet } : {}),
      ...(rule.args && rule.args.length > 0
        ? { args: rule.args.map((a) => ({ index: a.index, value: a.value, ...(a.valueTwo ? { valueTwo: a.valueTwo } : {}), op: a.op })) }
        : {}),
    }));
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet !== undefined ? { defaultErrnoRet: profile.defaultErrnoRet } : {}),
    architectures,
    syscalls,
  };
}

/**
 * Applies a seccomp profile for the capabilities the spec already has, so it must run after
 * withCapabilities. `--security-opt seccomp=unconfined` and --privileged mean no filter.
 */
export function withSeccomp(profile: SeccompProfile | undefined, host: { arch: string; kernel: string }) {
  return (spec: RuntimeSpec): RuntimeSpec => {
    const linux = { ...spec.linux };
    delete linux.seccomp;
    if (!profile) return { ...spec, linux };
    const caps = spec.process.capabilities?.bounding ?? [];
    return { ...spec, linux: { ...linux, seccomp: toOciSeccomp(profile, { caps, arch: host.arch, kernel: host.kernel }) } };
  };
}
