// docker create and docker rm, the network side. At create the container becomes a member of its network
// (Docker's endpoint config: --network-alias, --ip, --link) and its published ports (-p, -P, parsed at
// the API's edge) are kept for its starts; at rm it leaves every network and the book forgets it.
// --network host, none and container:<id> need nothing from the plane.
import { contains, parseSubnet } from './ipv4.js';
import { releaseAll } from './endpoint-plug.js';
import { badRequest } from './network-errors.js';
import { checkAliases, checkIpv4Address } from './network-names.js';
import { isDefaultMode, type RegisterRequest } from './network-attacher.js';
import type { PlaneContext } from './plane-context.js';

type EndpointConfig = { Aliases?: string[] | null; IPAMConfig?: { IPv4Address?: string } | null };

export async function registerContainer(ctx: PlaneContext, req: RegisterRequest): Promise<void> {
  const mode = req.hostConfig.NetworkMode;
  if (mode === 'host' || mode === 'none' || mode?.startsWith('container:')) return;
  const n = isDefaultMode(mode) ? ctx.book.defaultNetwork() : ctx.book.find(mode!);
  // 400, not Docker's 404: on a 404 the docker CLI thinks the image is missing and tries to pull it first
  if (!n) throw badRequest(`network ${mode ?? 'bridge'} not found`, ['list networks with: docker network ls']);
  const endpoints = (req.networkingConfig?.EndpointsConfig ?? {}) as Record<string, EndpointConfig | undefined>;
  const ec = endpoints[mode ?? ''] ?? endpoints[n.Name] ?? endpoints[n.Id];
  const ipv4 = checkIpv4Address(ec?.IPAMConfig?.IPv4Address);
  const aliases = checkAliases(ec?.Aliases);
  if (ipv4 && n.isDefault) throw badRequest('user specified IP address is supported on user defined networks only');
  if (ipv4 && !contains(parseSubnet(n.Subnet), ipv4)) throw badRequest(`address ${ipv4} is not in the subnet ${n.Subnet} of network ${n.Name}`);
  if (aliases.length && n.isDefault) throw badRequest('network-scoped alias is supported only for containers in user defined networks');
  n.members[req.containerId] = { containerId: req.containerId, name: req.name, aliases, ipv4, links: req.hostConfig.Links ?? [], primary: true };
  await ctx.book.save(n);
  await ctx.book.setPublishedPorts(req.containerId, req.ports ?? []);
}

export async function forgetContainer(ctx: PlaneContext, containerId: string): Promise<void> {
  await releaseAll(ctx, containerId);
  await ctx.book.markDisconnected(containerId, false);
  await ctx.book.setPublishedPorts(containerId, undefined);
  for (const n of ctx.book.all()) {
    if (!n.members[containerId]) continue;
    delete n.members[containerId];
    await ctx.book.save(n);
  }
}
