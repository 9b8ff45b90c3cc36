// A container's endpoint on one network, as Docker's bridge driver makes it: an address from IPAM, a veth
// pair (one end eth<N> in the container's netns, the other on the bridge), the endpoint recorded; and the
// reverse. releaseAll takes back everything a container has on every network (its exit, a failed start).
import { randomBytes } from 'node:crypto';
import { newId } from '../../core/ids.js';
import { allocateAddress } from './ipam.js';
import { macForIp, parseSubnet } from './ipv4.js';
import { mtuOption } from './network-names.js';
import { syncKernel } from './kernel-sync.js';
import { writeAllHosts } from './hosts-sync.js';
import type { LiveEndpoint } from './network-book.js';
import type { Member, NetworkRecord, PortMapping } from './network-record.js';
import type { AttachRequest } from './network-attacher.js';
import type { PlaneContext } from './plane-context.js';

export interface PlugOptions {
  /** the network of `docker run --network` (its endpoint holds the /etc/hosts the plane keeps) */
  primary: boolean;
  ports: PortMapping[];
  /** the start request, for the container's /etc/hosts */
  req?: AttachRequest;
  /** the default route goes through this network's gateway (default-route.ts) */
  defaultRoute: boolean;
}

/** address from IPAM, veth pair into the bridge, endpoint recorded */
export async function plugInto(ctx: PlaneContext, n: NetworkRecord, member: Member, netns: string, ifName: string, o: PlugOptions): Promise<void> {
  const subnet = parseSubnet(n.Subnet);
  if (await ctx.driver.ensureBridge(n.bridge, n.Gateway, subnet.prefix)) {
    n.bridgeCreated = true;
    ctx.trace(member.containerId, 'network.bridge', { bridge: n.bridge, gateway: `${n.Gateway}/${subnet.prefix}`, network: n.Name });
  }
  const ip = allocateAddress(subnet, n.Gateway, n.allocations, member.ipv4);
  n.allocations[ip] = member.containerId;
  ctx.trace(member.containerId, 'network.address', { ip: `${ip}/${subnet.prefix}`, subnet: n.Subnet, network: n.Name, gateway: n.Gateway });
  const vethHost = `veth${randomBytes(4).toString('hex').slice(0, 7)}`;
  const mac = macForIp(ip);
  const ep: LiveEndpoint = {
    endpointId: newId(),
    containerId: member.containerId,
    name: member.name,
    ip,
    mac,
    vethHost,
    ifName,
    netnsPath: netns,
    ports: o.ports,
    hostsPath: o.req?.hostsPath,
    hostsBase: o.req?.hostsBase,
    hostname: o.req?.hostname,
    primary: o.primary,
    resolvConfPath: o.req?.resolvConfPath,
    dnsServers: o.req?.hostConfig.Dns ?? undefined,
  };
  n.endpoints[member.containerId] = ep;
  const mtu = mtuOption(n.Options);
  await ctx.driver.plug(netns, { ifName, vethHost, mac, ip, prefix: subnet.prefix, gateway: o.defaultRoute ? n.Gateway : undefined, ...(mtu ? { mtu } : {}) }, n.bridge);
  ctx.trace(member.containerId, 'network.veth', { hostSide: vethHost, containerSide: ifName, bridge: n.bridge, mac, network: n.Name, ...(mtu ? { mtu } : {}) });
}

/** the veth goes (its peer in the netns with it), the address goes back to IPAM, the endpoint out of the record */
export async function unplug(ctx: PlaneContext, n: NetworkRecord, containerId: string): Promise<void> {
  const ep = n.endpoints[containerId];
  if (!ep) return;
  await ctx.driver.deleteLink(ep.vethHost);
  delete n.allocations[ep.ip];
  delete n.endpoints[containerId];
  ctx.trace(containerId, 'network.release', { ip: ep.ip, veth: ep.vethHost, network: n.Name, ports: ep.ports.length });
}

/** every step is tried even if one before it failed (a failed start must leave nothing); the first error is thrown */
export async function releaseAll(ctx: PlaneContext, containerId: string): Promise<void> {
  let first: unknown;
  const attempt = (p: Promise<unknown>) => p.catch((err: unknown) => void (first ??= err));
  const mine = ctx.book.all().filter((n) => n.endpoints[containerId] || Object.values(n.allocations).includes(containerId));
  // the namespace's bind mount comes off while the veths are deleted: two processes at once, not in turn
  // (the kernel deletes a veth whose other end was in a namespace that goes: ip link del may find it gone)
  const netnsGone = attempt(ctx.driver.removeNetns(ctx.driver.netnsPath(containerId)));
  for (const n of mine) {
    await attempt(unplug(ctx, n, containerId));
    for (const [ip, owner] of Object.entries(n.allocations)) if (owner === containerId) delete n.allocations[ip];
    await attempt(ctx.book.save(n));
  }
  await netnsGone;
  if (mine.length) {
    await attempt(syncKernel(ctx));
    await attempt(writeAllHosts(ctx));
  }
  if (first !== undefined) throw first;
}
