// The `ip` commands of the bridge driver, built apart from running them (each list goes to one
// `ip -batch -` process, which is what makes a container's network cost a few processes, not a dozen):
//   bridge:   a Linux bridge (a virtual switch) with the gateway address on it, like docker0
//   sandbox:  inside the container's network namespace, one end of a veth pair (a virtual cable) becomes
//             eth0 with the address IPAM gave; the other end is created in the host's namespace
//   host:     the host end is plugged into the bridge
export function bridgeCommands(bridge: string, gateway: string, prefix: number): string[] {
  return [`link add name ${bridge} type bridge`, `addr add ${gateway}/${prefix} dev ${bridge}`, `link set ${bridge} up`];
}

export interface SandboxLink {
  ifName: string;
  vethHost: string;
  mac: string;
  ip: string;
  prefix: number;
  /** the default route goes through one network's gateway only (default-route.ts); replace: a connect may take it over */
  gateway?: string;
}

/** run inside the netns (nsenter --net=<file>); hostPid: a process in the host's namespace (boxlabd) */
export function sandboxCommands(link: SandboxLink, hostPid: number): string[] {
  return [
    `link add ${link.ifName} address ${link.mac} type veth peer name ${link.vethHost} netns ${hostPid}`,
    `addr add ${link.ip}/${link.prefix} dev ${link.ifName}`,
    'link set lo up',
    `link set ${link.ifName} up`,
    ...(link.gateway ? [`route replace default via ${link.gateway}`] : []),
  ];
}

export function hostSideCommands(vethHost: string, bridge: string): string[] {
  return [`link set ${vethHost} master ${bridge}`, `link set ${vethHost} up`];
}
