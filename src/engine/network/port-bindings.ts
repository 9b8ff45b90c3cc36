// `-p` and `-P` as the docker CLI sends them (HostConfig.PortBindings, PublishAllPorts, Config.ExposedPorts),
// read once when the create request is parsed (api/schemas/container-create-schema.ts) into the ports the
// network plane publishes, with dockerd 20.10's 400 for what it refuses at create (validatePortBindings:
// `invalid port specification: "70000"`) and boxlab's for what dockerd lets through but cannot publish
// (port 0, a protocol other than tcp and udp, a host address that is no IP address). The CLI already
// expands `-p 8000-8001:80-81` into one key per port; a host range for one port (`-p 8000-8010:80`)
// stays a range, from which the plane takes the first free port, as dockerd's port allocator does; an
// empty host port (`-p 80`, `-P`) asks the engine to pick a free one (0 here, picked at start).
import { isIP } from 'node:net';
import type { PortRequest } from '../docker-model.js';
import { badRequest } from './network-errors.js';
import type { PortMapping } from './network-record.js';

type Bindings = Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null | undefined;
type PortSet = Record<string, object> | null | undefined;

const PORT_FORMAT = 'expected <port>[/tcp|udp] with a port from 1 to 65535';

/** go-connections' nat.SplitProtoPort: "80/udp" -> ['udp', '80'], "80" -> ['tcp', '80'], "" -> ['', ''] */
export function splitProtoPort(raw: string): [proto: string, port: string] {
  const parts = raw.split('/');
  if (raw === '' || parts[0] === '') return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  return [parts[1] === '' ? 'tcp' : parts[1], parts[0]];
}

/** Go's strconv.ParseUint(s, 10, 16): digits only, no sign, at most 65535 */
function uint16(s: string): number | undefined {
  return /^[0-9]+$/.test(s) && Number(s) <= 65535 ? Number(s) : undefined;
}

/** nat.ParsePortRange: "8000" -> [8000, 8000], "8000-8010" -> [8000, 8010] (a third part is ignored, as in Go) */
export function parsePortRange(raw: string): [first: number, last: number] | undefined {
  const parts = raw.split('-');
  const first = uint16(parts[0]);
  const last = parts.length === 1 ? first : uint16(parts[1]);
  if (first === undefined || last === undefined || last < first) return undefined;
  return [first, last];
}

const specError = (raw: string) =>
  badRequest(`invalid port specification: ${JSON.stringify(raw)}`, ['a port is a number from 1 to 65535, a host port may be a range such as 8000-8010']);

/** "80/tcp" -> { port: 80, proto: 'tcp' } (a key of PortBindings or ExposedPorts) */
export function parsePortKey(key: string): { port: number; proto: 'tcp' | 'udp' } {
  const [proto, portText] = splitProtoPort(key);
  // dockerd refuses a key whose port is no 16-bit number (a range too), in these words
  if (portText !== '' && uint16(portText) === undefined) throw specError(portText);
  const port = uint16(portText) ?? 0;
  if (port === 0) throw badRequest(`invalid port "${key}": ${PORT_FORMAT}`);
  if (proto === 'sctp') throw badRequest(`port ${key}: sctp is not supported by boxlab, use tcp or udp`);
  if (proto !== 'tcp' && proto !== 'udp') throw badRequest(`invalid protocol "${proto}" in port "${key}": ${PORT_FORMAT}`);
  return { port, proto };
}

/** a binding's HostPort: "" or "0" -> pick one; "8080"; "8000-8010" -> a range to pick from ("8080/udp" reads as 8080, as in dockerd) */
function parseHostPort(raw: string | undefined): Pick<PortRequest, 'hostPort' | 'hostPortLast'> {
  const [, text] = splitProtoPort(raw ?? '');
  if (text === '') return { hostPort: 0 };
  const range = parsePortRange(text);
  if (!range) throw specError(raw!);
  const [first, last] = range;
  if (first === last) return { hostPort: first };
  return { hostPort: Math.max(first, 1), hostPortLast: last };
}

/**
 * The ports to publish: every binding of PortBindings, then with -P every exposed port not bound already
 * (on a port to pick). Every exposed port is checked too, since inspect and ps show them. Pure.
 */
export function parsePortBindings(bindings: Bindings, exposed: PortSet, publishAll: boolean | undefined): PortRequest[] {
  const out: PortRequest[] = [];
  const seen = new Set<string>();
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const { port, proto } = parsePortKey(key);
    seen.add(`${port}/${proto}`);
    for (const b of list?.length ? list : [{}]) {
      const hostPorts = parseHostPort(b.HostPort);
      // '' (no address given) takes the network's default at start (withHostBindingIp); an explicit 0.0.0.0 stays
      const hostIp = b.HostIp ?? '';
      if (hostIp && isIP(hostIp) === 0) {
        throw badRequest(`invalid IP address: ${hostIp} (host address of the binding for ${key})`, [
          'publish on one address with -p 127.0.0.1:8080:80, or on all with -p 8080:80',
        ]);
      }
      if (isIP(hostIp) === 6) continue; // IPv6 host addresses: boxlab's networks are IPv4 only
      out.push({ proto, hostIp, ...hostPorts, containerPort: port });
    }
  }
  for (const key of Object.keys(exposed ?? {})) {
    const { port, proto } = parsePortKey(key);
    if (publishAll && !seen.has(`${port}/${proto}`)) out.push({ proto, hostIp: '', hostPort: 0, containerPort: port });
  }
  return out;
}

export const HOST_BINDING_OPTION = 'com.docker.network.bridge.host_binding_ipv4';

/**
 * The host address of each port at start: a binding that named none takes the network's
 * com.docker.network.bridge.host_binding_ipv4 (dockerd's `ip` for the default bridge), one that named
 * 0.0.0.0 keeps every address (''), as dockerd's bridge driver does. Pure.
 */
export function withHostBindingIp<T extends { hostIp: string }>(ports: T[], networkOptions: Record<string, string>): T[] {
  const byDefault = networkOptions[HOST_BINDING_OPTION] ?? '';
  const fallback = byDefault === '0.0.0.0' || isIP(byDefault) !== 4 ? '' : byDefault;
  return ports.map((p) => ({ ...p, hostIp: p.hostIp === '0.0.0.0' ? '' : p.hostIp || fallback }));
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
