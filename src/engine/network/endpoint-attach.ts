// docker start, the network side (before runc): the container's network namespace, its endpoint on each
// of its networks (eth0 on the primary one, which also carries the published ports and, usually, the
// default route), the rules, /etc/hosts and the DNS server. What can fail without leaving anything
// behind is checked first: the packet filter, then the host ports; any later failure takes back all of it.
import { pointAtNetworkDns } from './dns/container-dns.js';
import { defaultRouteIndex } from './default-route.js';
import { allocateHostPorts } from './host-ports.js';
import { writeAllHosts } from './hosts-sync.js';
import { syncKernel } from './kernel-sync.js';
import { badRequest } from './network-errors.js';
import { checkHostname } from './network-names.js';
import { isDefaultMode, type AttachRequest } from './network-attacher.js';
import type { PortMapping } from './network-record.js';
import { parsePortBindings, withHostBindingIp } from './port-bindings.js';
import { releaseAll, plugInto } from './endpoint-plug.js';
import type { PlaneContext } from './plane-context.js';

export async function attachContainer(ctx: PlaneContext, req: AttachRequest): Promise<{ network: { mode: 'path'; path: string } } | undefined> {
  let nets = ctx.book.memberNetworks(req.containerId);
  const mode = req.hostConfig.NetworkMode;
  // disconnected from its last network: it runs with its own namespace and loopback only (Docker)
  if (nets.length === 0 && ctx.book.isDisconnected(req.containerId)) return undefined;
  checkHostname(req.hostname);
  if (nets.length === 0 && mode && !isDefaultMode(mode)) {
    // its network was removed while it was stopped (Docker refuses the start the same way)
    throw badRequest(`network ${mode} not found`, [`create it again (docker network create ${mode}) or connect the container to another network`]);
  }
  if (nets.length === 0) {
    // a container created before this engine had networks: it joins the default bridge, as Docker's would
    const def = ctx.book.defaultNetwork()!;
    def.members[req.containerId] = { containerId: req.containerId, name: req.name, aliases: [], links: req.hostConfig.Links ?? [], primary: true };
    nets = [def];
  }
  // before anything is created: without a packet filter there is no bridge network (issue 3, VM sandbox)
  const backend = await ctx.kernel.usablePacketFilter();
  // ports first: a port that is taken fails the start before anything is created
  const ports = nets[0].Internal ? [] : await publishedPorts(ctx, req, nets[0].Options);
  const netns = await ctx.driver.createNetns(req.containerId);
  ctx.trace(req.containerId, 'network.netns', { path: netns });
  try {
    const routeVia = defaultRouteIndex(nets);
    for (const [i, n] of nets.entries()) {
      await plugInto(ctx, n, n.members[req.containerId], netns, `eth${i}`, { primary: i === 0, ports: i === 0 ? ports : [], req, defaultRoute: i === routeVia });
    }
    await syncKernel(ctx, req.containerId, backend);
    await writeAllHosts(ctx);
    await pointAtNetworkDns(ctx, nets, { containerId: req.containerId, resolvConfPath: req.resolvConfPath, dnsServers: req.hostConfig.Dns });
    for (const n of nets) await ctx.book.save(n);
  } catch (err) {
    await releaseAll(ctx, req.containerId).catch(() => undefined);
    throw err;
  }
  return { network: { mode: 'path', path: netns } };
}

/** the host side of the ports the container registered at create, picked and checked now */
async function publishedPorts(ctx: PlaneContext, req: AttachRequest, networkOptions: Record<string, string>): Promise<PortMapping[]> {
  // a container created by an engine that did not register its ports: read from its HostConfig, as then
  const registered = ctx.book.publishedPorts(req.containerId) ?? parsePortBindings(req.hostConfig.PortBindings, req.exposedPorts, req.hostConfig.PublishAllPorts);
  // -p 8080:80 publishes on the network's default host address (dockerd's ip), -p 0.0.0.0:8080:80 on all
  const requests = withHostBindingIp(registered, networkOptions);
  const allocated = await allocateHostPorts(req.name, requests, ctx.book.endpointsOfAll().flatMap((e) => e.ports), ctx.canBind);
  return allocated.map(({ picked, ...p }) => {
    ctx.trace(req.containerId, 'network.port', { hostIp: p.hostIp || '0.0.0.0', hostPort: p.hostPort, containerPort: p.containerPort, proto: p.proto, picked });
    return p;
  });
}
