// The values of the engine's settings (dockerd's flags and daemon.json keys) read one at a time, with
// dockerd's rules: a registry mirror is an http(s) URL with no path (dockerd's ValidateMirror, which adds
// the trailing "/"), an insecure registry is host[:port] or a CIDR, a ulimit is "nofile=1024:2048" on the
// command line and {"Name","Soft","Hard"} in the file, `bip` is the bridge's own address with its prefix
// ("192.168.200.1/24": the bridge takes .1, the containers the rest of 192.168.200.0/24). Pure: each
// function returns the value or throws a message without the place; the caller adds the file and the key.
import { isIP } from 'node:net';
import { parseSubnet, ipToInt, intToIp, isIpv4 } from '../network/ipv4.js';

export interface Ulimit {
  Name: string;
  Hard: number;
  Soft: number;
}

/** the resource names `ulimit` and Docker's go-units know (RLIMIT_<NAME>) */
export const ULIMIT_NAMES = ['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack'] as const;

/** dockerd's ValidateMirror: "http://127.0.0.1:5000" -> "http://127.0.0.1:5000/" */
export function parseMirror(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`invalid mirror: unsupported scheme "" in "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`invalid mirror: unsupported scheme "${url.protocol.slice(0, -1)}" in "${value}"`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw new Error(`invalid mirror: path, query, or fragment at end of the URI "${value}"`);
  }
  return `${url.protocol}//${url.host}/`;
}

/** an insecure registry: "myreg:5000", "10.0.0.0/8"; dockerd drops a leading http:// with a warning, boxlab asks to */
export function parseInsecureRegistry(value: string): string {
  if (/^https?:\/\//i.test(value)) throw new Error(`insecure registry ${value} should not contain '${value.split('//')[0]}//': write the host and port only`);
  if (value.includes('/')) {
    const [ip, prefix] = value.split('/');
    if (isIpv4(ip) && /^\d{1,2}$/.test(prefix) && Number(prefix) <= 32) return value;
    throw new Error(`insecure registry ${value} is not valid: invalid host "${value}"`);
  }
  const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(value);
  if (!m || (m[2] !== undefined && Number(m[2]) > 65535)) throw new Error(`insecure registry ${value} is not valid: invalid host "${value}"`);
  return value;
}

/** --default-ulimit "nofile=1024:2048" (or "nofile=1024": soft and hard the same), as go-units' ParseUlimit */
export function parseUlimitFlag(value: string): Ulimit {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(value);
  if (!m) throw new Error(`invalid ulimit argument: ${value}: expected <type>=<soft limit>[:<hard limit>], such as nofile=1024:2048`);
  return checkUlimit({ Name: m[1], Soft: Number(m[2]), Hard: Number(m[3] ?? m[2]) });
}

export function checkUlimit(u: Ulimit): Ulimit {
  if (!(ULIMIT_NAMES as readonly string[]).includes(u.Name)) throw new Error(`invalid ulimit type: ${u.Name}: expected one of ${ULIMIT_NAMES.join(', ')}`);
  if (u.Soft > u.Hard) throw new Error(`ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`);
  return u;
}

/** `bip`: the bridge's address and prefix -> the default network's subnet and gateway */
export function parseBip(value: string): { subnet: string; gateway: string } {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(value);
  if (!m || !isIpv4(m[1])) throw new Error(`invalid bip "${value}": expected the bridge's address with its prefix, such as 192.168.200.1/24`);
  const subnet = parseSubnet(value);
  const address = ipToInt(m[1]);
  const size = 2 ** (32 - subnet.prefix);
  if (address === subnet.base || address === subnet.base + size - 1) {
    throw new Error(`invalid bip "${value}": ${m[1]} is the network's ${address === subnet.base ? 'own' : 'broadcast'} address; give the bridge a host address, such as ${intToIp(subnet.base + 1)}/${subnet.prefix}`);
  }
  return { subnet: subnet.cidr, gateway: m[1] };
}

/** --log-opt "max-size=10k" */
export function parseKeyValue(value: string): [string, string] {
  const i = value.indexOf('=');
  if (i <= 0) throw new Error(`invalid key/value "${value}": expected key=value, such as max-size=10k`);
  return [value.slice(0, i), value.slice(i + 1)];
}

/** `labels`: "key=value", as dockerd's ValidateLabel; the same key twice with two values is refused (GetConflictFreeLabels) */
export function parseLabels(values: string[]): string[] {
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const label of values) {
    if (!label.includes('=')) throw new Error(`bad attribute format: ${label}: a label is key=value, such as env=lab`);
    const key = label.slice(0, label.indexOf('='));
    const before = seen.get(key);
    if (before !== undefined && before !== label) throw new Error(`conflict labels for ${key}=${label.slice(key.length + 1)} and ${before}`);
    if (before === undefined) out.push(label);
    seen.set(key, label);
  }
  return out;
}

/** `dns`: name servers are IP addresses (dockerd's ValidateIPAddress) */
export function checkDnsServer(value: string): string {
  if (isIP(value.trim()) === 0) throw new Error(`${value} is not an ip address: a name server is an address, such as 1.1.1.1`);
  return value.trim();
}

const DOMAIN = /^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*)\.?\s*$/;

/** `dns-search`: a domain (dockerd's ValidateDNSSearch), or "." for none */
export function checkDnsSearch(value: string): string {
  const v = value.trim();
  if (v === '.') return v;
  const m = DOMAIN.exec(v);
  if (!/[a-zA-Z]/.test(v) || !m || m[1].length >= 255) throw new Error(`${value} is not a valid domain: write a domain such as lab.example`);
  return m[1];
}

/** `ip`: the host address `-p 8080:80` publishes on (dockerd's --ip, default 0.0.0.0); boxlab's networks are IPv4 */
export function checkBindIp(value: string): string {
  if (!isIpv4(value)) throw new Error(`invalid IP address: ${value}: write an IPv4 address of this host, such as 127.0.0.1`);
  return value;
}

/** `mtu`: 0 is dockerd's default (1500); the kernel takes 68 (IPv4's least) to 65535 */
export function checkMtu(value: number): number {
  if (value === 0) return 1500;
  if (value < 68 || value > 65535) throw new Error(`invalid MTU ${value}: write a number from 68 to 65535, such as 1400 (1500 is the default)`);
  return value;
}
