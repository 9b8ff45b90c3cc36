// docker network connect and disconnect. A connected container is a member from now on; a running one
// gets its endpoint (eth<N>) at once, in the namespace it already has, and takes the default route over
// only from internal networks (default-route.ts). Disconnected from its last network, a container keeps
// starting with loopback only, as in Docker.
import { failedPrecondition } from '../../core/errors.js';
import { pointAtNetworkDns } from './dns/container-dns.js';
import { takesDefaultRoute } from './default-route.js';
import { plugInto, unplug } from './endpoint-plug.js';
import { writeAllHosts } from './hosts-sync.js';
import { syncKernel } from './kernel-sync.js';
import type { LiveEndpoint } from './network-book.js';
import { badRequest, conflict } from './network-errors.js';
import { checkAliases, checkIpv4Address } from './network-names.js';
import { BUILTIN_NETWORKS, type Member } from './network-record.js';
import type { PlaneContext } from './plane-context.js';

export interface ContainerRef {
  containerId: string;
  name: string;
  running: boolean;
}

export interface ConnectConfig {
  Aliases?: string[] | null;
  IPAMConfig?: { IPv4Address?: string } | null;
}

export async function connectContainer(ctx: PlaneContext, ref: string, c: ContainerRef, config: ConnectConfig): Promise<void> {
  if ((BUILTIN_NETWORKS as readonly string[]).includes(ref)) throw failedPrecondition(`container cannot be connected to the ${ref} network: use docker run --network ${ref}`);
  const n = ctx.book.mustFind(ref);
  if (n.members[c.containerId]) throw conflict(`endpoint with name ${c.name} already exists in network ${n.Name}`);
  if (n.isDefault && config.Aliases?.length) throw badRequest('network-scoped alias is supported only for containers in user defined networks');
  const sandbox = ctx.book.endpointsOf(c.containerId)[0];
  if (c.running && !sandbox) throw failedPrecondition(`container ${c.name} has no bridge network namespace (it runs with --network none, host or container:): it cannot join ${n.Name}`);
  const member: Member = { containerId: c.containerId, name: c.name, aliases: checkAliases(config.Aliases), ipv4: checkIpv4Address(config.IPAMConfig?.IPv4Address), links: [] };
  n.members[c.containerId] = member;
  await ctx.book.markDisconnected(c.containerId, false);
  if (c.running && sandbox) {
    const current = ctx.book.endpointsOf(c.containerId).map((e) => e.network);
    try {
      await plugInto(ctx, n, member, sandbox.ep.netnsPath, `eth${current.length}`, { primary: false, ports: [], defaultRoute: takesDefaultRoute(n, current) });
      const ep = n.endpoints[c.containerId] as LiveEndpoint;
      const { hostsPath, hostsBase, hostname, resolvConfPath, dnsServers } = sandbox.ep;
      Object.assign(ep, { hostsPath, hostsBase, hostname, resolvConfPath, dnsServers });
    } catch (err) {
      delete n.members[c.containerId];
      throw err;
    }
    await syncKernel(ctx, c.containerId);
    await writeAllHosts(ctx);
    // its first user network: from now on it asks the embedded DNS, as in Docker (resolv.conf rewritten)
    if (current.every((net) => net.isDefault)) await pointAtNetworkDns(ctx, [n], { containerId: c.containerId, resolvConfPath: sandbox.ep.resolvConfPath, dnsServers: sandbox.ep.dnsServers });
    else await ctx.dns?.ensure(n, c.containerId);
  }
  await ctx.book.save(n);
}

export async function disconnectContainer(ctx: PlaneContext, ref: string, containerId: string): Promise<void> {
  const n = ctx.book.mustFind(ref);
  if (!n.members[containerId] && !n.endpoints[containerId]) throw failedPrecondition(`container ${containerId.slice(0, 12)} is not connected to network ${n.Name}`);
  await unplug(ctx, n, containerId);
  delete n.members[containerId];
  await ctx.book.save(n);
  if (ctx.book.memberNetworks(containerId).length === 0) await ctx.book.markDisconnected(containerId, true);
  if (ctx.book.endpointsOf(containerId).length === 0) await ctx.driver.removeNetns(ctx.driver.netnsPath(containerId));
  await syncKernel(ctx);
  await writeAllHosts(ctx);
}
