// Docker's shapes of networks and of a container's network settings, built from the records. Pure.
import { macForIp, parseSubnet } from './ipv4.js';
import type { Endpoint, Member, NetworkRecord } from './network-record.js';
import { inspectPorts, summaryPorts } from './port-bindings.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function builtinNetwork(name: 'host' | 'none'): Record<string, unknown> {
  return {
    Name: name,
    Id: builtinId(name),
    Created: ZERO_TIME,
    Scope: 'local',
    Driver: name === 'none' ? 'null' : 'host',
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: [] },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: {},
    Options: {},
    Labels: {},
  };
}

export function builtinId(name: string): string {
  return name.padEnd(64, '0');
}

export function networkView(n: NetworkRecord): Record<string, unknown> {
  const prefix = parseSubnet(n.Subnet).prefix;
  const containers: Record<string, unknown> = {};
  for (const e of Object.values(n.endpoints)) {
    containers[e.containerId] = { Name: e.name, EndpointID: e.endpointId, MacAddress: e.mac, IPv4Address: `${e.ip}/${prefix}`, IPv6Address: '' };
  }
  return {
    Name: n.Name,
    Id: n.Id,
    Created: n.Created,
    Scope: 'local',
    Driver: n.Driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: {}, Config: [{ Subnet: n.Subnet, Gateway: n.Gateway }] },
    Internal: n.Internal,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: n.Options,
    Labels: n.Labels,
  };
}

function endpointSettings(n: NetworkRecord, m: Member | undefined, e: Endpoint | undefined): Record<string, unknown> {
  return {
    IPAMConfig: m?.ipv4 ? { IPv4Address: m.ipv4 } : null,
    Links: m?.links.length ? m.links : null,
    // dockerd adds the short id unless the client gave it already (compose 1.29 does, on `network connect`)
    Aliases: m && !n.isDefault ? [...new Set([...m.aliases, m.containerId.slice(0, 12)])] : null,
    NetworkID: n.Id,
    EndpointID: e?.endpointId ?? '',
    Gateway: e ? n.Gateway : '',
    IPAddress: e?.ip ?? '',
    IPPrefixLen: e ? parseSubnet(n.Subnet).prefix : 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    MacAddress: e ? e.mac || macForIp(e.ip) : '',
    DriverOpts: null,
  };
}

/** the container's NetworkSettings (inspect), Ports and Networks (ps); the top-level address is the default bridge's, as in Docker */
export function containerNetworkView(containerId: string, networks: NetworkRecord[], exposed: Record<string, object> | null | undefined) {
  const mine = networks.filter((n) => n.members[containerId] || n.endpoints[containerId]);
  const ports = mine.flatMap((n) => n.endpoints[containerId]?.ports ?? []);
  const nets: Record<string, unknown> = {};
  for (const n of mine) nets[n.Name] = endpointSettings(n, n.members[containerId], n.endpoints[containerId]);
  const def = mine.find((n) => n.isDefault);
  const defEp = def?.endpoints[containerId];
  const anyEp = mine.map((n) => n.endpoints[containerId]).find(Boolean);
  const running = Boolean(anyEp);
  const settings = {
    Bridge: '',
    SandboxID: running ? containerId : '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: running ? inspectPorts(ports, exposed) : {},
    SandboxKey: anyEp?.netnsPath ?? '',
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: defEp?.endpointId ?? '',
    Gateway: defEp ? def!.Gateway : '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: defEp?.ip ?? '',
    IPPrefixLen: defEp ? parseSubnet(def!.Subnet).prefix : 0,
    IPv6Gateway: '',
    MacAddress: defEp?.mac ?? '',
    Networks: nets,
  };
  return { settings, summaryPorts: running ? summaryPorts(ports, exposed) : [], summaryNetworks: nets };
}
