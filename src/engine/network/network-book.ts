// The network plane's book: every network record in memory, written through to NetworkStore
// (networks/<id>.json), with the two per-container lists Docker keeps on the container (here beside the
// networks, since only the plane reads them): the containers disconnected from every network, and the
// ports each container asked to publish at create (-p, -P, already parsed: port-bindings.ts).
// The lookups are the ones dockerd's daemon makes: a network by name, id or id prefix; a container's
// networks (its primary one first) and its endpoints.
import { newId } from '../../core/ids.js';
import type { PortRequest } from '../docker-model.js';
import { networkNotFound } from './network-errors.js';
import type { Endpoint, NetworkRecord } from './network-record.js';
import { NetworkStore } from './network-store.js';

/** endpoint bookkeeping the records need for /etc/hosts updates and for the DNS of a later connect (kept in the record, read back after a restart) */
export type LiveEndpoint = Endpoint & { hostsPath?: string; hostsBase?: string; hostname?: string; primary?: boolean; resolvConfPath?: string; dnsServers?: string[] };

export class NetworkBook {
  private readonly networks = new Map<string, NetworkRecord>();
  /** containers disconnected from every network: they start with loopback only */
  private readonly disconnected = new Set<string>();
  /** container id -> the ports it publishes; no entry: created by an engine that did not register them */
  private readonly published = new Map<string, PortRequest[]>();

  constructor(readonly store: NetworkStore) {}

  async load(): Promise<void> {
    for (const n of await this.store.loadAll()) this.networks.set(n.Id, n);
    for (const id of await this.store.loadDisconnected()) this.disconnected.add(id);
    for (const [id, ports] of Object.entries(await this.store.loadPublished())) this.published.set(id, ports);
  }

  all(): NetworkRecord[] {
    return [...this.networks.values()];
  }

  async put(n: NetworkRecord): Promise<void> {
    this.networks.set(n.Id, n);
    await this.store.save(n);
  }

  save(n: NetworkRecord): Promise<void> {
    return this.store.save(n);
  }

  /** out of the book (the plane's DNS and rules stop seeing it); the file goes with drop() */
  forgetNetwork(n: NetworkRecord): void {
    this.networks.delete(n.Id);
  }

  drop(n: NetworkRecord): Promise<void> {
    this.networks.delete(n.Id);
    return this.store.remove(n.Id);
  }

  defaultNetwork(): NetworkRecord | undefined {
    return this.all().find((n) => n.isDefault);
  }

  /** by name, full id or id prefix, as Docker looks networks up */
  find(ref: string): NetworkRecord | undefined {
    const all = this.all();
    return all.find((n) => n.Name === ref) ?? all.find((n) => n.Id === ref) ?? (ref.length >= 1 ? all.filter((n) => n.Id.startsWith(ref)).at(0) : undefined);
  }

  mustFind(ref: string): NetworkRecord {
    const n = this.find(ref);
    if (!n) throw networkNotFound(ref);
    return n;
  }

  /** the networks the container is configured on, its primary one (docker run --network) first */
  memberNetworks(containerId: string): NetworkRecord[] {
    const nets = this.all().filter((n) => n.members[containerId]);
    const primary = (n: NetworkRecord) => Boolean(n.members[containerId].primary);
    return nets.sort((a, b) => Number(primary(b)) - Number(primary(a)));
  }

  endpointsOf(containerId: string): Array<{ network: NetworkRecord; ep: LiveEndpoint }> {
    return this.all().flatMap((n) => (n.endpoints[containerId] ? [{ network: n, ep: n.endpoints[containerId] as LiveEndpoint }] : []));
  }

  endpointsOfAll(): Endpoint[] {
    return this.all().flatMap((n) => Object.values(n.endpoints));
  }

  isDisconnected(containerId: string): boolean {
    return this.disconnected.has(containerId);
  }

  async markDisconnected(containerId: string, disconnected: boolean): Promise<void> {
    if (this.disconnected.has(containerId) === disconnected) return;
    if (disconnected) this.disconnected.add(containerId);
    else this.disconnected.delete(containerId);
    await this.store.saveDisconnected(this.disconnected);
  }

  publishedPorts(containerId: string): PortRequest[] | undefined {
    return this.published.get(containerId);
  }

  /** drops the ports of containers that are gone (a create that crashed before its undo ran) */
  async keepPublishedOf(known: Set<string>): Promise<void> {
    const gone = [...this.published.keys()].filter((id) => !known.has(id));
    for (const id of gone) this.published.delete(id);
    if (gone.length) await this.store.savePublished(Object.fromEntries(this.published));
  }

  /** undefined: the container publishes nothing any more (it is removed) */
  async setPublishedPorts(containerId: string, ports: PortRequest[] | undefined): Promise<void> {
    if (ports === undefined && !this.published.has(containerId)) return;
    if (ports === undefined) this.published.delete(containerId);
    else this.published.set(containerId, ports);
    await this.store.savePublished(Object.fromEntries(this.published));
  }
}

/** a network record with Docker's defaults; `extra` names what differs */
export function newNetworkRecord(name: string, subnet: string, gateway: string, bridge: string, extra: Partial<NetworkRecord> = {}): NetworkRecord {
  return {
    Id: newId(),
    Name: name,
    Created: new Date().toISOString(),
    Driver: 'bridge',
    Subnet: subnet,
    Gateway: gateway,
    bridge,
    Internal: false,
    icc: true,
    Options: {},
    Labels: {},
    isDefault: false,
    allocations: {},
    members: {},
    endpoints: {},
    ...extra,
  };
}
