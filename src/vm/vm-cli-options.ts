// Pure helpers behind the `boxlab vm ...` flags: memory sizes ("2G", "512M"), lab network addresses for
// VMs created together, and `vm cp` endpoints ("lab1:/path" vs a host path).
import { invalidArgument } from '../core/errors.js';
import type { VmSpec } from './vm-provider.js';

export function parseMemory(text: string): number {
  const m = text.trim().match(/^(\d+(?:\.\d+)?)\s*([MmGg])?i?[Bb]?$/);
  if (!m) throw invalidArgument(`invalid memory size "${text}": expected e.g. 1024M or 2G`);
  const n = Number(m[1]);
  const mib = (m[2] ?? 'M').toUpperCase() === 'G' ? n * 1024 : n;
  return Math.round(mib);
}

/** a lab network's name (a qemu socket group, a multipass network tag) */
export const LAB_NETWORK_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/** one lab network: VMs get 10.10.<net>.11, .12, ... in the order named, and each knows the others by name */
export function labNetworkSpecs(names: string[], network: string | undefined): Map<string, VmSpec['network']> {
  const out = new Map<string, VmSpec['network']>();
  if (!network) return out;
  if (!LAB_NETWORK_NAME.test(network)) throw invalidArgument(`invalid network name "${network}": expected lowercase letters, digits and dashes`);
  let h = 0;
  for (const c of network) h = (h * 31 + c.charCodeAt(0)) % 200;
  const peers: Record<string, string> = {};
  names.forEach((n, i) => (peers[n] = `10.10.${h + 10}.${11 + i}`));
  for (const n of names) out.set(n, { name: network, address: `${peers[n]}/24`, peers });
  return out;
}

export type CopyEndpoint = { vm: string; path: string } | { vm?: undefined; path: string };

/** "lab1:/home/x" -> in the vm; anything else (./app, /tmp/x, C:\\x is not a concern here) -> on the host */
export function parseCopyEndpoint(text: string): CopyEndpoint {
  const m = text.match(/^([a-z][a-z0-9-]{0,30}):(.*)$/);
  if (m) return { vm: m[1]!, path: m[2] || '.' };
  return { path: text };
}

export function parseCopyArgs(from: string, to: string): { direction: 'to-vm' | 'from-vm'; vm: string; hostPath: string; guestPath: string } {
  const a = parseCopyEndpoint(from);
  const b = parseCopyEndpoint(to);
  if (a.vm && !b.vm) return { direction: 'from-vm', vm: a.vm, guestPath: a.path, hostPath: b.path };
  if (!a.vm && b.vm) return { direction: 'to-vm', vm: b.vm, guestPath: b.path, hostPath: a.path };
  throw invalidArgument(`vm cp needs exactly one side in a vm: got "${from}" and "${to}"`, {
    suggestions: ['boxlab vm cp ./app lab1:/root/app', 'boxlab vm cp lab1:/root/out.txt ./out.txt'],
  });
}
