// What the engine keeps about one network, in networks/<id>.json (written atomically): Docker's network
// object (name, driver, subnet, gateway, options) plus the bridge it lives on, the addresses IPAM has
// handed out, the containers configured on it and, while they run, their endpoints (veth, address, ports).

/** one published port: host side (DNAT destination match) -> container side */
export interface PortMapping {
  proto: 'tcp' | 'udp';
  /** "" = every host address (0.0.0.0) */
  hostIp: string;
  hostPort: number;
  containerPort: number;
}

/** a container attached to the network while it runs */
export interface Endpoint {
  endpointId: string;
  containerId: string;
  /** the container's name without the slash */
  name: string;
  ip: string;
  mac: string;
  /** host side of the veth pair, enslaved to the bridge */
  vethHost: string;
  /** interface name inside the container (eth0, eth1, ...) */
  ifName: string;
  /** the netns file the container joins */
  netnsPath: string;
  ports: PortMapping[];
}

/** a container configured on the network (from create or `network connect`), running or not */
export interface Member {
  containerId: string;
  name: string;
  aliases: string[];
  /** --ip */
  ipv4?: string;
  /** --link entries "name:alias" (legacy, default bridge) */
  links: string[];
  /** the network of `docker run --network` (eth0, default route, published ports); false for `network connect` */
  primary?: boolean;
}

export interface NetworkRecord {
  Id: string;
  Name: string;
  Created: string;
  Driver: 'bridge';
  Subnet: string;
  Gateway: string;
  /** the Linux bridge, e.g. boxlab0 or br-<12 hex> */
  bridge: string;
  /**
   * false: the bridge was there before the network (-o com.docker.network.bridge.name naming an existing
   * bridge) and is not the engine's to delete, as in dockerd; absent in records written before this was kept
   */
  bridgeCreated?: boolean;
  Internal: boolean;
  /** com.docker.network.bridge.enable_icc */
  icc: boolean;
  Options: Record<string, string>;
  Labels: Record<string, string>;
  /** the default `bridge` network: no name resolution between containers (as Docker) */
  isDefault: boolean;
  /** address -> container id: IPAM's book, so that no address is handed out twice, even after a restart */
  allocations: Record<string, string>;
  members: Record<string, Member>;
  endpoints: Record<string, Endpoint>;
}

/** networks that are not bridges: answered by the API without a record */
export const BUILTIN_NETWORKS = ['host', 'none'] as const;
