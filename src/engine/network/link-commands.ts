// The `ip` commands of the bridge driver, built apart from running them (each list goes to one
// `ip -batch -` process, which is what makes a container's network cost a few processes, not a dozen):
//   bridge:   a Linux bridge (a virtual switch) with the gateway address and its own MAC address, like docker0
//   sandbox:  inside the container's network namespace, one end of a veth pair (a virtual cable) becomes
//             eth0 with the address IPAM gave; the other end is created in the host's namespace
//   host:     the host end is plugged into the bridge
// The batch input is text, one command a line: every name goes through assertOneWord (network-names.ts),
// so that no value can add a line or a word, and interfaces are named after `dev`, so that a bridge
// called "up" is not read as a keyword.
import { macForIp } from './ipv4.js';
import { assertOneWord } from './network-names.js';

const word = (value: string | number, what: string) => assertOneWord(String(value), what);

/**
 * A bridge given no MAC address takes the lowest one of its ports, so a container's veth joining or
 * leaving could change it: the other containers' ARP caches would still name the old one, and the gateway
 * (the engine's DNS server, the way out) would not answer them until the entry expires, half a minute or
 * more. As dockerd does, the bridge gets its own address at creation: 02:42 and the gateway's IPv4 address
 * (no container has that address, so no container has that MAC: macForIp).
 */
export function bridgeCommands(bridge: string, gateway: string, prefix: number): string[] {
  const br = word(bridge, 'bridge name');
  const addr = `${word(gateway, 'gateway')}/${word(prefix, 'prefix')}`;
  return [`link add name ${br} address ${word(macForIp(gateway), 'mac address')} type bridge`, `addr add ${addr} dev ${br}`, `link set dev ${br} up`];
}

/** an existing bridge the engine did not create (Docker uses it too): it gets the gateway address and goes up */
export function adoptBridgeCommands(bridge: string, gateway: string, prefix: number): string[] {
  const br = word(bridge, 'bridge name');
  return [`addr replace ${word(gateway, 'gateway')}/${word(prefix, 'prefix')} dev ${br}`, `link set dev ${br} up`];
}

export interface SandboxLink {
  ifName: string;
  vethHost: string;
  mac: string;
  ip: string;
  prefix: number;
  /** the default route goes through one network's gateway only (default-route.ts); replace: a connect may take it over */
  gateway?: string;
  /** both ends' MTU (the network's com.docker.network.driver.mtu, dockerd's mtu); absent: the kernel's 1500 */
  mtu?: number;
}

/** run inside the netns (nsenter --net=<file>); hostPid: a process in the host's namespace (boxlabd) */
export function sandboxCommands(link: SandboxLink, hostPid: number): string[] {
  const ifName = word(link.ifName, 'interface name');
  const vethHost = word(link.vethHost, 'veth name');
  // a bridge without its own MTU takes the least of its ports': it follows its containers' veths
  const mtu = link.mtu !== undefined ? ` mtu ${word(link.mtu, 'mtu')}` : '';
  return [
    `link add ${ifName}${mtu} address ${word(link.mac, 'mac address')} type veth peer name ${vethHost}${mtu} netns ${word(hostPid, 'pid')}`,
    `addr add ${word(link.ip, 'address')}/${word(link.prefix, 'prefix')} dev ${ifName}`,
    'link set dev lo up',
    `link set dev ${ifName} up`,
    ...(link.gateway ? [`route replace default via ${word(link.gateway, 'gateway')}`] : []),
  ];
}

export function hostSideCommands(vethHost: string, bridge: string): string[] {
  const veth = word(vethHost, 'veth name');
  return [`link set dev ${veth} master ${word(bridge, 'bridge name')}`, `link set dev ${veth} up`];
}
