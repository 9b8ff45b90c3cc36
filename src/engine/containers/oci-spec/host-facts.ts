// Facts about the host the spec builder needs and cannot know by itself (it is pure): the CPU
// architecture and kernel for seccomp, the engine's own open-files hard limit (from
// /proc/self/limits, Node has no getrlimit) and the init binary for --init. Read once at engine start.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { ALL_CAPABILITIES } from './capabilities.js';
import { goArch } from './seccomp.js';
import { findInitBinary } from './find-init.js';
import { listHostDevices } from './host-devices.js';
import type { SpecDevice } from '../../oci-runtime-spec.js';

export interface HostFacts {
  arch: string;
  kernel: string;
  maxNofile?: number;
  /** the engine's bounding set: --privileged cannot give a container more (e.g. a sandbox without CAP_SYS_RESOURCE) */
  capabilities?: string[];
  initPath?: string;
  /** the host's device nodes, for --device and --privileged */
  devices?: SpecDevice[];
}

/** "CapBnd:\t000001fffeffffff" in /proc/self/status -> the capability names whose bits are set */
export function parseCapBounding(statusText: string): string[] | undefined {
  const m = /^CapBnd:\s*([0-9a-f]+)$/m.exec(statusText);
  if (!m) return undefined;
  const bits = BigInt(`0x${m[1]}`);
  return ALL_CAPABILITIES.filter((_, i) => (bits >> BigInt(i)) & 1n);
}

/** "Max open files            20000                20000                files" -> 20000 (hard) */
export function parseNofileHardLimit(limitsText: string): number | undefined {
  const line = limitsText.split('\n').find((l) => l.startsWith('Max open files'));
  const hard = line?.trim().split(/\s+/)[4];
  return hard === undefined || hard === 'unlimited' ? undefined : Number(hard);
}

export async function readHostFacts(procSelf = '/proc/self'): Promise<HostFacts> {
  const limits = await fs.readFile(`${procSelf}/limits`, 'utf8').catch(() => '');
  const status = await fs.readFile(`${procSelf}/status`, 'utf8').catch(() => '');
  return {
    arch: goArch(),
    kernel: os.release(),
    maxNofile: parseNofileHardLimit(limits),
    capabilities: parseCapBounding(status),
    initPath: await findInitBinary(),
    devices: await listHostDevices(),
  };
}
