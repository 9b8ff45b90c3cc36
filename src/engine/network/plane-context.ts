// What the network plane's operations share (network-plane.ts builds it once): the book of networks, the
// kernel's doors (the bridge driver for links and namespaces, the rule writer for iptables), the DNS
// servers and the tracer. Each operation file (network-create.ts, endpoint-attach.ts, ...) is a set of
// functions over this context, run one at a time by the plane's queue.
import type { Tracer } from '../trace/tracer.js';
import type { BridgeDriver } from './bridge-driver.js';
import type { DefaultBridge } from './default-bridge.js';
import type { EmbeddedDns } from './dns/embedded-dns.js';
import type { canBind } from './host-ports.js';
import type { KernelSync } from './kernel-sync.js';
import type { NetworkBook } from './network-book.js';

/** what the plane needs from the bridge driver (bridge-driver.ts) */
export type LinkDriver = Pick<BridgeDriver, 'linkExists' | 'ensureBridge' | 'adoptBridge' | 'deleteLink' | 'deleteBridge' | 'netnsPath' | 'createNetns' | 'removeNetns' | 'listNetnsFiles' | 'plug'>;
export type { RuleWriter } from './iptables.js';

/** what the plane needs from the user networks' DNS servers (dns/embedded-dns.ts) */
export type NetworkDns = Pick<EmbeddedDns, 'ensure' | 'stop' | 'stopAll'>;

export type TraceStep = Parameters<Tracer['emit']>[1];

export interface PlaneContext {
  book: NetworkBook;
  driver: LinkDriver;
  kernel: KernelSync;
  /** the user networks' DNS servers; undefined: none (unit tests) */
  dns?: NetworkDns;
  canBind: typeof canBind;
  defaultBridge: DefaultBridge;
  /** into `containerId`'s trace, when there is a container to tell */
  trace(containerId: string | undefined, step: TraceStep, details: Record<string, unknown>): void;
}

/** the network's bridge, if the engine created it: a bridge the user named and made stays (dockerd) */
export async function deleteOwnBridge(ctx: Pick<PlaneContext, 'driver'>, n: { bridge: string; bridgeCreated?: boolean }): Promise<void> {
  if (n.bridgeCreated !== false) await ctx.driver.deleteBridge(n.bridge);
}
