// The network plane across engine restarts. At start (loadNetworks) the records come back from disk and
// the default `bridge` network follows the engine's --bridge-name/--bridge-subnet (and bip, mtu, ip, icc), and the DNS servers of
// networks with running containers listen again before the API answers. Then (reconcile), as
// after a crash: endpoints of containers that no longer run are removed (veth, address, netns), members
// of containers that are gone are dropped (and their published ports), bridges are there, the rules are rebuilt from what runs now,
// and the DNS servers that could not bind at start (their bridge was missing) listen. At stop (shutdown), with no container
// on any network, boxlab leaves nothing in the kernel (bridges, rules).
import { failedPrecondition, messageOf } from '../../core/errors.js';
import type { DefaultBridge } from './default-bridge.js';
import { unplug } from './endpoint-plug.js';
import { writeAllHosts } from './hosts-sync.js';
import { nthAddress, parseSubnet } from './ipv4.js';
import { syncKernel } from './kernel-sync.js';
import { newNetworkRecord } from './network-book.js';
import type { Member, NetworkRecord } from './network-record.js';
import { deleteOwnBridge, type PlaneContext } from './plane-context.js';

/** the default bridge's gateway: bip's address, or the subnet's first one */
function gatewayOf(want: DefaultBridge): string {
  return want.gateway ?? nthAddress(parseSubnet(want.subnet), 1);
}

/** the options dockerd shows for docker0: its icc, ip and mtu settings among them */
export function defaultNetworkOptions(want: DefaultBridge): Record<string, string> {
  return {
    'com.docker.network.bridge.default_bridge': 'true',
    'com.docker.network.bridge.enable_icc': String(want.icc ?? true),
    'com.docker.network.bridge.enable_ip_masquerade': 'true',
    'com.docker.network.bridge.host_binding_ipv4': want.hostBindingIp ?? '0.0.0.0',
    'com.docker.network.bridge.name': want.bridge,
    'com.docker.network.driver.mtu': String(want.mtu ?? 1500),
  };
}

/** the default `bridge` network, with the options dockerd shows for docker0 */
export function defaultNetworkRecord(want: DefaultBridge, members: Record<string, Member>): NetworkRecord {
  const subnet = parseSubnet(want.subnet);
  return newNetworkRecord('bridge', subnet.cidr, gatewayOf(want), want.bridge, { isDefault: true, members, icc: want.icc ?? true, Options: defaultNetworkOptions(want) });
}

export async function loadNetworks(ctx: PlaneContext): Promise<void> {
  await ctx.book.load();
  const want = ctx.defaultBridge;
  const def = ctx.book.defaultNetwork();
  if (def && Object.keys(def.endpoints).length === 0 && (def.bridge !== want.bridge || def.Subnet !== parseSubnet(want.subnet).cidr || def.Gateway !== gatewayOf(want))) {
    // the engine was started with another --bridge-name/--bridge-subnet/bip: follow it
    await deleteOwnBridge(ctx, def);
    await ctx.book.drop(def);
  }
  // the containers configured on the old default network stay on the new one
  if (!ctx.book.defaultNetwork()) await ctx.book.put(defaultNetworkRecord(want, def?.members ?? {}));
  // icc, ip and mtu follow the engine's configuration at each start, even with containers running (as
  // dockerd's): the rules are rebuilt by reconcile; a running container's eth0 keeps the MTU it started with
  const now = ctx.book.defaultNetwork()!;
  const options = defaultNetworkOptions(want);
  if (JSON.stringify(now.Options) !== JSON.stringify(options) || now.icc !== (want.icc ?? true)) {
    now.Options = options;
    now.icc = want.icc ?? true;
    await ctx.book.save(now);
  }
  await listenForRunningContainers(ctx);
}

/**
 * The DNS servers of networks with containers, if their bridge is there: at once, before the engine's API
 * answers (it answers while reconcile runs), since a container that kept running while the engine was
 * down asks its server as soon as it is back; a server that cannot bind yet comes with reconcile.
 */
async function listenForRunningContainers(ctx: PlaneContext): Promise<void> {
  for (const n of ctx.book.all()) {
    const first = Object.keys(n.endpoints)[0];
    if (first && ctx.dns && (await ctx.driver.linkExists(n.bridge))) await ctx.dns.ensure(n, first);
  }
}

export async function reconcileNetworks(ctx: PlaneContext, running: Set<string>, known: Set<string>): Promise<string[]> {
  const warnings: string[] = [];
  for (const n of ctx.book.all()) {
    for (const id of Object.keys(n.endpoints)) if (!running.has(id)) await unplug(ctx, n, id);
    for (const [ip, owner] of Object.entries(n.allocations)) if (!n.endpoints[owner]) delete n.allocations[ip];
    for (const id of Object.keys(n.members)) if (!known.has(id)) delete n.members[id];
    // user networks keep their bridge (as `docker network create` made it); the default one comes with its first container
    if (!n.isDefault || Object.keys(n.endpoints).length > 0) {
      if (await ctx.driver.ensureBridge(n.bridge, n.Gateway, parseSubnet(n.Subnet).prefix).catch(() => false)) n.bridgeCreated = true;
    }
    await ctx.book.save(n);
  }
  await ctx.book.keepPublishedOf(known);
  const inUse = new Set(ctx.book.endpointsOfAll().map((e) => e.netnsPath));
  for (const file of await ctx.driver.listNetnsFiles()) if (!inUse.has(file)) await ctx.driver.removeNetns(file);
  // an unusable packet filter must not stop the engine: bridge containers then fail to start with this error
  try {
    await ctx.kernel.usablePacketFilter();
    await syncKernel(ctx);
  } catch (err) {
    warnings.push(`${messageOf(err)} (containers on bridge networks cannot start until this is fixed)`);
  }
  await writeAllHosts(ctx).catch(() => undefined);
  // the servers that could not listen at start (their bridge was missing) come now; the others are there already
  for (const n of ctx.book.all()) if (Object.keys(n.endpoints).length > 0) await ctx.dns?.ensure(n, Object.keys(n.endpoints)[0]);
  return warnings;
}

/** the idle engine's teardown besides the chains: the default bridge (user networks keep theirs) */
export async function removeIdleDefaultBridge(ctx: PlaneContext): Promise<void> {
  const def = ctx.book.defaultNetwork();
  if (def && (await ctx.driver.linkExists(def.bridge))) await deleteOwnBridge(ctx, def);
}

export async function shutdownNetworks(ctx: PlaneContext): Promise<void> {
  ctx.kernel.cancelIdle();
  // the sockets go with the engine; reconcile opens them again at the next start
  await ctx.dns?.stopAll();
  if (ctx.book.endpointsOfAll().length > 0) return;
  let failure: unknown;
  try {
    await ctx.kernel.teardown();
  } catch (err) {
    failure = err;
  }
  // user networks' bridges come back at the next start (reconcile); they go even if iptables failed
  for (const n of ctx.book.all()) if (await ctx.driver.linkExists(n.bridge)) await deleteOwnBridge(ctx, n);
  if (failure) throw failedPrecondition(`could not remove boxlab's iptables chains: ${messageOf(failure)}`, { suggestions: ['look with: iptables-save | grep BOXLAB'] });
}
