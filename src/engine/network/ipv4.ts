// IPv4 arithmetic for IPAM and the bridge driver: addresses as 32-bit numbers, CIDR subnets, overlap
// checks (Docker refuses a network whose subnet overlaps another's), and the MAC Docker derives from an
// address (02:42 + the four bytes), so a student can read the IP back out of `ip link`.
import { invalidArgument } from '../../core/errors.js';

export interface Subnet {
  /** network address as a number */
  base: number;
  prefix: number;
  /** "10.77.0.0/24" */
  cidr: string;
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw invalidArgument(`invalid IPv4 address "${ip}": expected four numbers 0-255 such as 10.0.0.1`);
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function isIpv4(text: string): boolean {
  return /^(\d{1,3})(\.\d{1,3}){3}$/.test(text) && text.split('.').every((p) => Number(p) <= 255);
}

export function parseSubnet(cidr: string): Subnet {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr.trim());
  if (!m || Number(m[2]) > 30 || Number(m[2]) < 8) {
    throw invalidArgument(`invalid subnet "${cidr}": expected an IPv4 CIDR with a prefix from /8 to /30, such as 10.77.0.0/24`);
  }
  const prefix = Number(m[2]);
  const size = 2 ** (32 - prefix);
  const base = Math.floor(ipToInt(m[1]) / size) * size;
  return { base, prefix, cidr: `${intToIp(base)}/${prefix}` };
}

export function subnetSize(s: Subnet): number {
  return 2 ** (32 - s.prefix);
}

export function contains(s: Subnet, ip: string): boolean {
  const n = ipToInt(ip);
  return n >= s.base && n < s.base + subnetSize(s);
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  return a.base < b.base + subnetSize(b) && b.base < a.base + subnetSize(a);
}

/** the n-th address of the subnet (1 = the first host address, Docker's gateway) */
export function nthAddress(s: Subnet, n: number): string {
  return intToIp(s.base + n);
}

/** Docker's MAC for an address: 02:42:<the four bytes in hex> */
export function macForIp(ip: string): string {
  return ['02', '42', ...ip.split('.').map((p) => Number(p).toString(16).padStart(2, '0'))].join(':');
}
