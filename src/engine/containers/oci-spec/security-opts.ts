// Capabilities and --privileged as spec modifiers. Docker's rules (moby oci/caps TweakCapabilities):
// names are accepted with or without CAP_ and in any case; "ALL" in --cap-add starts from every
// capability, "ALL" in --cap-drop starts from none; otherwise the defaults minus drops plus adds.
import { invalidArgument } from '../../../core/errors.js';
import { ALL_CAPABILITIES, DEFAULT_CAPABILITIES } from './capabilities.js';
import type { RuntimeSpec } from '../../oci-runtime-spec.js';

const KNOWN = new Set<string>(ALL_CAPABILITIES);

/** "net_admin" | "CAP_NET_ADMIN" -> "CAP_NET_ADMIN"; "all" -> "ALL"; unknown names are an error */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL') return 'ALL';
  const cap = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!KNOWN.has(cap)) {
    throw invalidArgument(`unknown capability: "${cap}"`, { suggestions: ['see capabilities(7) for the names, e.g. NET_ADMIN'] });
  }
  return cap;
}

/** the capability set a container gets for --cap-add / --cap-drop */
export function effectiveCapabilities(
  capAdd: readonly string[] = [],
  capDrop: readonly string[] = [],
  available: readonly string[] = ALL_CAPABILITIES,
): string[] {
  const add = capAdd.map(normalizeCapability);
  const drop = capDrop.map(normalizeCapability);
  let base: string[];
  if (add.includes('ALL')) base = available.filter((c) => !drop.includes(c));
  else if (drop.includes('ALL')) base = [];
  else base = DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c));
  for (const cap of add) if (cap !== 'ALL' && !base.includes(cap)) base.push(cap);
  return base;
}

function setCapabilities(spec: RuntimeSpec, caps: string[]): RuntimeSpec {
  return {
    ...spec,
    process: { ...spec.process, capabilities: { bounding: [...caps], effective: [...caps], permitted: [...caps] } },
  };
}

/** available: what "ALL" means, at most the engine's own bounding set (runc cannot give more) */
export function withCapabilities(capAdd?: string[] | null, capDrop?: string[] | null, available: readonly string[] = ALL_CAPABILITIES) {
  return (spec: RuntimeSpec): RuntimeSpec => setCapabilities(spec, effectiveCapabilities(capAdd ?? [], capDrop ?? [], available));
}

/**
 * --privileged: every capability, nothing masked or read-only under /proc and /sys, /sys and the cgroup
 * tree writable, every device allowed by the device cgroup, and no seccomp filter. (Docker also creates
 * the host's device nodes in the container's /dev; boxlab does not, see the report in the spec folder.)
 */
export function withPrivileged(available: readonly string[] = ALL_CAPABILITIES) {
  return (spec: RuntimeSpec): RuntimeSpec => {
    const out = setCapabilities(spec, [...available]);
    const linux = { ...out.linux, maskedPaths: [], readonlyPaths: [], resources: { ...out.linux.resources, devices: [{ allow: true, access: 'rwm' }] } };
    delete linux.seccomp;
    return {
      ...out,
      mounts: out.mounts.map((m) =>
        m.destination === '/sys' || m.destination === '/sys/fs/cgroup' ? { ...m, options: (m.options ?? []).filter((o) => o !== 'ro') } : m,
      ),
      linux,
    };
  };
}
