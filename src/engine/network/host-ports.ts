// Is a host port free? A DNAT rule does not bind the port, so nothing would stop two containers (or a
// host program and a container) from claiming it: before publishing, boxlabd binds the port once itself,
// as docker-proxy would, and lets go. -P picks from the kernel's ephemeral range
// (/proc/sys/net/ipv4/ip_local_port_range, 32768-60999 on Debian; 49153-65535 if unreadable), a host
// range (-p 8000-8010:80) its first free port, as dockerd's port allocator does.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { failedPrecondition } from '../../core/errors.js';
import type { PortRequest } from '../docker-model.js';
import type { PortMapping } from './network-record.js';

export interface PortRange {
  first: number;
  last: number;
}

/** dockerd's range when the kernel's cannot be read */
export const FALLBACK_RANGE: PortRange = { first: 49153, last: 65535 };
export const LOCAL_PORT_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';

/** "32768\t60999\n" -> { first: 32768, last: 60999 }; undefined for anything else */
export function parseLocalPortRange(text: string): PortRange | undefined {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const [first, last] = [Number(m[1]), Number(m[2])];
  return first >= 1 && first <= last && last <= 65535 ? { first, last } : undefined;
}

/** the range -P picks from: the kernel's ephemeral ports, read at each pick as dockerd reads it at start */
export function ephemeralRange(read: () => string = () => readFileSync(LOCAL_PORT_RANGE_FILE, 'utf8')): PortRange {
  try {
    return parseLocalPortRange(read()) ?? FALLBACK_RANGE;
  } catch {
    return FALLBACK_RANGE;
  }
}

export function canBind(proto: 'tcp' | 'udp', hostIp: string, port: number): Promise<boolean> {
  const host = hostIp || '0.0.0.0';
  return new Promise((resolve) => {
    if (proto === 'tcp') {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
    } else {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => {
        socket.close();
        resolve(false);
      });
      socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolve(true)));
    }
  });
}

/** a free port in the kernel's ephemeral range that `taken` does not hold either */
export async function pickFreePort(proto: 'tcp' | 'udp', hostIp: string, taken: (port: number) => boolean, bindable = canBind, range = ephemeralRange()): Promise<number | undefined> {
  const span = range.last - range.first + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = range.first + ((start + i) % span);
    if (!taken(port) && (await bindable(proto, hostIp, port))) return port;
  }
  return undefined;
}

/** is `port` published already by one of `mappings` (same protocol, and the same host address or every one)? */
export function portTaken(mappings: PortMapping[], proto: string, hostIp: string, port: number): boolean {
  return mappings.some((p) => p.proto === proto && p.hostPort === port && (!p.hostIp || !hostIp || p.hostIp === hostIp));
}

const alreadyAllocated = (endpoint: string, hostIp: string, ports: string, containerPort: number) =>
  failedPrecondition(`driver failed programming external connectivity on endpoint ${endpoint}: Bind for ${hostIp || '0.0.0.0'}:${ports} failed: port is already allocated`, {
    suggestions: [`publish on another host port (-p <other>:${containerPort}), or stop what uses ${ports} (ss -ltnp)`],
  });

/**
 * The host ports of a starting container: each request's own port if it is free, else the first free
 * one of its range, else (0) one picked in the kernel's ephemeral range. `inUse`: what the engine's running
 * containers publish. Throws Docker's "port is already allocated" before anything is made.
 */
export async function allocateHostPorts(
  endpoint: string,
  requests: PortRequest[],
  inUse: PortMapping[],
  bindable = canBind,
  range?: PortRange,
): Promise<Array<PortMapping & { picked: boolean }>> {
  const out: Array<PortMapping & { picked: boolean }> = [];
  const taken = (proto: string, hostIp: string, port: number) => portTaken([...inUse, ...out], proto, hostIp, port);
  for (const r of requests) {
    let hostPort: number | undefined;
    if (r.hostPort === 0) {
      // the kernel's range is read only when a port is to be picked (-P), not on every start
      range ??= ephemeralRange();
      hostPort = await pickFreePort(r.proto, r.hostIp, (p) => taken(r.proto, r.hostIp, p), bindable, range);
      if (!hostPort) throw failedPrecondition(`no free host port left for ${r.containerPort}/${r.proto}`);
    } else {
      const last = r.hostPortLast ?? r.hostPort;
      for (let p = r.hostPort; p <= last && hostPort === undefined; p++) if (!taken(r.proto, r.hostIp, p) && (await bindable(r.proto, r.hostIp, p))) hostPort = p;
      if (hostPort === undefined) throw alreadyAllocated(endpoint, r.hostIp, last === r.hostPort ? String(last) : `${r.hostPort}-${last}`, r.containerPort);
    }
    out.push({ proto: r.proto, hostIp: r.hostIp, hostPort, containerPort: r.containerPort, picked: r.hostPort === 0 });
  }
  return out;
}
