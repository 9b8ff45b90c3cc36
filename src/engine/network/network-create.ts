// docker network create: Docker's checks and words (name, driver, IPv6, a subnet that overlaps another
// network or a host route, a gateway outside the subnet, a bridge name another network has), then the
// bridge (made, or an existing one adopted as dockerd does) and the record. Without --subnet the subnet
// is the first of Docker's pool (default-bridge.ts subnetPool) that nothing uses.
import { failedPrecondition } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { newId } from '../../core/ids.js';
import { subnetPool } from './default-bridge.js';
import { contains, isIpv4, nthAddress, overlaps, parseSubnet } from './ipv4.js';
import { syncKernel } from './kernel-sync.js';
import { newNetworkRecord } from './network-book.js';
import { badRequest, conflict } from './network-errors.js';
import { boolOption, BRIDGE_NAME_OPTION, checkDriverOptions, shown } from './network-names.js';
import { BUILTIN_NETWORKS, type NetworkRecord } from './network-record.js';
import type { PlaneContext } from './plane-context.js';

export interface CreateNetworkRequest {
  Name?: string;
  Driver?: string;
  Internal?: boolean;
  IPAM?: { Driver?: string; Config?: Array<{ Subnet?: string; Gateway?: string; IPRange?: string }> | null } | null;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
  EnableIPv6?: boolean;
}

/** a subnet in use, and by what (for the overlap error) */
export interface UsedSubnet {
  subnet: string;
  what: string;
}

/** the host's routes from `ip -4 -j route show`, leaving out the default route and boxlab's own bridges. Pure. */
export function hostRouteSubnets(ipRouteJson: string, ownBridges: Set<string>): UsedSubnet[] {
  const out: UsedSubnet[] = [];
  let routes: Array<{ dst: string; dev?: string }>;
  try {
    routes = JSON.parse(ipRouteJson || '[]') as Array<{ dst: string; dev?: string }>;
  } catch {
    return out; // no JSON from ip: only boxlab's own networks are checked
  }
  for (const r of routes) {
    if (r.dst === 'default' || (r.dev && ownBridges.has(r.dev))) continue;
    const dst = r.dst.includes('/') ? r.dst : `${r.dst}/32`;
    if (/^[\d.]+\/\d+$/.test(dst) && Number(dst.split('/')[1]) >= 8) out.push({ subnet: dst, what: `a host route on ${r.dev ?? '?'}` });
  }
  return out;
}

/** --subnet if it overlaps nothing, else the first free subnet of Docker's pool. Pure. */
export function chooseSubnet(requested: string | undefined, used: UsedSubnet[]): string {
  if (requested) {
    const subnet = parseSubnet(requested);
    const clash = used.find((o) => overlaps(parseSubnet(o.subnet), subnet));
    if (clash) {
      throw badRequest(`invalid pool request: Pool overlaps with other one on this address space: ${subnet.cidr} overlaps ${clash.what} (${clash.subnet})`, [
        'pick a subnet that no other network or host route uses (docker network inspect <name>, ip route)',
      ]);
    }
    return subnet.cidr;
  }
  const free = [...subnetPool()].find((c) => !used.some((o) => overlaps(parseSubnet(o.subnet), parseSubnet(c))));
  if (!free) throw failedPrecondition('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network', { suggestions: ['give one with --subnet'] });
  return free;
}

/** subnets of boxlab's networks and the host's routes (not counting boxlab's own bridges) */
async function usedSubnets(networks: NetworkRecord[]): Promise<UsedSubnet[]> {
  const routes = await run('ip', ['-4', '-j', 'route', 'show'], { allowFailure: true });
  return [...networks.map((n) => ({ subnet: n.Subnet, what: `network ${n.Name}` })), ...hostRouteSubnets(routes.stdout, new Set(networks.map((n) => n.bridge)))];
}

export async function createNetwork(ctx: PlaneContext, req: CreateNetworkRequest): Promise<{ Id: string; Warning: string }> {
  const name = typeof req.Name === 'string' ? req.Name : '';
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw badRequest(`invalid network name ${shown(name)}: use letters, digits, "_", "." and "-"`);
  if ((BUILTIN_NETWORKS as readonly string[]).includes(name) || ctx.book.find(name)?.Name === name) {
    throw conflict(`network with name ${name} already exists`, ['pick another name, or remove the old one: docker network rm ' + name]);
  }
  const driver = req.Driver || 'bridge';
  if (driver !== 'bridge') throw badRequest(`network driver "${driver}" is not supported: boxlab has the bridge driver only`, ['leave out --driver, or use --driver bridge']);
  if (req.EnableIPv6) throw badRequest('IPv6 networks are not supported by boxlab', ['leave out --ipv6']);
  const config = Array.isArray(req.IPAM?.Config) ? req.IPAM.Config[0] : undefined;
  for (const [field, value] of Object.entries({ Subnet: config?.Subnet, Gateway: config?.Gateway })) {
    if (value !== undefined && value !== null && typeof value !== 'string') throw badRequest(`invalid IPAM ${field} ${JSON.stringify(value)}: expected a string such as 10.77.0.0/24 or 10.77.0.1`);
  }
  const subnet = parseSubnet(chooseSubnet(config?.Subnet, await usedSubnets(ctx.book.all())));
  const gateway = config?.Gateway || nthAddress(subnet, 1);
  if (!isIpv4(gateway) || !contains(subnet, gateway)) throw badRequest(`invalid gateway ${shown(gateway)}: it must be an address in ${subnet.cidr}`);
  const options = checkDriverOptions(req.Options);
  const id = newId();
  const bridge = options[BRIDGE_NAME_OPTION] || `br-${id.slice(0, 12)}`;
  const sameBridge = ctx.book.all().find((n) => n.bridge === bridge);
  if (sameBridge) {
    throw conflict(`cannot create network ${id} (${bridge}): conflicts with network ${sameBridge.Id} (${sameBridge.bridge}): networks have same bridge name`, [
      `network ${sameBridge.Name} uses it: pick another -o ${BRIDGE_NAME_OPTION}`,
    ]);
  }
  const record = newNetworkRecord(name, subnet.cidr, gateway, bridge, {
    Id: id,
    Internal: Boolean(req.Internal),
    icc: boolOption(options, 'com.docker.network.bridge.enable_icc', true),
    Options: options,
    Labels: req.Labels ?? {},
  });
  // an existing bridge is used and left in place on rm (dockerd); any other interface is refused
  record.bridgeCreated = await ctx.driver.ensureBridge(bridge, gateway, subnet.prefix);
  if (!record.bridgeCreated) await ctx.driver.adoptBridge(bridge, gateway, subnet.prefix);
  await ctx.book.put(record);
  await syncKernel(ctx);
  return { Id: id, Warning: '' };
}
