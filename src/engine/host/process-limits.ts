// What the engine process itself may hand on to containers, from /proc/self: its capability bounding set
// (--privileged cannot give more than the engine has, e.g. a sandbox without CAP_SYS_RESOURCE) and its
// open-files hard limit (RLIMIT_NOFILE; Node has no getrlimit). Pure: the text comes in.
import { ALL_CAPABILITIES } from '../containers/oci-spec/capabilities.js';

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
