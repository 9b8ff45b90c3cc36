// The network plane: Docker's bridge driver over Linux tools. It keeps the networks (network-book.ts),
// hands out addresses (IPAM), builds each running container's network namespace, veth pair and address
// (bridge-driver.ts, endpoint-plug.ts), publishes ports and isolates networks with iptables
// (iptables-rules.ts, applied as one set by kernel-sync.ts), and serves container names on user networks
// from a DNS server per network (dns/embedded-dns.ts, ADR 0009), also written into /etc/hosts
// (hosts-sync.ts). This class is the door the API and the container service use; each operation lives in
// its own file (network-create.ts, network-remove.ts, network-connect.ts, container-register.ts,
// endpoint-attach.ts, network-recovery.ts).
// All changes go through one queue: two containers starting at once must not get the same address.
import path from 'node:path';
import type { ContainerConfig } from '../docker-model.js';
import type { Tracer } from '../trace/tracer.js';
import { BridgeDriver } from './bridge-driver.js';
import { forgetContainer, registerContainer } from './container-register.js';
import type { DefaultBridge } from './default-bridge.js';
import { EmbeddedDns } from './dns/embedded-dns.js';
import { attachContainer } from './endpoint-attach.js';
import { releaseAll } from './endpoint-plug.js';
import { canBind } from './host-ports.js';
import { Iptables } from './iptables.js';
import { chainNames } from './iptables-rules.js';
import { KernelSync } from './kernel-sync.js';
import type { AttachRequest, NetworkAttacher, NetworkView, RegisterRequest } from './network-attacher.js';
import { NetworkBook } from './network-book.js';
import { connectContainer, disconnectContainer, type ConnectConfig, type ContainerRef } from './network-connect.js';
import { createNetwork, type CreateNetworkRequest } from './network-create.js';
import { BUILTIN_NETWORKS, type NetworkRecord } from './network-record.js';
import { loadNetworks, reconcileNetworks, removeIdleDefaultBridge, shutdownNetworks } from './network-recovery.js';
import { pruneNetworks, removeNetworkRef } from './network-remove.js';
import { NetworkStore } from './network-store.js';
import { builtinNetwork, containerNetworkView, networkView } from './network-views.js';
import type { LinkDriver, NetworkDns, PlaneContext, RuleWriter } from './plane-context.js';

export type { LinkDriver, NetworkDns, RuleWriter } from './plane-context.js';
export type { CreateNetworkRequest } from './network-create.js';
export type { ContainerRef } from './network-connect.js';

export interface NetworkPlaneOptions {
  /** the engine's root: networks/ (records) and netns/ (namespace files) go under it */
  root: string;
  defaultBridge: DefaultBridge;
  tracer: Tracer;
  /** the kernel side (default: the real ones); unit tests pass recording doubles */
  driver?: LinkDriver;
  iptables?: RuleWriter;
  /** is a host port free? (default: bind it once, host-ports.ts) */
  canBind?: typeof canBind;
  /** the user networks' DNS servers (default: real ones, unless `driver` is a double); null: none */
  dns?: NetworkDns | null;
}

export class NetworkPlane implements NetworkAttacher {
  private readonly ctx: PlaneContext;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: NetworkPlaneOptions) {
    const book = new NetworkBook(new NetworkStore(path.join(options.root, 'networks')));
    const realDns = options.driver ? null : new EmbeddedDns({ tracer: options.tracer, networks: () => book.all() });
    const chains = chainNames(options.defaultBridge.chainPrefix);
    const kernel = new KernelSync({
      iptables: options.iptables ?? new Iptables(chains),
      chains,
      networks: () => book.all(),
      serial: (fn) => this.serial(fn),
      teardownIdle: () => removeIdleDefaultBridge(this.ctx),
    });
    this.ctx = {
      book,
      kernel,
      driver: options.driver ?? new BridgeDriver(path.join(options.root, 'netns')),
      dns: (options.dns === undefined ? realDns : options.dns) ?? undefined,
      canBind: options.canBind ?? canBind,
      defaultBridge: options.defaultBridge,
      trace: (containerId, step, details) => {
        if (containerId) options.tracer.emit(containerId, step, details);
      },
    };
  }

  /** one change at a time */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  init(): Promise<void> {
    return loadNetworks(this.ctx);
  }

  /** by name, full id or id prefix, as Docker looks networks up */
  find(ref: string): NetworkRecord | undefined {
    return this.ctx.book.find(ref);
  }

  // ------------------------------------------------------------------ networks (the API's /networks)

  list(): Record<string, unknown>[] {
    const own = this.ctx.book.all().sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.Created.localeCompare(b.Created));
    return [...own.map(networkView), ...BUILTIN_NETWORKS.map(builtinNetwork)];
  }

  inspect(ref: string): Record<string, unknown> {
    const builtin = BUILTIN_NETWORKS.find((b) => b === ref || builtinNetwork(b).Id === ref);
    if (builtin) return builtinNetwork(builtin);
    return networkView(this.ctx.book.mustFind(ref));
  }

  create(req: CreateNetworkRequest): Promise<{ Id: string; Warning: string }> {
    return this.serial(() => createNetwork(this.ctx, req));
  }

  remove(ref: string): Promise<void> {
    return this.serial(() => removeNetworkRef(this.ctx, ref));
  }

  /** user networks without containers */
  prune(): Promise<string[]> {
    return this.serial(() => pruneNetworks(this.ctx));
  }

  /** docker network connect: a member from now on; a running container gets its endpoint at once */
  connect(ref: string, c: ContainerRef, config: ConnectConfig = {}): Promise<void> {
    return this.serial(() => connectContainer(this.ctx, ref, c, config));
  }

  disconnect(ref: string, containerId: string): Promise<void> {
    return this.serial(() => disconnectContainer(this.ctx, ref, containerId));
  }

  // ------------------------------------------------------------------ the container service's port

  register(req: RegisterRequest): Promise<void> {
    return this.serial(() => registerContainer(this.ctx, req));
  }

  attach(req: AttachRequest): Promise<{ network: { mode: 'path'; path: string } } | undefined> {
    return this.serial(() => attachContainer(this.ctx, req));
  }

  detach(containerId: string): Promise<void> {
    return this.serial(() => releaseAll(this.ctx, containerId));
  }

  forget(containerId: string): Promise<void> {
    return this.serial(() => forgetContainer(this.ctx, containerId));
  }

  view(containerId: string, exposedPorts: ContainerConfig['ExposedPorts']): NetworkView | undefined {
    const nets = this.ctx.book.all().filter((n) => n.members[containerId] || n.endpoints[containerId]);
    if (nets.length === 0) return undefined;
    return containerNetworkView(containerId, nets, exposedPorts);
  }

  // ------------------------------------------------------------------ engine start and stop

  /** after a start (or a crash): the kernel and the records agree again; warnings for the engine's log */
  reconcile(running: Set<string>, known: Set<string>): Promise<string[]> {
    return this.serial(() => reconcileNetworks(this.ctx, running, known));
  }

  /** engine stop: with no container on any network, boxlab leaves nothing in the kernel (bridges, rules) */
  shutdown(): Promise<void> {
    return this.serial(() => shutdownNetworks(this.ctx));
  }
}
