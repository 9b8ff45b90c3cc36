// `-p` and `-P` as the docker CLI sends them (HostConfig.PortBindings, PublishAllPorts, Config.ExposedPorts)
// turned into the list of ports to publish. The CLI already expands ranges into one key per port; an
// empty host port (`-p 80`, `-P`) asks the engine to pick a free one (0 here, picked at start).
import { badRequest } from './network-errors.js';
import type { PortMapping } from './network-record.js';

export interface PortRequest {
  proto: 'tcp' | 'udp';
  hostIp: string;
  /** 0: pick a free port */
  hostPort: number;
  containerPort: number;
}

type Bindings = Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null | undefined;

/** "80/tcp" -> { port: 80, proto: 'tcp' } */
export function parsePortKey(key: string): { port: number; proto: 'tcp' | 'udp' } {
  const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/.exec(key);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) throw badRequest(`invalid port "${key}": expected <port>[/tcp|udp] with a port from 1 to 65535`);
  if (m[2] === 'sctp') throw badRequest(`port ${key}: sctp is not supported by boxlab, use tcp or udp`);
  return { port: Number(m[1]), proto: (m[2] ?? 'tcp') as 'tcp' | 'udp' };
}

export function portRequests(bindings: Bindings, exposed: Record<string, object> | null | undefined, publishAll: boolean | undefined): PortRequest[] {
  const out: PortRequest[] = [];
  const seen = new Set<string>();
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const { port, proto } = parsePortKey(key);
    seen.add(`${port}/${proto}`);
    for (const b of list?.length ? list : [{}]) {
      const hostPort = b.HostPort ? Number(b.HostPort) : 0;
      if (!Number.isInteger(hostPort) || hostPort < 0 || hostPort > 65535) throw badRequest(`invalid host port "${b.HostPort}" for ${key}: expected 1-65535`);
      const hostIp = b.HostIp === '0.0.0.0' ? '' : (b.HostIp ?? '');
      if (hostIp.includes(':')) continue; // IPv6 host addresses: boxlab's networks are IPv4 only
      out.push({ proto, hostIp, hostPort, containerPort: port });
    }
  }
  if (publishAll) {
    for (const key of Object.keys(exposed ?? {})) {
      const { port, proto } = parsePortKey(key);
      if (!seen.has(`${port}/${proto}`)) out.push({ proto, hostIp: '', hostPort: 0, containerPort: port });
    }
  }
  return out;
}

/** NetworkSettings.Ports of inspect (what `docker port` prints): every exposed port, null when not published */
export function inspectPorts(ports: PortMapping[], exposed: Record<string, object> | null | undefined): Record<string, Array<{ HostIp: string; HostPort: string }> | null> {
  const out: Record<string, Array<{ HostIp: string; HostPort: string }> | null> = {};
  for (const key of Object.keys(exposed ?? {})) {
    const { port, proto } = parsePortKey(key);
    out[`${port}/${proto}`] = null;
  }
  for (const p of ports) {
    const key = `${p.containerPort}/${p.proto}`;
    (out[key] ??= []).push({ HostIp: p.hostIp || '0.0.0.0', HostPort: String(p.hostPort) });
  }
  return out;
}

/** the Ports of `docker ps` (ContainerSummary): one entry per published port, exposed-only ports without host side */
export function summaryPorts(ports: PortMapping[], exposed: Record<string, object> | null | undefined): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = ports.map((p) => ({ IP: p.hostIp || '0.0.0.0', PrivatePort: p.containerPort, PublicPort: p.hostPort, Type: p.proto }));
  for (const key of Object.keys(exposed ?? {})) {
    const { port, proto } = parsePortKey(key);
    if (!ports.some((p) => p.containerPort === port && p.proto === proto)) out.push({ PrivatePort: port, Type: proto });
  }
  return out;
}
